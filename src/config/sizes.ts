import type { Cloud, Size } from "./types";

/**
 * Instance types the neutral sizes map to, per cloud and role, cheapest first (on-demand,
 * us-east-1 / eastus; the prices themselves live in the cost catalog, whose tests check this
 * order). A size maps to the first entry that has at least the requested vCPU and memory.
 */
export interface InstanceType extends Size {
    name: string;
}

const t = (name: string, vcpu: number, memoryGiB: number): InstanceType => ({ name, vcpu, memoryGiB });

export const instanceCatalog: Record<Cloud, Record<"web" | "db", InstanceType[]>> = {
    aws: {
        // x86_64 to match the Amazon Linux 2023 x86_64 image the launch template resolves.
        web: [
            t("t3.medium", 2, 4),
            t("t3.large", 2, 8),
            t("t3.xlarge", 4, 16),
            t("t3.2xlarge", 8, 32),
            t("m6i.4xlarge", 16, 64),
            t("m6i.8xlarge", 32, 128),
        ],
        // Every class here supports Multi-AZ, encryption and Performance Insights for MySQL 8.0.
        db: [
            t("db.t3.medium", 2, 4),
            t("db.t3.large", 2, 8),
            t("db.r6g.large", 2, 16),
            t("db.m6g.xlarge", 4, 16),
            t("db.r6g.xlarge", 4, 32),
            t("db.m6g.2xlarge", 8, 32),
            t("db.r6g.2xlarge", 8, 64),
        ],
    },
    azure: {
        web: [
            t("Standard_D2s_v5", 2, 8),
            t("Standard_D4s_v5", 4, 16),
            t("Standard_D8s_v5", 8, 32),
            t("Standard_D16s_v5", 16, 64),
            t("Standard_D32s_v5", 32, 128),
        ],
        // General Purpose (D) and Memory Optimized (E) only: Burstable has no zone-redundant HA.
        db: [
            t("Standard_D2ds_v4", 2, 8),
            t("Standard_E2ds_v4", 2, 16),
            t("Standard_D4ds_v4", 4, 16),
            t("Standard_E4ds_v4", 4, 32),
            t("Standard_D8ds_v4", 8, 32),
            t("Standard_E8ds_v4", 8, 64),
        ],
    },
};

/** The cheapest instance of `cloud` for `role` that fits `size`, or undefined if none does. */
export function instanceFor(cloud: Cloud, role: "web" | "db", size: Size): string | undefined {
    return instanceCatalog[cloud][role].find((i) => i.vcpu >= size.vcpu && i.memoryGiB >= size.memoryGiB)?.name;
}

/** What an override must look like on each cloud (it may name a type outside the catalog). */
export const instanceTypePatterns: Record<Cloud, Record<"web" | "db", RegExp>> = {
    aws: { web: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, db: /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/ },
    azure: { web: /^Standard_[A-Za-z0-9_]+$/, db: /^Standard_[DE][A-Za-z0-9_]+$/ },
};
