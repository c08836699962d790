import * as pulumi from "@pulumi/pulumi";
import { awsPlatform } from "./aws/platform";
import { azurePlatform } from "./azure/platform";
import { documentsOnShare } from "./app/bootScript";
import type { Cloud, EmrConfig } from "./config";
import type { CloudPlatform, DbTier, Monitoring, NetTier, SessionTier, StorageTier, WebTier } from "./tiers/contracts";

/** The stack outputs, with the same names on every cloud. */
export interface EmrOutputs {
    url: pulumi.Output<string>;
    zones: pulumi.Output<string[]>;
    dbEndpoint: pulumi.Output<string>;
    /** The shared PHP session store's host name. */
    sessionEndpoint: pulumi.Output<string>;
    sharedFileSystem: pulumi.Output<string>;
    /** Where OpenEMR keeps the patient documents: a folder of the shared file system. */
    documentsPath: pulumi.Output<string>;
    backupTarget: pulumi.Output<string>;
    alertTopic: pulumi.Output<string>;
    /** Where to read the first OpenEMR administrator's password (never the password). */
    adminPasswordSecret: pulumi.Output<string>;
}

/**
 * A folder of the shared file system, written as its NFS source is: an EFS id is the file
 * system's root (`fs-1:/` + path), an Azure source already names the share (`host:/account/share`
 * + `/` + path).
 */
export const pathOnShare = (source: string, path: string): string => (source.includes(":/") ? `${source.replace(/\/$/, "")}/${path}` : `${source}:/${path}`);

/** Composes the tiers in dependency order: net -> storage -> db -> session -> web -> monitoring. */
function compose<N extends NetTier, S extends StorageTier, D extends DbTier, W extends WebTier, M extends Monitoring, X extends SessionTier>(
    platform: CloudPlatform<N, S, D, W, M, X>,
    config: EmrConfig,
): EmrOutputs {
    const common = {
        tags: {
            app: "emr",
            stack: pulumi.getStack(),
            "data-classification": "phi",
            "managed-by": "pulumi",
        },
        logRetentionDays: config.logRetentionDays,
    };
    const net = platform.net("emr-net", {
        ...common,
        zoneCount: config.zones,
        networkCidr: config.networkCidr,
        egress: config.egress,
        allowedCidrs: config.allowedCidrs,
    });
    const storage = platform.storage("emr-storage", {
        ...common,
        net,
        files: config.sharedFiles,
        geoRedundant: config.geoRedundant,
        backupRetentionDays: config.db.backupRetentionDays,
    });
    const db = platform.db("emr-db", {
        ...common,
        net,
        storage,
        instanceType: config.db.instanceType,
        storageGb: config.db.storageGb,
        backupRetentionDays: config.db.backupRetentionDays,
        geoRedundant: config.geoRedundant,
    });
    const session = platform.session("emr-session", { ...common, net, storage });
    const web = platform.web("emr-web", {
        ...common,
        net,
        storage,
        db,
        session,
        instanceType: config.web.instanceType,
        cpuArch: config.web.cpuArch,
        minServers: config.web.minServers,
        maxServers: config.web.maxServers,
        image: config.web.image,
        healthCheckPath: config.web.healthCheckPath,
        tls: config.tls,
    });
    const monitoring = platform.monitoring("emr-monitoring", { ...common, net, storage, db, session, web, alertEmail: config.alertEmail });
    return {
        url: web.url,
        zones: net.zones,
        dbEndpoint: db.endpoint,
        sessionEndpoint: session.endpoint,
        sharedFileSystem: storage.sharedFileSystem,
        documentsPath: storage.sharedFileSystem.apply((source) => pathOnShare(source, documentsOnShare)),
        backupTarget: storage.backupTarget,
        alertTopic: monitoring.alertTopic,
        adminPasswordSecret: web.adminPasswordSecret,
    };
}

/** The only place the cloud is looked at: each entry composes the same tiers on its platform. */
const builders: Record<Cloud, (config: EmrConfig) => EmrOutputs> = {
    aws: (config) => compose(awsPlatform, config),
    azure: (config) => compose(azurePlatform, config),
};

export function buildEmr(config: EmrConfig): EmrOutputs {
    return builders[config.cloud](config);
}
