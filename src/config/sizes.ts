import type { Cloud, CpuArch, Size } from "./types";

/**
 * Instance types the neutral sizes map to, per cloud and role, cheapest first (on-demand,
 * us-east-1 / eastus; the prices themselves live in the cost catalog, whose tests check this
 * order). A size maps to the first entry that has at least the requested vCPU and memory.
 */
export interface InstanceType extends Size {
    name: string;
}

const t = (name: string, vcpu: number, memoryGiB: number): InstanceType => ({ name, vcpu, memoryGiB });

export const instanceCatalog: Record<Cloud, { web: Record<CpuArch, InstanceType[]>; db: InstanceType[] }> = {
    aws: {
        web: {
            // Graviton, with the Amazon Linux 2023 arm64 image the launch template resolves.
            arm64: [
                t("t4g.medium", 2, 4),
                t("t4g.large", 2, 8),
                t("t4g.xlarge", 4, 16),
                t("t4g.2xlarge", 8, 32),
                t("m7g.4xlarge", 16, 64),
                t("m7g.8xlarge", 32, 128),
            ],
            // x86_64, with the Amazon Linux 2023 x86_64 image.
            x86_64: [
                t("t3.medium", 2, 4),
                t("t3.large", 2, 8),
                t("t3.xlarge", 4, 16),
                t("t3.2xlarge", 8, 32),
                t("m6i.4xlarge", 16, 64),
                t("m6i.8xlarge", 32, 128),
            ],
        },
        // Graviton classes whatever the servers run: the database is managed, its CPU is invisible
        // to OpenEMR. db.t4g.large Multi-AZ is $0.258/h against db.t3.large's $0.272/h
        // (cost-review.md (a)): -$10 a month; watch CPU credits (burstable), or pick 2 vCPU /
        // 16 GiB for db.r6g.large. Every class here supports MySQL 8.4 Multi-AZ with encryption.
        db: [
            t("db.t4g.medium", 2, 4),
            t("db.t4g.large", 2, 8),
            t("db.r6g.large", 2, 16),
            t("db.m6g.xlarge", 4, 16),
            t("db.r6g.xlarge", 4, 32),
            t("db.m6g.2xlarge", 8, 32),
            t("db.r6g.2xlarge", 8, 64),
        ],
    },
    azure: {
        web: {
            // Cobalt 100 (Dpsv6), with the Ubuntu 24.04 arm64 image. Not Dpsv5: the scale set runs
            // Trusted Launch, which lists Dpsv5 among the "currently not supported" families and
            // Dpsv6 as supported (MicrosoftDocs/azure-compute-docs articles/virtual-machines/
            // trusted-launch.md, "Virtual machines sizes"; dpsv6-series.md: 2 vCPU / 8 GiB D2ps_v6).
            arm64: [
                t("Standard_D2ps_v6", 2, 8),
                t("Standard_D4ps_v6", 4, 16),
                t("Standard_D8ps_v6", 8, 32),
                t("Standard_D16ps_v6", 16, 64),
                t("Standard_D32ps_v6", 32, 128),
            ],
            x86_64: [
                t("Standard_D2s_v5", 2, 8),
                t("Standard_D4s_v5", 4, 16),
                t("Standard_D8s_v5", 8, 32),
                t("Standard_D16s_v5", 16, 64),
                t("Standard_D32s_v5", 32, 128),
            ],
        },
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

/** The instance types a role can map to on `cloud`: the web servers' follow their CPU architecture. */
export function instanceChoices(cloud: Cloud, role: "web" | "db", arch: CpuArch): InstanceType[] {
    return role === "web" ? instanceCatalog[cloud].web[arch] : instanceCatalog[cloud].db;
}

/** The cheapest instance of `cloud` for `role` that fits `size`, or undefined if none does. */
export function instanceFor(cloud: Cloud, role: "web" | "db", size: Size, arch: CpuArch): string | undefined {
    return instanceChoices(cloud, role, arch).find((i) => i.vcpu >= size.vcpu && i.memoryGiB >= size.memoryGiB)?.name;
}

/** The largest instance a role can map to (most vCPU, then most memory): what a size may ask at most. */
export function largestInstance(cloud: Cloud, role: "web" | "db", arch: CpuArch): InstanceType {
    return instanceChoices(cloud, role, arch).reduce((a, b) => (b.vcpu > a.vcpu || (b.vcpu === a.vcpu && b.memoryGiB > a.memoryGiB) ? b : a));
}

/** What an override must look like on each cloud (it may name a type outside the catalog), in words. */
export interface InstanceTypeRule {
    pattern: RegExp;
    allowed: string;
    /** Names the pattern would take that cannot host this design, and why. */
    refuse?: { pattern: RegExp; why: string };
}

export const instanceTypeRules: Record<Cloud, Record<"web" | "db", InstanceTypeRule>> = {
    aws: {
        web: { pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, allowed: "an EC2 instance type, e.g. t4g.large" },
        db: { pattern: /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/, allowed: "an RDS DB instance class, e.g. db.t4g.large" },
    },
    azure: {
        web: { pattern: /^Standard_[A-Za-z0-9_]+$/, allowed: "an Azure VM size, e.g. Standard_D2ps_v6" },
        db: {
            pattern: /^Standard_[DE][A-Za-z0-9_]+$/,
            allowed: "a MySQL Flexible Server General Purpose or Memory Optimized size, e.g. Standard_D2ds_v4",
            // Microsoft Learn, "Deploy and connect to Azure Database for MySQL flexible server":
            // "High availability isn't supported in the Burstable tier".
            refuse: { pattern: /^Standard_B/, why: "Burstable has no zone-redundant HA; use a D or E series size" },
        },
    },
};

/**
 * The CPU architecture of an instance type's name. AWS: Graviton families carry a `g` right after
 * their generation (c6g, c6gn, m7gd, t4g, x2gd, im4gn, is4gen, g5g, r8g) or are a1
 * (aws/aws-graviton-getting-started README: "C6g[d], M6g[d], R6g[d], T4g, X2gd, C6gn, I4g,
 * Im4gn, Is4gen, G5g, C7g[d][n], M7g[d], R7g[d], R8g"); every other family is x86_64 (g4dn, m6i,
 * t3a). Azure: a `p` among the letters after the vCPU count marks an Arm64 size
 * (learn.microsoft.com/azure/virtual-machines/vm-naming-conventions: "p = ARM Cpu"; Dpsv6, Epsv5).
 */
export function instanceArch(cloud: Cloud, instanceType: string): CpuArch {
    if (cloud === "azure") return /^Standard_[A-Z]+\d+[a-z]*p[a-z]*_v\d+$/.test(instanceType) ? "arm64" : "x86_64";
    const family = instanceType.split(".")[0];
    return family === "a1" || /^[a-z]+\d+g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}
