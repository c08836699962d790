import { beforeAll, describe, expect, it } from "vitest";
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
        const key = g.one("azure-native:keyvault:Key");
        const cmkAccounts = g.ofType("azure-native:storage:StorageAccount").filter((a) => a.inputs.encryption?.keySource === "Microsoft.Keyvault");
        const mysql = g.ofType("azure-native:dbformysql:Server").filter((s) => s.inputs.dataEncryption?.type === "AzureKeyVault");
        expect(cmkAccounts).toHaveLength(2);
        const cases: Array<[PlannedResource, string]> = [
            [key, "emr-storage-kv-deployer"],
            ...cmkAccounts.map((a): [PlannedResource, string] => [a, "emr-storage-cmk-access"]),
            ...mysql.map((s): [PlannedResource, string] => [s, "emr-storage-cmk-access"]),
        ];
        for (const [resource, grant] of cases) {
            const waits = waitsOf(g, resource).filter((w) => w.grants.includes(`${GRANT}::${grant}`));
            expect(waits, resource.key).toHaveLength(1);
            expect(seconds(waits[0].wait.inputs.createDuration), resource.key).toBeGreaterThanOrEqual(600);
            // A replaced grant waits again: its id is the wait's trigger.
            expect(waits[0].wait.inputs.triggers.roleAssignment).toBe(g.byKey(`${GRANT}::${grant}`)!.id);
        }
    });
});
