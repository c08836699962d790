import type { Placement } from "../model";
import type { Plan, PlanResource } from "../plan";

/**
 * What the architecture diagram draws, read from plan.json's resources (their inputs, placement
 * and dependencies) the way the model reads the captured graph (src/plan/model/<cloud>.ts), so
 * the picture of a written plan and the zone simulation agree.
 */
export interface ArchitectureFacts {
    /** Load balancer (and firewall) in front of the web servers. */
    entry: { label: string; zones: string[] };
    /** Where the servers' internet traffic leaves, and which zones' servers use each way out. */
    egress: Array<{ key: string; label: string; placement: Placement; serves: string[] }>;
    database: DatabaseFacts | undefined;
    files: { label: string; accessZones: string[] } | undefined;
    /** The shared session store the servers keep PHP sessions in, and the zones its copies run in. */
    sessions: { label: string; zones: string[] } | undefined;
}

export interface DatabaseFacts {
    engine: string;
    /** Both known from the plan: Azure declares them; AWS Multi-AZ cannot (see awsDatabase). */
    primary: string | undefined;
    standby: string | undefined;
    /** The zones the database may run in: the two above, or the subnet group's zones. */
    zones: string[];
    /** How the standby takes over, or that there is none. */
    failover: string;
}

const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const byKey = (plan: Plan, key: string) => plan.resources.find((r) => r.key === key);
const dependsOnType = (r: PlanResource, type: string) => r.dependsOn.filter((k) => k.startsWith(`${type}::`));
const zonesOf = (p: Placement | PlanResource["placement"]): string[] =>
    p.kind === "zonal" ? [p.zone] : p.kind === "zone-redundant" ? p.zones : [];
const placementOf = (r: PlanResource): Placement =>
    r.placement.kind === "zonal" || r.placement.kind === "zone-redundant" ? r.placement : { kind: "regional" };

export function architectureFacts(plan: Plan): ArchitectureFacts {
    return plan.cloud === "aws" ? awsFacts(plan) : azureFacts(plan);
}

/** The session store's label: where its copies run and whether a standby takes over (placement rules read the same inputs). */
function sessionStore(store: PlanResource | undefined, service: string, standby: boolean): ArchitectureFacts["sessions"] {
    if (!store) return undefined;
    const zones = zonesOf(store.placement);
    const copies = standby && zones.length > 1 ? `copies in zones ${zones.join(", ")}, automatic failover` : `one copy${zones.length ? ` in ${zones.join(", ")}` : ""}, no failover`;
    return { label: `${service}<br/>${copies}`, zones };
}

function awsFacts(plan: Plan): ArchitectureFacts {
    const lb = ofType(plan, "aws:lb/loadBalancer:LoadBalancer")[0];
    const waf = ofType(plan, "aws:wafv2/webAclAssociation:WebAclAssociation").some((a) => lb && a.dependsOn.includes(lb.key));
    const fs = ofType(plan, "aws:efs/fileSystem:FileSystem")[0];
    const mountZones = ofType(plan, "aws:efs/mountTarget:MountTarget").filter((m) => fs && m.dependsOn.includes(fs.key)).flatMap((m) => zonesOf(m.placement));
    return {
        entry: { label: `Application Load Balancer${waf ? " + AWS WAF" : ", no WAF"}`, zones: lb ? zonesOf(lb.placement) : [] },
        egress: ofType(plan, "aws:ec2/natGateway:NatGateway").map((nat) => ({ key: nat.key, label: "NAT gateway", placement: placementOf(nat), serves: natServes(plan, nat) })),
        database: ofType(plan, "aws:rds/instance:Instance").map(awsDatabase)[0],
        files: fs && {
            // EFS Regional keeps its data in several zones (src/plan/placement/aws.ts); each zone mounts it through its own mount target.
            label: fs.inputs.availabilityZoneName ? `EFS One Zone (${fs.inputs.availabilityZoneName} only)` : "EFS Regional: stored across zones",
            accessZones: [...new Set(mountZones)].sort(),
        },
        sessions: ofType(plan, "aws:elasticache/replicationGroup:ReplicationGroup").map((g) => sessionStore(g, "ElastiCache for Valkey", g.inputs.automaticFailoverEnabled === true))[0],
    };
}

/** Zones whose app subnets route 0.0.0.0/0 through this NAT (model/aws.ts servedZones, over plan dependencies). */
function natServes(plan: Plan, nat: PlanResource): string[] {
    const tables = ofType(plan, "aws:ec2/routeTable:RouteTable").filter((t) => t.dependsOn.includes(nat.key)).map((t) => t.key);
    const appSubnet = (a: PlanResource) =>
        dependsOnType(a, "aws:ec2/subnet:Subnet").some((k) => (byKey(plan, k)?.inputs.tags as Record<string, string> | undefined)?.["emr:subnet-role"] === "app");
    return ofType(plan, "aws:ec2/routeTableAssociation:RouteTableAssociation")
        .filter((a) => a.dependsOn.some((k) => tables.includes(k)) && appSubnet(a))
        .flatMap((a) => zonesOf(a.placement))
        .sort();
}

/**
 * RDS Multi-AZ: the primary and a synchronous standby in two different zones of the subnet group,
 * chosen by RDS. A Multi-AZ instance cannot name its zone ("You can't set the AvailabilityZone
 * parameter if the DB instance is a Multi-AZ deployment": RDS API CreateDBInstance, MultiAZ,
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html), so the
 * plan knows only the candidate zones, which the placement rule reads (placement/aws.ts).
 */
function awsDatabase(db: PlanResource): DatabaseFacts {
    const zones = zonesOf(db.placement);
    const multiAz = db.inputs.multiAz === true && zones.length > 1;
    return {
        engine: `RDS ${db.inputs.engine} ${db.inputs.engineVersion ?? ""}`.trim() + (multiAz ? ", Multi-AZ" : ""),
        primary: multiAz ? undefined : zones[0],
        standby: undefined,
        zones,
        failover: multiAz ? "automatic failover to the standby" : "no standby: restore from backup",
    };
}

function azureFacts(plan: Plan): ArchitectureFacts {
    const gateway = ofType(plan, "azure-native:network:ApplicationGateway")[0];
    const waf = !!(gateway?.inputs.firewallPolicy as { id?: string } | undefined)?.id;
    const share = ofType(plan, "azure-native:storage:FileShare")[0];
    const account = share && dependsOnType(share, "azure-native:storage:StorageAccount").map((k) => byKey(plan, k)!)[0];
    const sku = String((account?.inputs.sku as { name?: string } | undefined)?.name ?? "");
    return {
        entry: { label: `Application Gateway${waf ? " + WAF policy" : ", no WAF"}`, zones: gateway ? zonesOf(gateway.placement) : [] },
        egress: [...ofType(plan, "azure-native:network:LoadBalancer").flatMap((lb) => outboundRuleEgress(plan, lb)), ...ofType(plan, "azure-native:network:NatGateway").map((nat) => natGatewayEgress(plan, nat))],
        database: ofType(plan, "azure-native:dbformysql:Server").map(azureDatabase)[0],
        files: account && {
            // Reached through a private endpoint, which serves every zone of the VNet (model/azure.ts stores).
            label: `Azure Files NFS share, ${sku}${zonesOf(account.placement).length > 1 ? ` (zones ${zonesOf(account.placement).join(", ")})` : ""}`,
            accessZones: plan.zones,
        },
        sessions: ofType(plan, "azure-native:redisenterprise:RedisEnterprise").map((c) => sessionStore(c, "Azure Managed Redis", c.inputs.highAvailability !== "Disabled"))[0],
    };
}

/**
 * A Standard load balancer's outbound rule SNATs every server whose NIC joins its backend pool
 * (src/azure/netEgress.ts; model/azure.ts reads the same pool ids). Its placement is its public IP's zones.
 */
function outboundRuleEgress(plan: Plan, lb: PlanResource): ArchitectureFacts["egress"] {
    const rules = (lb.inputs.outboundRules as Array<{ backendAddressPool?: { id?: string } }> | undefined) ?? [];
    if (rules.length === 0) return [];
    const pools = new Set(rules.map((r) => r.backendAddressPool?.id));
    const joined = ofType(plan, "azure-native:compute:VirtualMachineScaleSet")
        .flatMap((s) => (s.inputs.virtualMachineProfile as any)?.networkProfile?.networkInterfaceConfigurations ?? [])
        .flatMap((nic: any) => nic.ipConfigurations ?? [])
        .some((ip: any) => (ip.loadBalancerBackendAddressPools ?? []).some((p: { id?: string }) => pools.has(p.id)));
    const zones = zonesOf(lb.placement);
    return [
        {
            key: lb.key,
            label: `Outbound rule of a Standard load balancer<br/>${zones.length > 1 ? `zone-redundant public IP (zones ${zones.join(", ")})` : `public IP in ${zones.join("") || "no zone"}`}`,
            placement: placementOf(lb),
            serves: joined ? plan.zones : [],
        },
    ];
}

/** A NAT gateway serves the subnets that name it; Azure subnets span every zone. */
function natGatewayEgress(plan: Plan, nat: PlanResource): ArchitectureFacts["egress"][number] {
    const named = ofType(plan, "azure-native:network:Subnet").some((s) => s.dependsOn.includes(nat.key));
    return { key: nat.key, label: "NAT gateway", placement: placementOf(nat), serves: named ? plan.zones : [] };
}

/**
 * Flexible server zone-redundant HA declares both zones: `availabilityZone` (primary) and
 * `highAvailability.standbyAvailabilityZone` (src/azure/dbServer.ts, dbSettings.ts dbZones). They
 * are the zones at creation: a failover swaps the roles and the stack ignores the drift.
 */
function azureDatabase(db: PlanResource): DatabaseFacts {
    const ha = db.inputs.highAvailability as { mode?: string; standbyAvailabilityZone?: string } | undefined;
    const zoneRedundant = ha?.mode === "ZoneRedundant";
    return {
        engine: `MySQL flexible server ${db.inputs.version ?? ""}`.trim() + (zoneRedundant ? ", zone-redundant HA" : ""),
        primary: db.inputs.availabilityZone as string | undefined,
        standby: zoneRedundant ? ha?.standbyAvailabilityZone : undefined,
        zones: zonesOf(db.placement),
        failover: zoneRedundant ? "automatic failover to the standby" : "no standby: restore from backup",
    };
}
