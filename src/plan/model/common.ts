import type { PlannedResource } from "../capture";
import type { Graph } from "../graph";
import type { Classification } from "../placement";
import type { AlarmModel, Placement } from "./types";

/** Looks up a resource's placement; a data-holding resource must have one. */
export function placementOf(classes: Map<string, Classification>) {
    return (r: PlannedResource): Placement => {
        const c = classes.get(r.key);
        if (!c || c.kind === "component" || c.kind === "logical" || c.kind === "unclassified") {
            throw new Error(`no placement rule for ${r.type} (${r.name})`);
        }
        return c;
    };
}

/** Every value a password/key generator produced: none of them may appear in plain inputs. */
export function generatedSecretValues(g: Graph): string[] {
    return g
        .resources.filter((r) => r.type.startsWith("random:") || r.type === "tls:index/privateKey:PrivateKey")
        .map((r) => r.outputs.result ?? r.outputs.privateKeyPem)
        .filter((v): v is string => typeof v === "string" && v.length > 0);
}

/** An IAM-style policy input (JSON text or object) as an object. */
export function policyDocument(policy: unknown): { Statement?: any[] } {
    if (typeof policy === "string") {
        try {
            return JSON.parse(policy);
        } catch {
            return {};
        }
    }
    return (policy as { Statement?: any[] }) ?? {};
}

/** True when the policy denies requests whose `conditionKey` is false (e.g. aws:SecureTransport). */
export function denies(policy: { Statement?: any[] }, conditionKey: string): boolean {
    return (policy.Statement ?? []).some(
        (s) => s.Effect === "Deny" && String(s.Condition?.Bool?.[conditionKey]).toLowerCase() === "false",
    );
}

/** Which tier a metric watches, from its namespace (AWS) or resource type (Azure). */
export function alarmTier(namespace: string | undefined): AlarmModel["tier"] {
    const ns = (namespace ?? "").toLowerCase();
    if (/applicationelb|applicationgateways|virtualmachinescalesets|autoscaling|waf/.test(ns)) return "web";
    if (/rds|dbformysql/.test(ns)) return "db";
    if (/elasticache|redisenterprise/.test(ns)) return "sessions";
    if (/efs|s3|storage/.test(ns)) return "storage";
    if (/backup|recoveryservices/.test(ns)) return "backup";
    return "other";
}
