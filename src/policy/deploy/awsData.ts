import { parametersRemovedIn } from "../../aws/dbParameters";
import { classesWithoutInsights } from "../../aws/dbSettings";
import type { ResourceRule, StackRule, Violation } from "../types";

const instance = "aws:rds/instance:Instance";

/** "8.4" from "8.4" or "8.4.5": the major version a parameter or option group is made for. */
const majorOf = (version: unknown) => String(version ?? "").split(".").slice(0, 2).join(".");

/**
 * RDS builds a parameter group for one family (engine and major version) and an option group for
 * one engine and major version, and attaches neither to an instance of another major version; a
 * family cannot set a variable its MySQL version removed. A half-done major upgrade (engineVersion
 * moved, a group left behind) or an old setting carried over fails the deploy.
 */
export const rdsGroupsFitEngineRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AWS-RDS-GROUPS-FIT-ENGINE",
    title: "An RDS instance's parameter and option groups are made for its engine's major version and set no variable that version removed",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // A DB parameter group "is specific to a DB engine and version" (its family, e.g. mysql8.4).
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html",
        // An option group is created for an engine name and a major engine version.
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithOptionGroups.html",
        "https://dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-4.html",
        "src/aws/dbParameters.ts (parametersRemovedIn, with its sources)",
    ],
    appliesTo: [instance],
    check(graph): Violation[] {
        return graph.ofType(instance).flatMap((db) => {
            const engine = String(db.inputs.engine);
            const major = majorOf(db.inputs.engineVersion);
            const reasons: string[] = [];
            const params = graph.referenced(db.inputs.parameterGroupName);
            if (params) {
                const family = String(params.inputs.family);
                if (family !== `${engine}${major}`) reasons.push(`parameter group ${params.key} has family "${family}", not "${engine}${major}" of engine ${engine} ${db.inputs.engineVersion}`);
                const removed = ((params.inputs.parameters ?? []) as { name: string }[]).map((p) => p.name).filter((n) => parametersRemovedIn[family]?.includes(n));
                for (const name of removed) reasons.push(`parameter group ${params.key} sets ${name}, which ${family} removed: RDS rejects the group`);
            }
            const options = graph.referenced(db.inputs.optionGroupName);
            if (options && (options.inputs.engineName !== engine || options.inputs.majorEngineVersion !== major)) {
                reasons.push(`option group ${options.key} is for ${options.inputs.engineName} ${options.inputs.majorEngineVersion}, not ${engine} ${major}`);
            }
            return reasons.map((reason) => ({ resourceKey: db.key, reason }));
        });
    },
};

/**
 * Performance Insights on a class that has none: CreateDBInstance fails. insightsSettings
 * (src/aws/dbSettings.ts) turns it off on those classes; this catches an instance declared any other way.
 */
export const rdsInsightsClassRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AWS-RDS-INSIGHTS-ON-SUPPORTED-CLASS",
    title: "Performance Insights is enabled only on DB instance classes that support it",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // RDS User Guide, "Amazon RDS DB engine, Region, and instance class support for Database Insights".
        "src/aws/dbSettings.ts (classesWithoutInsights, from that page)",
    ],
    appliesTo: [instance],
    check({ inputs }) {
        if (inputs.performanceInsightsEnabled !== true || !classesWithoutInsights.includes(inputs.instanceClass)) return [];
        return [`performanceInsightsEnabled is true on ${inputs.instanceClass}, a class without Performance Insights: the instance is not created`];
    },
};
