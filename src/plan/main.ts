import { resolve } from "node:path";
import { runCli } from "./cli";

// `npm run plan -- ...`: the offline plan of a stack, run from the project folder.
runCli(process.argv.slice(2), { root: resolve(__dirname, "../.."), print: console.log, error: console.error }).then((code) => process.exit(code));
