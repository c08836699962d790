import { describe, expect, it } from "vitest";
import type { PlannedResource, ProgramRun } from "../../src/plan/capture";
import { Graph } from "../../src/plan/graph";
import { baseConfig, runStack } from "../harness";

/**
 * No store without a user (issue 10: a documents bucket that nothing wrote was billed, audited and
 * backed up for nothing). Every place the stack keeps data (buckets, file systems and shares, log
 * groups and workspaces, secrets, keys, backup vaults) must be used by another resource: written
 * (a load balancer's access logs, a flow log, a trail, a diagnostic setting's destination),
 * mounted or read at boot (the servers' launch template / scale set), or used to encrypt. What
 * only configures, watches, grants on or connects to a store does not count as a user.
 */
const storeTypes = [
    "aws:s3/bucket:Bucket", "aws:efs/fileSystem:FileSystem", "aws:cloudwatch/logGroup:LogGroup", "aws:secretsmanager/secret:Secret",
    "aws:kms/key:Key", "aws:backup/vault:Vault",
    "azure-native:storage:StorageAccount", "azure-native:storage:FileShare", "azure-native:operationalinsights:Workspace",
    "azure-native:keyvault:Vault", "azure-native:keyvault:Secret", "azure-native:keyvault:Key",
];

/** Resources that configure, watch, grant on or reach a store without using its data. */
const notAUser = [
    /^aws:s3\/bucket[A-Z]/, /^aws:efs\/(mountTarget|backupPolicy|fileSystemPolicy)/, /^aws:kms\/alias/, /^aws:secretsmanager\/secretVersion/,
    /^aws:cloudwatch\/metricAlarm/, /^aws:iam\//, /^aws:backup\/vaultLockConfiguration/,
    /^azure-native:storage:(BlobServiceProperties|FileServiceProperties|ManagementPolicy|BlobContainer)/, /^azure-native:monitor:MetricAlert/,
    /^azure-native:authorization:/, /^azure-native:network:(PrivateEndpoint|PrivateDnsZoneGroup)/, /^time:/,
];

/**
 * Resources that watch some stores and write into others: only these inputs are a use. A trail's
 * data-event selectors audit a bucket (the old documents bucket had one, and no writer); its
 * bucket, log group and key are where it writes. A diagnostic setting reads its `resourceUri` and
 * writes to its destination.
 */
const usingFields: Record<string, string[]> = {
    "aws:cloudtrail/trail:Trail": ["s3BucketName", "cloudWatchLogsGroupArn", "kmsKeyId"],
    "azure-native:monitor:DiagnosticSetting": ["workspaceId", "storageAccountId"],
};

/** Who uses `store`: resources that wait for it (the SDK's dependency list, inputs' references). */
function usersOf(g: Graph, store: PlannedResource): string[] {
    const refersTo = (value: unknown) => g.referenced(value)?.key === store.key || (typeof value === "string" && value.startsWith(`${store.outputs.arn}:`));
    return g.resources
        .filter((r) => r.key !== store.key && r.custom !== false && !notAUser.some((re) => re.test(r.type)))
        .filter((r) => (usingFields[r.type] ? usingFields[r.type].some((field) => refersTo(r.inputs[field])) : g.dependencies(r).includes(store.key)))
        .map((r) => r.key);
}

const idle = (g: Graph) => g.resources.filter((r) => storeTypes.includes(r.type)).filter((s) => usersOf(g, s).length === 0).map((s) => s.key);

describe.each(["aws", "azure"] as const)("every store of the %s stack has a user", (cloud) => {
    it("no bucket, file system, log store, secret, key or vault that nothing writes, mounts, reads or encrypts with", async () => {
        const g = (await runStack({ ...baseConfig[cloud] })).ok();
        expect(g.resources.filter((r) => storeTypes.includes(r.type)).length).toBeGreaterThan(5);
        expect(idle(g)).toEqual([]);
    });

    it("reports a store nobody uses (a documents store as before issue 10)", async () => {
        const g = (await runStack({ ...baseConfig[cloud] })).ok();
        const type = cloud === "aws" ? "aws:s3/bucket:Bucket" : "azure-native:storage:StorageAccount";
        const orphan: PlannedResource = { ...g.ofType(type)[0], key: `${type}::documents`, name: "documents", id: "documents-0123456", outputs: { name: "documents-0123456" }, dependsOn: [], dependencies: [] };
        const crafted = new Graph({ ...(g.run as ProgramRun), resources: [...g.resources, orphan] });
        expect(idle(crafted)).toEqual([orphan.key]);
    });
});
