import { describe, expect, it } from "vitest";
import { readModel } from "../../src/plan/model";
import { availability } from "../../src/plan/availability";
import { simulateZoneLoss } from "../../src/plan/zones";
import { baseConfig, runStack } from "../harness";
import { withInputs } from "../policy/stacks";

/**
 * Sessions and zone loss, on both clouds, from the real captured graphs with one setting changed:
 * a store left in one zone, or no store at all (sessions on the servers' disks), must be reported
 * as losing sessions, not as "no interruption".
 */
const singleZone = {
    aws: { type: "aws:elasticache/replicationGroup:ReplicationGroup", change: (i: Record<string, any>) => Object.assign(i, { multiAzEnabled: false, automaticFailoverEnabled: false, numCacheClusters: 1 }) },
    azure: { type: "azure-native:redisenterprise:RedisEnterprise", change: (i: Record<string, any>) => Object.assign(i, { highAvailability: "Disabled" }) },
};

describe.each(["aws", "azure"] as const)("sessions on %s", (cloud) => {
    it("survive every zone loss with the stack's store; the chain names the store", async () => {
        const model = readModel((await runStack({ ...baseConfig[cloud] })).ok());
        for (const zone of model.zones) expect(simulateZoneLoss(model, zone).find((o) => o.tier === "sessions")).toMatchObject({ survives: true });
        expect(availability(model).links.map((l) => l.tier)).toContain("session store");
    });

    it("a single-zone store loses every session with its zone", async () => {
        const graph = (await runStack({ ...baseConfig[cloud] })).ok();
        const store = graph.ofType(singleZone[cloud].type)[0];
        const model = readModel(withInputs(graph, store.key, singleZone[cloud].change));
        expect(model.sessionStores[0].placement.kind).toBe("zonal");
        const losses = model.zones.map((zone) => simulateZoneLoss(model, zone).find((o) => o.tier === "sessions")!);
        // AWS names the zone it lives in; Azure does not say, so every zone loss may be the one.
        expect(losses.some((o) => !o.survives && o.rpo === "every session")).toBe(true);
    });

    it("without a store, the lost servers' sessions are lost (the old design, reported honestly)", async () => {
        const model = readModel((await runStack({ ...baseConfig[cloud] })).ok());
        const withoutStore = { ...model, sessionStores: [] };
        const outcome = simulateZoneLoss(withoutStore, model.zones[0]).find((o) => o.tier === "sessions")!;
        expect(outcome).toMatchObject({ survives: false, recovers: true });
        expect(outcome.rpo).toMatch(/logged out/);
        expect(availability(withoutStore).links.map((l) => l.tier)).not.toContain("session store");
    });
});
