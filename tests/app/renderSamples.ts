import type { EmrAppSettings } from "../../src/app/bootSteps";
import { bootTimings } from "../../src/app/bootTimings";
import { renderCloudInit } from "../../src/app/cloudInit";
import { awsBootSteps } from "../../src/aws/webBoot";
import { azureBootSteps } from "../../src/azure/webBoot";

/** Realistic values of what the tiers pass in: identifiers only, never a secret value. */
export const sampleApp: EmrAppSettings = {
    image: "openemr/openemr:8.3.0",
    dbHost: "emr-db-dev.c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com",
    dbPort: 3306,
    dbName: "openemr",
    readinessPath: "/meta/health/readyz",
};

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;

export const sampleAws = {
    region: "eu-west-1",
    fileSystemId: "fs-0123456789abcdef0",
    secrets: { dbAdmin: arn("emr-db-admin-login-AbCdEf"), dbApp: arn("emr-db-credentials-GhIjKl"), emrAdmin: arn("emr-web-emr-admin-MnOpQr") },
    containerLogGroup: "/emr/dev/web/containers",
    sessionSecret: arn("emr-session-credentials-StUvWx"),
};

const vaultUrl = "https://emr-dev-kv-7a1b2c.vault.azure.net/secrets";
const grant = (n: number) =>
    `/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/emr-dev/providers/Microsoft.KeyVault/vaults/emr-dev-kv-7a1b2c/secrets/s${n}/providers/Microsoft.Authorization/roleAssignments/0f1e2d3c-0000-4000-8000-00000000000${n}`;

export const sampleAzure = {
    storageAccount: "emrdevfiles7a1b2c3d",
    shareName: "emr-sites",
    secrets: { dbAdmin: `${vaultUrl}/emr-db-admin-login`, dbApp: `${vaultUrl}/emr-db-credentials`, emrAdmin: `${vaultUrl}/emr-web-emr-admin` },
    identityClientId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    installAccessIds: [grant(1), grant(2), grant(3)],
    sessionSecret: `${vaultUrl}/emr-session-credentials`,
};

/** The server FQDN the Azure database tier publishes (its certificate names it). */
export const sampleAzureDbHost = "emr-db-dev-mysql.mysql.database.azure.com";

export function sampleCloudInits(): Record<"aws" | "azure", string> {
    return {
        aws: renderCloudInit(sampleApp, awsBootSteps(sampleAws)),
        azure: renderCloudInit({ ...sampleApp, dbHost: sampleAzureDbHost }, azureBootSteps(sampleAzure)),
    };
}

/**
 * The longest the boot script in `cloudConfig` can wait before it gives up, read from the script
 * itself (its bounded steps), plus cloud-init's package phase that runs before it. A grace period
 * must outlast this, or the cloud replaces servers that are still booting. Throws when the script
 * has no bounds to read (an unbounded boot cannot be covered by any grace).
 */
export function bootWaitsOf(cloudConfig: string): number {
    const seconds = (name: string) => {
        const match = new RegExp(`\\b${name}=(\\d+)\\b`).exec(cloudConfig);
        if (!match) throw new Error(`the boot script declares no ${name}: its waits are unbounded`);
        return Number(match[1]);
    };
    const criticalSection = seconds("RESET_SECONDS") + seconds("INSTALL_SECONDS") + seconds("START_SECONDS");
    return bootTimings.packagesSeconds + seconds("PREPARE_SECONDS") + seconds("LOCK_WAIT_SECONDS") + criticalSection;
}
