import type { PlannedResource } from "../../../plan/capture";
import type { Graph } from "../../../plan/graph";
import { at } from "../../inputs";
import type { ResourceRule, StackRule } from "../../types";

/** HIPAA paragraphs: one table for every cloud (../hipaa.ts). */
export { hipaa } from "../hipaa";

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
