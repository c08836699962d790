import type { PlannedResource } from "../../../plan/capture";
import type { Graph } from "../../../plan/graph";
import type { Violation } from "../../types";
import { awsResourceRule, awsStackRule, hipaa, notCustomerKey, pointingAt, shown } from "./shared";
import { minimumBackupDays } from "../hipaa";

/**
 * AWS Backup (fields: @pulumi/aws 7.48.0 backup/selection.d.ts:165-193, backup/plan.d.ts:86,
 * backup/vault.d.ts:63, backup/vaultLockConfiguration.d.ts:50-62) and the stack's own guard against
 * deleting a data store, Pulumi's `protect`.
 */
const selection = "aws:backup/selection:Selection";
const plan = "aws:backup/plan:Plan";
const vault = "aws:backup/vault:Vault";
const vaultLock = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
/** The stores of patient data AWS Backup protects in this design: the database and the shared files. */
const dataStores = ["aws:rds/instance:Instance", "aws:efs/fileSystem:FileSystem"];

/** `*` wildcards of a selection's `resources` / `notResources` entries, as AWS Backup matches ARNs. */
const matchesArn = (pattern: string, arn: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`).test(arn);

/**
 * Whether a selection picks `store`: by ARN (resources, minus notResources) or by one of its tags
 * (selectionTags, OR), and then only if it meets every condition (AND). Conditions other than
 * stringEquals are not read here, so a selection that uses them counts as not picking the store.
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html)
 */
function selects(graph: Graph, sel: PlannedResource, store: PlannedResource): boolean {
    const arn = String(store.outputs.arn ?? "");
    const names = (ref: unknown) => graph.referenced(ref)?.key === store.key || (typeof ref === "string" && ref.includes("*") && matchesArn(ref, arn));
    if (((sel.inputs.notResources as unknown[]) ?? []).some(names)) return false;
    const tags: Record<string, string> = store.inputs.tags ?? {};
    const byArn = ((sel.inputs.resources as unknown[]) ?? []).some(names);
    const byTag = ((sel.inputs.selectionTags as any[]) ?? []).some((t) => String(t.type).toUpperCase() === "STRINGEQUALS" && tags[t.key] === t.value);
    const conditions = ((sel.inputs.conditions as any[]) ?? []).flatMap((c) => Object.entries(c as Record<string, any[]>).flatMap(([kind, list]) => (list ?? []).map((e) => ({ kind, ...e }))));
    const meets = conditions.every((c) => c.kind === "stringEquals" && tags[String(c.key).replace(/^aws:ResourceTag\//, "")] === c.value);
    return (byArn || byTag) && meets;
}

export const backupCoversStoresRule = awsStackRule({
    id: "EMR-AWS-BACKUP-COVERS-STORES",
    title: "The database and the shared file system are each selected into an AWS Backup plan with at least one rule",
    severity: "error",
    controls: {
        hipaa: [hipaa.backup, hipaa.disasterRecovery],
        checkov: ["CKV2_AWS_18"],
        cdkNag: ["HIPAA.Security-EFSInBackupPlan", "HIPAA.Security-RDSInBackupPlan"],
    },
    source: [
        "https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html",
        "@pulumi/aws@7.48.0:backup/selection.d.ts:165-193",
        "@pulumi/aws@7.48.0:types/input.d.ts:11915-11927 SelectionCondition",
    ],
    appliesTo: dataStores,
    check(graph): Violation[] {
        const stores = dataStores.flatMap((type) => graph.ofType(type));
        return stores.flatMap((store) => {
            const covering = graph.ofType(selection).filter((sel) => {
                const p = graph.referenced(sel.inputs.planId);
                return p?.type === plan && ((p.inputs.rules as unknown[]) ?? []).length > 0 && selects(graph, sel, store);
            });
            return covering.length
                ? []
                : [{ resourceKey: store.key, reason: `no AWS Backup selection of a plan with rules picks this store (by ARN in resources, or by a STRINGEQUALS tag it carries; its tags: ${shown(Object.keys(store.inputs.tags ?? {}))}): no copy outside the service survives its deletion or a bad write` }];
        });
    },
});

export const backupRetentionRule = awsResourceRule({
    id: "EMR-AWS-BACKUP-RETENTION",
    title: `Every backup plan rule keeps its recovery points at least ${minimumBackupDays} days`,
    severity: "error",
    controls: { hipaa: [hipaa.backup, hipaa.disasterRecovery] },
    source: ["https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html", "@pulumi/aws@7.48.0:backup/plan.d.ts:86"],
    appliesTo: [plan],
    check({ inputs }) {
        // No lifecycle (or no deleteAfter) keeps recovery points until deleted by hand.
        return ((inputs.rules as any[]) ?? [])
            .filter((r) => typeof r.lifecycle?.deleteAfter === "number" && r.lifecycle.deleteAfter < minimumBackupDays)
            .map((r) => `rule "${r.ruleName}": lifecycle.deleteAfter is ${r.lifecycle.deleteAfter} days: a corruption noticed after a week has no clean copy left`);
    },
});

export const backupVaultKeyRule = awsResourceRule({
    id: "EMR-AWS-BACKUP-VAULT-CMK",
    title: "The backup vault encrypts recovery points with a customer managed key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest, hipaa.backup], checkov: ["CKV_AWS_166"] },
    source: ["https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html", "@pulumi/aws@7.48.0:backup/vault.d.ts:63"],
    appliesTo: [vault],
    check({ inputs }) {
        const key = notCustomerKey("kmsKeyArn", inputs.kmsKeyArn, "AWS Backup uses the AWS managed key aws/backup");
        return key ? [`${key}: recovery points of services AWS Backup fully manages (EFS among them) are sealed with it`] : [];
    },
});

export const backupVaultLockRule = awsStackRule({
    id: "EMR-AWS-BACKUP-VAULT-LOCK",
    title: "Every backup vault has a vault lock, so recovery points cannot be deleted before their minimum retention",
    severity: "warning",
    controls: { hipaa: [hipaa.integrity, hipaa.backup] },
    source: ["https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html", "@pulumi/aws@7.48.0:backup/vaultLockConfiguration.d.ts:50-62"],
    appliesTo: [vault],
    check(graph): Violation[] {
        return graph.ofType(vault).flatMap((v) => {
            const locks = pointingAt(graph, vaultLock, "backupVaultName", v);
            const min = locks.map((l) => l.inputs.minRetentionDays).find((d) => typeof d === "number");
            if (typeof min === "number" && min >= minimumBackupDays) return [];
            return [
                {
                    resourceKey: v.key,
                    reason: locks.length
                        ? `its vault lock sets minRetentionDays ${shown(min)}: recovery points younger than ${minimumBackupDays} days can still be deleted`
                        : "no VaultLockConfiguration names this vault: anyone with backup:DeleteRecoveryPoint (or a compromised admin) can delete every copy",
                },
            ];
        });
    },
});

/** Resources whose deletion loses patient data or the keys to it: guarded by Pulumi's `protect`. */
const protectedTypes = [...dataStores, "aws:s3/bucket:Bucket", "aws:kms/key:Key", vault];

export const dataProtectedRule = awsStackRule({
    id: "EMR-AWS-DATA-PROTECTED",
    title: "Data stores, their keys, log bucket and backup vault carry Pulumi's protect option",
    severity: "error",
    controls: { hipaa: [hipaa.integrity, hipaa.backup] },
    source: [
        // "resources marked protect cannot be deleted ... the program must be changed first"
        "https://www.pulumi.com/docs/iac/concepts/resources/options/protect/",
        // PolicyResourceOptions.protect, "When set to true, protect ensures this resource cannot be deleted": what a
        // policy pack's validateStack sees in each resource's `opts`, so the pack can hand it to this rule.
        "pulumi/pulumi-policy:sdk/nodejs/policy/policy.ts PolicyResourceOptions.protect",
    ],
    appliesTo: protectedTypes,
    check(graph): Violation[] {
        return protectedTypes
            .flatMap((type) => graph.ofType(type))
            .filter((r) => !r.protect)
            .map((r) => ({
                resourceKey: r.key,
                reason: "protect is false: a `pulumi destroy`, a rename or a replacing change deletes it without a deliberate unprotect first, and with it patient data or the key to read it",
            }));
    },
});

export const backupRules = [backupCoversStoresRule, backupRetentionRule, backupVaultKeyRule, backupVaultLockRule, dataProtectedRule];
