import type { Graph } from "../graph";
import { readAwsModel } from "./aws";
import { readAzureModel } from "./azure";
import type { EmrModel } from "./types";

export type * from "./types";

/** The model reader of each cloud, chosen by the provider of the resources the stack declares. */
const readers: Array<{ prefix: string; read: (g: Graph) => EmrModel }> = [
    { prefix: "aws:", read: readAwsModel },
    { prefix: "azure-native:", read: readAzureModel },
];

export function readModel(g: Graph): EmrModel {
    const reader = readers.find((r) => g.resources.some((res) => res.type.startsWith(r.prefix)));
    if (!reader) throw new Error("the stack declares no resource of a known cloud");
    return reader.read(g);
}
