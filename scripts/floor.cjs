// @ts-check
"use strict";
// The bench's floor: what every plan pays before declaring anything, run as the plan runs (plain
// node from scripts/plan.cjs's compiled tree and compile cache, with the plan's deferral of the
// SDK's unused modules). It loads @pulumi/pulumi, every provider module src/ imports for its values (found in
// the sources, so the list cannot drift), and the mocks; it declares nothing.
const fs = require("node:fs");
const path = require("node:path");
const { startPlanRuntime } = require("./plan.cjs");

const tree = startPlanRuntime();
require(path.join(tree, "src", "plan", "lazySdkModules.js")).deferUnusedModules();
require("@pulumi/pulumi");

/** @param {string} dir @returns {string[]} */
const filesUnder = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const providerModules = new Set(
    filesUnder(path.join(__dirname, "..", "src"))
        .filter((f) => f.endsWith(".ts"))
        .flatMap((f) => [...fs.readFileSync(f, "utf8").matchAll(/^import (?!type )[^;]*? from "(@pulumi(?:verse)?\/(?!pulumi)[^"]+)";/gm)].map((m) => m[1])),
);
for (const name of providerModules) require(name);
require(path.join(tree, "src", "plan", "mocks"));
