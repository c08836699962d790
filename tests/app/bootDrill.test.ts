import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudName } from "./drill/clouds";
import { missingPrerequisites, removeDrillRun } from "./drill/host/run";
import { runScenarios, scenarioNames, type ScenarioName } from "./drill/scenarios";

/**
 * The boot drill: the REAL rendered boot of each cloud (src/app with the cloud's steps, short
 * timings through the renderer's parameter) on simulated servers, each in its own namespaces with
 * real mount, flock, iptables and TLS, and stand-ins written from the real programs' sources
 * (tests/app/drill). The worlds of both clouds (two each, tests/app/drill/scenarios.ts) start at
 * once and the tests then collect their scenarios' outcomes, so the drill takes as long as its
 * slowest world. It needs root and a few packages; without them it fails with one line naming
 * what is missing, never skips. It runs as its own step (`npm run drill`, EMR_DRILL=1; CI runs
 * it), like the cloud-init schema and diagram checks: its ~35 s of simulated servers would put
 * `npm test` over its 90 s budget on a 2-core machine.
 */
const enabled = process.env.EMR_DRILL === "1";
const cloudNames: CloudName[] = ["aws", "azure"];
const outcomes = new Map<string, Promise<void>>();
const settlers = new Map<string, (error?: Error) => void>();
for (const cloud of cloudNames) {
    for (const name of scenarioNames) {
        outcomes.set(`${cloud} ${name}`, new Promise((resolve, reject) => settlers.set(`${cloud} ${name}`, (error) => (error ? reject(error) : resolve()))));
        outcomes.get(`${cloud} ${name}`)!.catch(() => undefined); // reported by its test
    }
}

beforeAll(() => {
    if (!enabled) return;
    const missing = missingPrerequisites();
    if (missing.length > 0) throw new Error(`the boot drill needs: ${missing.join("; ")}`);
    for (const cloud of cloudNames) {
        // Every scenario settles on its own; what could still fail here is a world's teardown.
        runScenarios(cloud, (name: ScenarioName, error?: Error) => settlers.get(`${cloud} ${name}`)!(error)).catch((error) => console.error(`boot drill teardown (${cloud}):`, error));
    }
});

afterAll(() => (enabled ? removeDrillRun() : undefined));

describe.skipIf(!enabled).each(cloudNames)("boot drill, %s", (cloud) => {
    it.each(scenarioNames)("%s", async (name) => {
        await expect(outcomes.get(`${cloud} ${name}`)).resolves.toBeUndefined();
    }, 90_000);
});
