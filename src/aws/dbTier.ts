// STUB: replaced by the real AwsDbTier.
import * as pulumi from "@pulumi/pulumi";
import type { DbTier, DbTierArgs } from "../tiers/contracts";
import type { AwsNetTier } from "./netTier";
import type { AwsStorageTier } from "./storageTier";

export class AwsDbTier extends pulumi.ComponentResource implements DbTier {
    readonly endpoint = pulumi.output("stub.rds.amazonaws.com");
    readonly port = pulumi.output(3306);
    readonly databaseName = pulumi.output("openemr");
    readonly credentialsSecret = pulumi.output("arn:aws:secretsmanager:us-east-1:123456789012:secret:stub");
    readonly instanceIdentifier = pulumi.output("stub-db");
    constructor(name: string, _args: DbTierArgs<AwsNetTier, AwsStorageTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:DbTier", name, {}, opts);
        this.registerOutputs({});
    }
}
