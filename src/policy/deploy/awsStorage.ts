import type { PlannedResource } from "../../plan/capture";
import type { Graph } from "../../plan/graph";
import { at } from "../inputs";
import type { ResourceRule, StackRule, Violation } from "../types";

const lifecycle = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

/** The input fields of a rule's filter that select objects (@pulumi/aws 7.48.0 BucketLifecycleConfigurationRuleFilter). */
const filterFields = ["and", "objectSizeGreaterThan", "objectSizeLessThan", "prefix", "tag"];

export const lifecycleEmptyFilterRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AWS-S3-LIFECYCLE-EMPTY-FILTER",
    title: "S3 lifecycle rules leave out `filter` rather than declare an empty one",
    category: "deploy",
    cloud: "aws",
    severity: "warning",
    source: [
        // "when you specify an empty filter{} the provider now produces a warning" ... "will be an error in a future version"
        "https://github.com/hashicorp/terraform-provider-aws/issues/42714",
    ],
    appliesTo: [lifecycle],
    check({ inputs }) {
        return ((inputs.rules as any[]) ?? [])
            .map((rule, i) => ({ rule, i }))
            .filter(({ rule }) => rule.filter && typeof rule.filter === "object" && !filterFields.some((f) => rule.filter[f] !== undefined))
            .map(
                ({ rule, i }) =>
                    `rules[${i}] "${rule.id}": filter is {} (no prefix, tag, and or size): the provider warns "Invalid Attribute ` +
                    'Combination" on every update and will reject it; leave filter out (the rule then covers the whole bucket).',
            );
    },
};

/** Where services deliver their log objects into a bucket: type -> the input naming the bucket. */
const logDeliveries: Record<string, string> = {
    "aws:lb/loadBalancer:LoadBalancer": "accessLogs.bucket",
    "aws:s3/bucketLogging:BucketLogging": "targetBucket",
    "aws:cloudtrail/trail:Trail": "s3BucketName",
};

/** Buckets that receive log files: many small objects (ALB, S3 server access and CloudTrail logs). */
function logBuckets(graph: Graph): Set<string> {
    const buckets = new Set<string>();
    for (const [type, path] of Object.entries(logDeliveries)) {
        for (const sender of graph.ofType(type)) {
            const bucket = graph.referenced(at(sender.inputs, path));
            if (bucket) buckets.add(bucket.key);
        }
    }
    return buckets;
}

/** Whether the configuration decides what happens to objects under 128 KB, rather than leaving it to the default. */
function decidesSmallObjects(config: PlannedResource, rule: any): boolean {
    // "To customize the minimum object size for any transition you can add a filter that specifies a custom
    // objectSizeGreaterThan or objectSizeLessThan value. Custom filters always take precedence."
    const sizeFilter = ["objectSizeGreaterThan", "objectSizeLessThan"].some((f) => rule.filter?.[f] !== undefined || rule.filter?.and?.[f] !== undefined);
    return sizeFilter || config.inputs.transitionDefaultMinimumObjectSize !== undefined;
}

export const lifecycleSmallObjectsRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AWS-S3-LIFECYCLE-SMALL-LOG-OBJECTS",
    title: "Storage-class transitions on log buckets state what happens to objects under 128 KB, which S3 does not move by default",
    category: "deploy",
    cloud: "aws",
    severity: "warning",
    source: [
        // transitionDefaultMinimumObjectSize: "all_storage_classes_128K (default) ... To customize the minimum object
        // size for any transition you can add a filter that specifies a custom objectSizeGreaterThan".
        "@pulumi/aws@7.48.0:s3/bucketLifecycleConfiguration.d.ts:417-420",
        // "all_storage_classes_128K - Objects smaller than 128 KB will not transition to any storage class by default."
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html",
    ],
    appliesTo: [lifecycle],
    check(graph): Violation[] {
        const logs = logBuckets(graph);
        return graph.ofType(lifecycle).flatMap((config) => {
            const bucket = graph.referenced(config.inputs.bucket);
            if (!bucket || !logs.has(bucket.key)) return [];
            const undecided = ((config.inputs.rules as any[]) ?? []).filter((rule) => !decidesSmallObjects(config, rule));
            const transitions = undecided.flatMap((rule) => [
                ...(rule.transitions ?? []).map((t: any) => `rules "${rule.id}": transitions to ${t.storageClass} after ${t.days} days`),
                ...(rule.noncurrentVersionTransitions ?? []).map((t: any) => `rules "${rule.id}": noncurrentVersionTransitions to ${t.storageClass} after ${t.noncurrentDays} days`),
            ]);
            return transitions.map((transition) => ({
                resourceKey: config.key,
                reason:
                    `${transition} on ${bucket.key}, a log bucket of objects mostly under 128 KB, with transitionDefaultMinimumObjectSize unset ` +
                    "and no object-size filter: by default (all_storage_classes_128K) S3 never moves those objects, so most of the bucket stays " +
                    "where it is. State the floor (transitionDefaultMinimumObjectSize) or a size filter, and price what stays.",
            }));
        });
    },
};

/** AFTER_1_DAY -> 1, AFTER_90_DAYS -> 90 (EFS API LifecyclePolicy valid values); NaN for anything else. */
const efsAgeDays = (age: unknown) => Number(/^AFTER_(\d+)_DAYS?$/.exec(String(age))?.[1] ?? NaN);

export const efsArchiveRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AWS-EFS-ARCHIVE-NEEDS-ELASTIC",
    title: "An EFS file system that moves files to Archive uses Elastic throughput and General Purpose mode, and moves them to IA first",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // "File systems cannot transition into Archive storage before transitioning into IA storage. Therefore,
        // TransitionToArchive must either not be set or must be later than TransitionToIA. The Archive storage class is
        // available only for file systems that use the Elastic throughput mode and the General Purpose performance mode."
        "https://docs.aws.amazon.com/efs/latest/ug/API_PutLifecycleConfiguration.html",
        // transitionToArchive: "Requires transition_to_ia, Elastic Throughput and General Purpose performance mode."
        "@pulumi/aws@7.48.0:types/input.d.ts FileSystemLifecyclePolicy.transitionToArchive",
    ],
    appliesTo: ["aws:efs/fileSystem:FileSystem"],
    check({ inputs }) {
        const policies = (inputs.lifecyclePolicies ?? []) as Record<string, unknown>[];
        const archive = policies.find((p) => p.transitionToArchive !== undefined)?.transitionToArchive;
        if (archive === undefined) return [];
        const ia = policies.find((p) => p.transitionToIa !== undefined)?.transitionToIa;
        const problems: string[] = [];
        // Defaults: "bursting" and "generalPurpose" (@pulumi/aws 7.48.0 efs/fileSystem.d.ts:303, :120).
        const throughput = inputs.throughputMode ?? "bursting";
        if (throughput !== "elastic") problems.push(`throughputMode is "${throughput}"`);
        const performance = inputs.performanceMode ?? "generalPurpose";
        if (performance !== "generalPurpose") problems.push(`performanceMode is "${performance}"`);
        if (ia === undefined) problems.push("no transitionToIa is set");
        else if (!(efsAgeDays(archive) > efsAgeDays(ia))) problems.push(`transitionToArchive ${archive} is not later than transitionToIa ${ia}`);
        return problems.map((p) => `lifecyclePolicies moves files to Archive (${archive}) but ${p}: EFS rejects the lifecycle configuration`);
    },
};
