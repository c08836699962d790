// STUB: replaced by the real AzureStorageTier.
import * as pulumi from "@pulumi/pulumi";
import type { StorageTier, StorageTierArgs } from "../tiers/contracts";
import type { AzureNetTier } from "./netTier";

export class AzureStorageTier extends pulumi.ComponentResource implements StorageTier {
    readonly documentsStore = pulumi.output("stubdocs/documents");
    readonly sharedFileSystem = pulumi.output("stubfiles.file.core.windows.net:/stubfiles/sites");
    readonly backupTarget = pulumi.output("stub-rsv");
    readonly keyVaultName = pulumi.output("stub-kv");
    readonly keyVaultId = pulumi.output("/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/stub-kv");
    readonly filesAccountName = pulumi.output("stubfiles");
    readonly fileShareName = pulumi.output("sites");
    constructor(name: string, _args: StorageTierArgs<AzureNetTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:StorageTier", name, {}, opts);
        this.registerOutputs({});
    }
}
