import type { PlannedResource } from "../../../plan/capture";
import type { Graph } from "../../../plan/graph";
import { at } from "../../inputs";
import type { ResourceRule, StackRule } from "../../types";

/**
 * What the AWS compliance rules share: the HIPAA paragraphs they cite (45 CFR Part 164, text read
 * from the eCFR: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C),
 * the two rule builders, and the few readers every file needs.
 */
export const hipaa = {
    /** 164.312(a)(1) Access control: only persons or programs granted access rights reach ePHI. */
    accessControl: "164.312(a)(1)",
    /** 164.312(a)(2)(i) Unique user identification (required). */
    uniqueUser: "164.312(a)(2)(i)",
    /** 164.312(a)(2)(iv) Encryption and decryption of ePHI (addressable). */
    encryption: "164.312(a)(2)(iv)",
    /** 164.312(b) Audit controls: record and examine activity in systems holding ePHI. */
    audit: "164.312(b)",
    /** 164.312(c)(1) Integrity: protect ePHI from improper alteration or destruction. */
    integrity: "164.312(c)(1)",
    /** 164.312(c)(2) Mechanism to authenticate ePHI: corroborate it was not altered or destroyed (addressable). */
    authenticate: "164.312(c)(2)",
    /** 164.312(d) Person or entity authentication. */
    entityAuth: "164.312(d)",
    /** 164.312(e)(1) Transmission security. */
    transmission: "164.312(e)(1)",
    /** 164.312(e)(2)(i) Integrity controls in transit (addressable). */
    transmissionIntegrity: "164.312(e)(2)(i)",
    /** 164.312(e)(2)(ii) Encryption in transit (addressable). */
    transmissionEncryption: "164.312(e)(2)(ii)",
    /** 164.308(a)(1)(ii)(B) Risk management: measures that reduce risks to a reasonable level. */
    riskManagement: "164.308(a)(1)(ii)(B)",
    /** 164.308(a)(1)(ii)(D) Information system activity review (audit logs, access reports). */
    activityReview: "164.308(a)(1)(ii)(D)",
    /** 164.308(a)(7)(ii)(A) Data backup plan: retrievable exact copies of ePHI (required). */
    backup: "164.308(a)(7)(ii)(A)",
    /** 164.308(a)(7)(ii)(B) Disaster recovery plan: restore any loss of data (required). */
    disasterRecovery: "164.308(a)(7)(ii)(B)",
    /** 164.308(a)(7)(ii)(C) Emergency mode operation plan: critical processes continue (required). */
    emergencyMode: "164.308(a)(7)(ii)(C)",
} as const;

type Shared = "kind" | "category" | "cloud";

export const awsResourceRule = (rule: Omit<ResourceRule, Shared>): ResourceRule => ({ kind: "resource", category: "compliance", cloud: "aws", ...rule });
export const awsStackRule = (rule: Omit<StackRule, Shared>): StackRule => ({ kind: "stack", category: "compliance", cloud: "aws", ...rule });

/** Booleans as the provider takes them: launch template fields are strings ("true"), the rest booleans. */
export const isTrue = (value: unknown) => value === true || value === "true";

/** The value, quoted, or "not set": how a reason names what it found. */
export const shown = (value: unknown) => (value === undefined || value === null || value === "" ? "not set" : JSON.stringify(value));

/**
 * Why `value` (a KMS key id, ARN or alias given to `field`) is not a customer managed key, or
 * undefined when it is one. `fallback` says which key the service uses when the field is unset
 * (an AWS managed `aws/<service>` key, or one the service owns): keys whose policy, rotation and
 * deletion the account does not control, so there is no key to revoke and no per-key CloudTrail
 * record of who decrypted patient data (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt).
 */
export function notCustomerKey(field: string, value: unknown, fallback: string): string | undefined {
    if (typeof value !== "string" || !value) return `${field} is not set, so ${fallback}, which the account cannot revoke, rotate or restrict`;
    if (/(^|:)alias\/aws\//.test(value)) return `${field} is ${shown(value)}, an AWS managed key, which the account cannot revoke, rotate or restrict`;
    return undefined;
}

/** Resources of `type` whose input `path` names `target` (by id, ARN or name). */
export function pointingAt(graph: Graph, type: string, path: string, target: PlannedResource): PlannedResource[] {
    return graph.ofType(type).filter((r) => {
        const value = at(r.inputs, path);
        const refs = Array.isArray(value) ? value : [value];
        return refs.some((ref) => graph.referenced(ref)?.key === target.key);
    });
}

/** An IAM policy document as the input carries it: a JSON string or an object. */
export function policyStatements(policy: unknown): Record<string, any>[] {
    let doc: any = policy;
    if (typeof policy === "string") {
        try {
            doc = JSON.parse(policy);
        } catch {
            return [];
        }
    }
    const statements = doc?.Statement;
    return Array.isArray(statements) ? statements : statements ? [statements] : [];
}

/** A single value or a list, as IAM policy elements come. */
export const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
