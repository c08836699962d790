import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { complianceCatalog, withReadmeTable } from "../src/policy/catalog";

// `npm run docs:compliance`: regenerates docs/compliance.md and the README's rule table from the rules.
const root = join(__dirname, "..");
writeFileSync(join(root, "docs", "compliance.md"), complianceCatalog());
const readme = join(root, "README.md");
writeFileSync(readme, withReadmeTable(readFileSync(readme, "utf8")));
console.log("wrote docs/compliance.md and the README's compliance rule table");
