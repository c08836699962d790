import { renderCloudInit, type EmrAppSettings } from "../../src/app/cloudInit";
import { awsBootSteps } from "../../src/aws/webBoot";
import { azureBootSteps } from "../../src/azure/webBoot";

/** Realistic values of what the tiers pass in: identifiers only, never a secret value. */
export const sampleApp: EmrAppSettings = {
    image: "openemr/openemr:7.0.3",
    dbHost: "emr-dev-db.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com",
    dbPort: 3306,
    dbName: "openemr",
    healthCheckPath: "/interface/login/login.php",
};

export const sampleAws = {
    region: "eu-west-1",
    fileSystemId: "fs-0123456789abcdef0",
    secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:emr-dev-db-AbCdEf",
};

export const sampleAzure = {
    storageAccount: "emrdevfiles7a1b2c3d",
    shareName: "emr-sites",
    keyVaultName: "emr-dev-kv-7a1b2c",
    secretName: "emr-db",
    identityClientId: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
};

export function sampleCloudInits(): Record<"aws" | "azure", string> {
    return {
        aws: renderCloudInit(sampleApp, awsBootSteps(sampleAws)),
        azure: renderCloudInit({ ...sampleApp, dbHost: "emr-dev-mysql.private.mysql.database.azure.com" }, azureBootSteps(sampleAzure)),
    };
}
