import { beforeAll, describe, expect, it } from "vitest";
import { grantedCreates } from "../../src/azure/platformRequirements";
import { rbacPropagation } from "../../src/azure/storageAccess";
import type { PlannedResource } from "../../src/plan/capture";
import { baseConfig, runStack, type Graph } from "../harness";

const SLEEP = "time:index/sleep:Sleep";
const GRANT = "azure-native:authorization:RoleAssignment";
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN);

/** The waits a resource names in dependsOn, each with the grants it waits for. */
const waitsOf = (g: Graph, r: PlannedResource) =>
    r.dependsOn.map((k) => g.byKey(k)!).filter((d) => d.type === SLEEP).map((w) => ({ wait: w, grants: w.dependsOn.filter((k) => k.startsWith(`${GRANT}::`)) }));

describe("creates Azure authorizes through a grant made in the same deployment", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    }, 60_000);

    it("wait the documented propagation time (10 minutes) after that grant", () => {
        expect(seconds(rbacPropagation)).toBeGreaterThanOrEqual(600);
        // Which grant each create waits for, in this stack.
        const grantOf: Record<string, string[]> = {
            "azure-native:keyvault:Key": ["emr-storage-kv-deployer"],
            "azure-native:storage:StorageAccount": ["emr-storage-cmk-access"],
            "azure-native:dbformysql:Server": ["emr-storage-cmk-access"],
            // The servers' read grant on each of the three install secrets.
            "azure-native:compute:VirtualMachineScaleSet": [0, 1, 2].map((i) => `emr-web-read-install-secret-${i}`),
        };
        const cases = grantedCreates.flatMap((c) =>
            g.ofType(c.type).filter((r) => c.applies(r.inputs)).flatMap((r) => grantOf[c.type].map((grant): [PlannedResource, string] => [r, grant])),
        );
        // The key, the CMK files account, MySQL, and the scale set three times.
        expect(cases).toHaveLength(6);
        for (const [resource, grant] of cases) {
            const waits = waitsOf(g, resource).filter((w) => w.grants.includes(`${GRANT}::${grant}`));
            expect(waits, resource.key).toHaveLength(1);
            expect(seconds(waits[0].wait.inputs.createDuration), resource.key).toBeGreaterThanOrEqual(600);
            // A replaced grant waits again: its id is the wait's trigger.
            expect(waits[0].wait.inputs.triggers.roleAssignment).toBe(g.byKey(`${GRANT}::${grant}`)!.id);
        }
    });
});
