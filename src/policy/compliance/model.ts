import type { Graph } from "../../plan/graph";
import { readModel, type EmrModel } from "../../plan/model";

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
