import { describe, expect, it } from "vitest";
import { catalogFor, estimateCost } from "../../src/plan/cost/estimate";
import { renderCostComparison } from "../../src/plan/cost/render";
import { premiumTier } from "../../src/plan/cost/rules/azure";
import { defaultUsage } from "../../src/config/usage";
import type { Plan, PlanResource } from "../../src/plan/plan";

/** A Plan-shaped resource: only what the cost rules read. */
export const res = (type: string, name: string, inputs: Record<string, unknown> = {}, dependsOn: string[] = []): PlanResource => ({
    key: `${type}::${name}`,
    type,
    name,
    tier: "t",
    parent: null,
    placement: { kind: "regional" },
    protect: false,
    dependsOn,
    inputs,
});

/** A synthetic plan around `resources`; `documentsStore` names the exported documents store. */
export const planOf = (cloud: Plan["cloud"], resources: PlanResource[], documentsStore = ""): Plan =>
    ({ schemaVersion: 1, stack: "synthetic", cloud, zones: [], resources, totalsByType: {}, unclassified: [], zoneFailure: [], outputs: { documentsStore } }) as unknown as Plan;

export const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const aws = catalogFor("aws", "us-east-1");
const azure = catalogFor("azure", "eastus");
const within2 = (total: number, expected: number) => expect(Math.abs(total - expected) / expected).toBeLessThan(0.02);
const components = (cloud: "aws" | "azure", resources: PlanResource[]) =>
    estimateCost(planOf(cloud, resources), cloud === "aws" ? aws : azure, defaultUsage).lines.filter((l) => l.type !== "data transfer").flatMap((l) => l.components);

describe("AWS rules", () => {
    it("bills RDS Multi-AZ as two instances and at the Multi-AZ storage price", () => {
        const db = (multiAz: boolean) => res("aws:rds/instance:Instance", "db", { engine: "mysql", instanceClass: "db.t3.large", multiAz, allocatedStorage: 100, storageType: "gp3" });
        expect(components("aws", [db(false)]).map((c) => c.monthlyUsd)).toEqual([99.28, 11.5]);
        const [instance, storage] = components("aws", [db(true)]);
        expect(instance).toMatchObject({ quantity: 1460, unitUsd: 0.136, monthlyUsd: 198.56 });
        expect(storage).toMatchObject({ quantity: 100, unitUsd: 0.23, monthlyUsd: 23, priceId: "rds:gp3-storage-multi-az" });
    });

    it("bills a public IPv4 per NAT EIP and per zone of an internet-facing ALB", () => {
        const ipv4 = (rs: PlanResource[]) => components("aws", rs).filter((c) => c.priceId === "public-ipv4:hour");
        const alb = (internal: boolean) => res("aws:lb/loadBalancer:LoadBalancer", "alb", { internal, subnets: ["a", "b"] });
        const stack = [...times(2, (i) => res("aws:ec2/eip:Eip", `eip${i}`)), alb(false)];
        expect(ipv4(stack).reduce((n, c) => n + c.quantity, 0)).toBe(4 * 730);
        expect(ipv4(stack).reduce((n, c) => n + c.monthlyUsd, 0)).toBeCloseTo(14.6, 2);
        expect(ipv4([alb(true)])).toEqual([]);
    });

    it("splits NAT data over the gateways and runs the group's minimum all month", () => {
        const nat = components("aws", times(2, (i) => res("aws:ec2/natGateway:NatGateway", `nat${i}`)));
        expect(nat.filter((c) => c.priceId === "nat:gb").map((c) => c.quantity)).toEqual([100, 100]);
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType: "t3.medium", blockDeviceMappings: [{ ebs: { volumeSize: 30, volumeType: "gp3" } }] });
        const [instances, root] = components("aws", [lt, res("aws:autoscaling/group:Group", "asg", { minSize: 3, maxSize: 9 }, [lt.key])]);
        expect(instances).toMatchObject({ quantity: 3 * 730, monthlyUsd: 91.1 });
        expect(root).toMatchObject({ quantity: 90, monthlyUsd: 7.2 });
    });
});

describe("Azure rules", () => {
    it("bills zone-redundant MySQL HA as two nodes of compute and storage", () => {
        const db = (mode: string) => res("azure-native:dbformysql:Server", "db", { sku: { name: "Standard_D2ds_v4" }, highAvailability: { mode }, storage: { storageSizeGB: 100 } });
        expect(components("azure", [db("Disabled")]).map((c) => c.monthlyUsd)).toEqual([142.35, 13.8]);
        expect(components("azure", [db("ZoneRedundant")]).map((c) => [c.quantity, c.monthlyUsd])).toEqual([
            [1460, 284.7],
            [200, 27.6],
        ]);
    });

    it("rounds a Premium SSD up to its tier", () => {
        expect([1, 32, 33, 64, 100, 128, 129, 1024].map(premiumTier)).toEqual(["P4", "P4", "P6", "P6", "P10", "P10", "P15", "P30"]);
        const vmss = res("azure-native:compute:VirtualMachineScaleSet", "vmss", {
            sku: { name: "Standard_D2s_v5", capacity: 2 },
            virtualMachineProfile: { storageProfile: { osDisk: { diskSizeGB: 100, managedDisk: { storageAccountType: "Premium_LRS" } } } },
        });
        const disk = components("azure", [vmss])[1];
        expect(disk).toMatchObject({ priceId: "managed-disk:P10", quantity: 2, monthlyUsd: 39.42 });
    });

    it("reserves 10 capacity units per minimum App Gateway instance", () => {
        const gw = res("azure-native:network:ApplicationGateway", "gw", { sku: { tier: "WAF_v2" }, autoscaleConfiguration: { minCapacity: 2, maxCapacity: 10 } });
        const [fixed, cu] = components("azure", [gw]);
        expect(fixed.monthlyUsd).toBe(262.8);
        expect(cu).toMatchObject({ quantity: 20 * 730, monthlyUsd: 210.24, usageBased: false });
    });

    it("takes the scale set's floor from its autoscale setting", () => {
        const vmss = res("azure-native:compute:VirtualMachineScaleSet", "vmss", { sku: { name: "Standard_D2s_v5", capacity: 2 } });
        const autoscale = res("azure-native:monitor:AutoscaleSetting", "as", { profiles: [{ capacity: { minimum: "3" } }] }, [vmss.key]);
        expect(components("azure", [vmss, autoscale])[0]).toMatchObject({ quantity: 3 * 730, monthlyUsd: 210.24 });
    });
});

describe("the article's bills of materials, re-priced (facts/prices.md §1.1, §1.2)", () => {
    it("prices the AWS example at the §1.1 total (~$785)", () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType: "t3.large", blockDeviceMappings: [{ ebs: { volumeSize: 30, volumeType: "gp3" } }] });
        const plan = planOf(
            "aws",
            [
                lt,
                res("aws:autoscaling/group:Group", "asg", { minSize: 2 }, [lt.key]),
                res("aws:rds/instance:Instance", "db", { engine: "mysql", instanceClass: "db.r5.large", multiAz: true, allocatedStorage: 100, storageType: "gp3" }),
                res("aws:lb/loadBalancer:LoadBalancer", "alb", { internal: false, subnets: ["a", "b"] }),
                ...times(2, (i) => res("aws:ec2/natGateway:NatGateway", `nat${i}`)),
                ...times(2, (i) => res("aws:ec2/eip:Eip", `eip${i}`)),
                res("aws:s3/bucket:Bucket", "docs"),
                res("aws:cloudwatch/logGroup:LogGroup", "logs"),
                ...times(10, (i) => res("aws:cloudwatch/metricAlarm:MetricAlarm", `alarm${i}`)),
                ...times(3, (i) => res("aws:kms/key:Key", `key${i}`)),
                ...times(3, (i) => res("aws:secretsmanager/secret:Secret", `secret${i}`)),
                res("aws:wafv2/webAcl:WebAcl", "waf", { rules: times(5, (i) => ({ name: `r${i}` })) }),
            ],
            "docs-1a2b3c4",
        );
        const report = estimateCost(plan, aws, { ...defaultUsage, keyOperations10k: 0 });
        expect(report.notPriced).toEqual([]);
        expect(report.totalUsd).toBeCloseTo(785.1, 2);
        within2(report.totalUsd, 785);
    });

    it("prices the Azure example at the §1.2 total (~$777)", () => {
        const plan = planOf(
            "azure",
            [
                res("azure-native:compute:VirtualMachineScaleSet", "vmss", {
                    sku: { name: "Standard_D2s_v5", capacity: 2 },
                    virtualMachineProfile: { storageProfile: { osDisk: { diskSizeGB: 100, managedDisk: { storageAccountType: "Premium_LRS" } } } },
                }),
                res("azure-native:network:LoadBalancer", "lb", { loadBalancingRules: [{ name: "https" }] }),
                res("azure-native:dbformysql:Server", "db", { sku: { name: "Standard_D2ds_v4" }, highAvailability: { mode: "ZoneRedundant" }, storage: { storageSizeGB: 100 } }),
                ...times(2, (i) => res("azure-native:network:NatGateway", `nat${i}`)),
                ...times(3, (i) => res("azure-native:network:PublicIPAddress", `ip${i}`)),
                res("azure-native:storage:StorageAccount", "docs", { kind: "StorageV2", sku: { name: "Standard_LRS" } }),
                res("azure-native:operationalinsights:Workspace", "logs"),
                res("azure-native:keyvault:Vault", "kv"),
            ],
            "docs1a2b3c4d/documents",
        );
        const report = estimateCost(plan, azure, { ...defaultUsage, logIngestGb: 20, logStoredGb: 0 });
        expect(report.notPriced).toEqual([]);
        // §1.2 uses $2.76/GB for Log Analytics; the catalog's East US figure is $2.30 (-$9.20).
        expect(report.totalUsd).toBeCloseTo(767.58, 2);
        within2(report.totalUsd, 777);
    });
});

describe("not priced", () => {
    it("reports a type without a rule, and an instance missing from the catalog, as not priced", () => {
        const plan = planOf("aws", [
            res("aws:dynamodb/table:Table", "t"),
            res("aws:rds/instance:Instance", "db", { engine: "mysql", instanceClass: "db.x2g.large", allocatedStorage: 10 }),
        ]);
        const report = estimateCost(plan, aws, defaultUsage);
        expect(report.notPriced.map((n) => n.type)).toEqual(["aws:dynamodb/table:Table", "aws:rds/instance:Instance"]);
        expect(report.notPriced[1].reason).toMatch(/rds-mysql:db.x2g.large/);
    });
});

describe("comparison", () => {
    it("puts the tiers side by side and explains the WAF difference", () => {
        const a = estimateCost(planOf("aws", [res("aws:wafv2/webAcl:WebAcl", "waf", { rules: [] })]), aws, defaultUsage);
        const b = estimateCost(planOf("azure", [res("azure-native:network:ApplicationGateway", "gw", { sku: { tier: "WAF_v2" }, autoscaleConfiguration: { minCapacity: 2 } })]), azure, defaultUsage);
        const text = renderCostComparison(a, b);
        expect(text).toMatch(/t\s+\$8\.00\s+\$473\.04/);
        expect(text).toContain("Application Gateway WAF_v2 has a fixed hourly price");
    });
});
