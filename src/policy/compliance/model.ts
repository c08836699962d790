import type { Graph } from "../../plan/graph";
import { readModel, type EmrModel } from "../../plan/model";
import type { ControlRefs, StackRule, Violation } from "../types";

/** The clouds' resource type prefixes: a neutral rule applies to any stack of either cloud. */
export const anyCloud = ["aws:*", "azure-native:*"] as const;

const models = new WeakMap<Graph, EmrModel>();

/**
 * The neutral reading of a graph (src/plan/model), read once per graph however many rules ask:
 * the cloud-neutral compliance rules judge what the EMR is, in the terms the invariant suite uses,
 * so one rule holds both clouds to the same control.
 */
export function modelOf(graph: Graph): EmrModel {
    let model = models.get(graph);
    if (!model) models.set(graph, (model = readModel(graph)));
    return model;
}

const hipaaSource = "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C";

/** What each neutral rule judges, as model keys: the evidence report lists them as the control's scope. */
export type Scope = (m: EmrModel) => string[];
export const scopes = {
    data: (m) => [...m.databases, ...m.stores].map((d) => d.key),
    databases: (m) => m.databases.map((d) => d.key),
    stores: (m) => m.stores.map((s) => s.key),
    servers: (m) => m.serverGroups.map((s) => s.key),
    balancers: (m) => m.loadBalancers.map((l) => l.key),
    secrets: (m) => m.secrets.map((s) => s.key),
    alarms: (m) => m.alarms.map((a) => a.key),
} satisfies Record<string, Scope>;

/** A cloud-neutral compliance rule: a stack rule over the model, on any stack of either cloud, citing 45 CFR 164 subpart C. */
export function neutralRule(id: string, title: string, controls: ControlRefs, source: string[], scope: Scope, check: (graph: Graph) => Violation[]): StackRule {
    return {
        kind: "stack", id, title, category: "compliance", cloud: "any", severity: "error", source: [...source, hipaaSource], appliesTo: anyCloud, controls, check,
        covers: (graph) => scope(modelOf(graph)),
    };
}

export const violation = (resourceKey: string, reason: string): Violation => ({ resourceKey, reason });

/** What a stack-wide gap is reported against: the stack itself (Pulumi's root resource). */
export const stackKey = (graph: Graph): string => graph.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.key ?? "pulumi:pulumi:Stack";
