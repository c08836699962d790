// STUB: replaced by the real AzureDbTier.
import * as pulumi from "@pulumi/pulumi";
import type { DbTier, DbTierArgs } from "../tiers/contracts";
import type { AzureNetTier } from "./netTier";
import type { AzureStorageTier } from "./storageTier";

export class AzureDbTier extends pulumi.ComponentResource implements DbTier {
    readonly endpoint = pulumi.output("stub.mysql.database.azure.com");
    readonly port = pulumi.output(3306);
    readonly databaseName = pulumi.output("openemr");
    readonly credentialsSecret = pulumi.output("https://stub-kv.vault.azure.net/secrets/db-credentials");
    readonly secretName = pulumi.output("db-credentials");
    readonly serverId = pulumi.output("/subscriptions/0/resourceGroups/rg/providers/Microsoft.DBforMySQL/flexibleServers/stub");
    constructor(name: string, _args: DbTierArgs<AzureNetTier, AzureStorageTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:DbTier", name, {}, opts);
        this.registerOutputs({});
    }
}
