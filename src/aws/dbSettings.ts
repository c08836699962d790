import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";

/**
 * The fixed choices of the AWS database and the small pure rules derived from config, kept apart
 * from the resources so each is stated (and tested) once.
 */

/**
 * RDS for MySQL, by major version: minor versions arrive by auto minor upgrade (@pulumi/aws 7.48.0
 * rds/instance.d.ts, engineVersion: "If autoMinorVersionUpgrade is enabled, you can provide a
 * prefix of the version such as 8.0").
 *
 * 8.4, the LTS line: 8.0 left RDS standard support on 2026-07-31 and is billed in Extended Support
 * at $0.10 per vCPU-hour on primary and standby, $0.20 from 2028-08-01 (cost-review.md (a)): $292 a
 * month on the dev stack's 2 x 2 vCPU, $584 from 2028. 8.4 costs nothing extra until its own end of
 * standard support. OpenEMR tests against 8.4 (openemr/openemr ci/apache_84_84/docker-compose.yml:
 * `image: mysql:8.4` with ci/compose-shared-mysql.yml's default authentication, i.e.
 * caching_sha2_password, which 8.4 makes the default; our connections are TLS, so its full
 * authentication needs no RSA key exchange).
 */
export const mysql = { engine: "mysql", majorVersion: "8.4", parameterFamily: "mysql8.4" } as const;

/**
 * Never enrol the instance in paid RDS Extended Support: when 8.4 reaches its end of standard
 * support, RDS upgrades it instead of billing Extended Support (@pulumi/aws 7.48.0
 * rds/instance.d.ts: valid values `open-source-rds-extended-support` (the default) and
 * `open-source-rds-extended-support-disabled`). Costs nothing; saves the Extended Support charge
 * above, on the day 8.4 would enter it. With it disabled "creating the DB [instance] will fail if the
 * DB major version is past its end of standard support date" (CreateDBInstance API, quoted in
 * hashicorp/terraform-provider-aws#37619): an 8.0 instance can no longer be created with it.
 */
export const engineLifecycleSupport = "open-source-rds-extended-support-disabled";

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
export const classesWithoutInsights: readonly string[] = ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"];

/**
 * Performance Insights (Database Insights standard mode: 7 days, no extra charge), encrypted with
 * the data key because its samples include SQL text. On a class without it the instance still
 * deploys, with a warning saying what is missing, rather than failing at create time.
 */
export function insightsSettings(
    instanceClass: string,
    dataKeyArn: pulumi.Input<string>,
    parent: pulumi.Resource,
): Pick<rds.InstanceArgs, "performanceInsightsEnabled" | "performanceInsightsKmsKeyId" | "performanceInsightsRetentionPeriod" | "databaseInsightsMode"> {
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
