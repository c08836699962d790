import { instanceCatalog } from "../config";
import type { Graph } from "./graph";
import type { EmrModel } from "./model";
import { zoneList as list, zoneName, type TierName } from "./zones";

/** One tier of the stack in words, as the summary opens with it. */
export interface BuiltTier {
    tier: TierName;
    text: string;
}

/** The web servers' capacity range, and which resources they are (the cost range scales their line). */
export interface ServerRange {
    keys: string[];
    min: number;
    max: number;
}

/** The product names and sizes a cloud's resources declare; everything else comes from the neutral model. */
interface Products {
    loadBalancer: string;
    serverType: string | undefined;
    database: string | undefined;
    files: string | undefined;
}

/** Read off the declared inputs, so the words say what is built, not what the config asked for. */
const products: Record<EmrModel["cloud"], (g: Graph) => Products> = {
    aws: (g) => {
        const lb = g.ofType("aws:lb/loadBalancer:LoadBalancer")[0];
        const asg = g.ofType("aws:autoscaling/group:Group")[0];
        const db = g.ofType("aws:rds/instance:Instance")[0];
        const fs = g.ofType("aws:efs/fileSystem:FileSystem")[0];
        return {
            loadBalancer: lb?.inputs.loadBalancerType === "application" ? "an ALB" : "a load balancer",
            serverType: g.referenced(asg?.inputs.launchTemplate?.id)?.inputs.instanceType,
            database: db && `MySQL ${db.inputs.engineVersion} (${db.inputs.instanceClass})`,
            // One Zone file systems name their zone (aws efs/fileSystem availabilityZoneName).
            files: fs && (fs.inputs.availabilityZoneName ? "EFS One Zone" : "EFS Regional"),
        };
    },
    azure: (g) => {
        const gw = g.ofType("azure-native:network:ApplicationGateway")[0];
        const vmss = g.ofType("azure-native:compute:VirtualMachineScaleSet")[0];
        const db = g.ofType("azure-native:dbformysql:Server")[0];
        const share = g.ofType("azure-native:storage:FileShare")[0];
        const account = g.ofType("azure-native:storage:StorageAccount").find((a) => a.inputs.kind === "FileStorage");
        return {
            loadBalancer: gw ? `an Application Gateway (${gw.inputs.sku?.name ?? "sku unknown"})` : "a load balancer",
            serverType: vmss?.inputs.sku?.name,
            database: db && `MySQL ${db.inputs.version} flexible server (${db.inputs.sku?.name})`,
            files: share && `Azure Files ${share.inputs.enabledProtocols ?? ""} share, ${account?.inputs.sku?.name ?? "unknown redundancy"}`.replace("  ", " "),
        };
    },
};

/** "Arm" or "x86" for a type of the sizing catalog; nothing for a type set by hand that it does not list. */
function archOf(cloud: EmrModel["cloud"], type: string | undefined): string {
    const { arm64, x86_64 } = instanceCatalog[cloud].web;
    if (arm64.some((t) => t.name === type)) return "Arm ";
    if (x86_64.some((t) => t.name === type)) return "x86 ";
    return "";
}

/** Where PHP sessions live, and whether they outlive a zone. */
function sessionsText(model: EmrModel): string {
    const store = model.sessionStores[0];
    if (!store) return "on each server's disk: a lost server or zone logs its users out";
    const where = store.placement.kind === "zone-redundant" ? `replica in another zone, automatic failover (${list(store.placement.zones)})` : store.placement.kind === "zonal" ? `one copy only, in ${zoneName(store.placement.zone)}` : "regional";
    return `shared session store, ${where}${store.tls ? ", TLS" : ", NO TLS"}${store.auth ? ", password" : ", NO authentication"}`;
}

/** The stack in one line per tier: what is built, where, and what takes over. */
export function describeStack(model: EmrModel, g: Graph): { built: BuiltTier[]; servers: ServerRange } {
    const p = products[model.cloud](g);
    const lb = model.loadBalancers[0];
    const waf = lb?.firewall
        ? ` with WAF (${lb.firewall.blocks ? "blocking" : "counting only"}${lb.firewall.rateLimit ? ", per-client rate limit" : ""}, ${lb.firewall.managedRuleSets.length} managed rule sets)`
        : ", NO web application firewall";
    const tls = lb?.minTlsVersion ? `, HTTPS only (TLS ${lb.minTlsVersion}+)` : "";
    const sgs = model.serverGroups;
    const servers: ServerRange = { keys: sgs.map((s) => s.key), min: sgs.reduce((n, s) => n + s.min, 0), max: sgs.reduce((n, s) => n + s.max, 0) };
    const count = servers.min === servers.max ? `${servers.min}` : `${servers.min}-${servers.max}`;
    const zonalEgress = model.egress.filter((e) => e.placement.kind === "zonal");
    const egress =
        model.egress.length === 0
            ? "no managed egress"
            : zonalEgress.length === model.egress.length
              ? zonalEgress.length >= model.zones.length
                  ? "a NAT gateway in each zone"
                  : `${zonalEgress.length} NAT gateway(s) in ${list(zonalEgress.map((e) => (e.placement as { zone: string }).zone))}, serving every zone: a single point of failure`
              : "a zone-redundant outbound address (load balancer outbound rule)";
    const db = model.databases[0];
    const dbWhere =
        db?.placement.kind === "zone-redundant"
            ? `${db.automaticFailover ? "synchronous standby in another zone, automatic failover" : "standby WITHOUT automatic failover"} (${list(db.placement.zones)})`
            : db?.placement.kind === "zonal"
              ? `one copy only, in ${zoneName(db.placement.zone)}`
              : "regional";
    const store = model.stores[0];
    const storeWhere = store?.placement.kind === "zonal" ? `in ${zoneName(store.placement.zone)} only` : "replicated across zones";
    return {
        servers,
        built: [
            { tier: "ingress", text: lb ? `${p.loadBalancer} over ${list(lb.zones)}${waf}${tls}` : "no load balancer" },
            {
                tier: "web",
                text: `${count} ${archOf(model.cloud, p.serverType)}servers (${p.serverType ?? "type unknown"}) over ${list(sgs[0]?.zones ?? [])}${sgs.every((s) => s.replacesUnhealthy) ? ", unhealthy ones replaced" : ""}${sgs.every((s) => s.autoscales) ? ", scaled on load" : ""}`,
            },
            { tier: "sessions", text: sessionsText(model) },
            { tier: "egress", text: egress },
            { tier: "database", text: db ? `${p.database ?? db.engine}, ${dbWhere}, backups kept ${db.backupRetentionDays} days` : "no database" },
            { tier: "shared-files", text: store ? `${p.files ?? "shared file system"}, ${storeWhere}: sites/ and patient documents` : "no shared file system" },
        ],
    };
}
