import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The fixed choices of the AWS database and the small pure rules derived from config, kept apart
 * from the resources so each is stated (and tested) once.
 */

/** RDS for MySQL, by major version: minor versions arrive by auto minor upgrade. */
export const mysql = { engine: "mysql", majorVersion: "8.0", parameterFamily: "mysql8.0" } as const;


/** Log types RDS exports to CloudWatch; each gets a pre-created, encrypted log group. */
export const dbLogExports = ["audit", "error", "slowquery"] as const;

/**
 * Daily backup and weekly maintenance windows, in UTC, 30 minutes apart so they never overlap
 * (RDS rejects overlapping windows). 06:00-08:30 UTC is night across the Americas (01:00-03:30
 * EST) and early morning in Europe. AWS Backup jobs on this instance belong outside both.
 */
export const dbWindows = { backup: "06:00-07:00", maintenance: "sun:07:30-sun:08:30" } as const;

/**
 * Storage autoscaling ceiling: 4x the configured size, capped at 16 TiB (the largest size config
 * accepts). RDS storage only ever grows, so the cap bounds what a runaway (a logging loop, a
 * bulk import gone wrong) can add to the bill while leaving months of headroom; a free-storage
 * alarm should warn long before it. Undefined when the configured size already sits at the cap:
 * autoscaling off.
 */
const maxStorageGb = 16384;
export function storageCeiling(storageGb: number): number | undefined {
    const ceiling = Math.min(storageGb * 4, maxStorageGb);
    return ceiling > storageGb ? ceiling : undefined;
}

/**
 * The RDS instance identifier: `<name>-<stack>` (unique per account and region, so two stacks can
 * share an account), lowercased to what RDS allows: letters, digits and single hyphens, at most
 * 63 characters, starting with a letter (the component name does) and not ending in a hyphen.
 */
export function dbIdentifier(name: string, stack: string): string {
    return `${name}-${stack}`
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .slice(0, 63)
        .replace(/-+$/, "");
}

/**
 * Classes on which RDS for MySQL has no Performance Insights / Database Insights (AWS docs,
 * "Amazon RDS DB engine, Region, and instance class support for Database Insights"). None is in
 * the size catalog, but `emr:dbInstanceType` may name one.
 */
const classesWithoutInsights = ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"];

/**
 * Performance Insights (Database Insights standard mode: 7 days, no extra charge), encrypted with
 * the data key because its samples include SQL text. On a class without it the instance still
 * deploys, with a warning saying what is missing, rather than failing at create time.
 */
export function insightsSettings(
    instanceClass: string,
    dataKeyArn: pulumi.Input<string>,
    parent: pulumi.Resource,
): Pick<aws.rds.InstanceArgs, "performanceInsightsEnabled" | "performanceInsightsKmsKeyId" | "performanceInsightsRetentionPeriod" | "databaseInsightsMode"> {
    if (classesWithoutInsights.includes(instanceClass)) {
        pulumi.log.warn(
            `${instanceClass} does not support Performance Insights: the database runs without it (no per-query load data). ` +
                "Choose db.t3.medium or larger with emr:dbSize or emr:dbInstanceType to get it.",
            parent,
        );
        return { performanceInsightsEnabled: false };
    }
    return {
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: dataKeyArn,
        performanceInsightsRetentionPeriod: 7,
        databaseInsightsMode: "standard",
    };
}
