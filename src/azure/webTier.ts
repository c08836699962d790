import * as pulumi from "@pulumi/pulumi";
import { renderCloudInit } from "../app/cloudInit";
import type { WebTier, WebTierArgs } from "../tiers/contracts";
import type { AzureDbTier } from "./dbTier";
import type { AzureNetTier } from "./netTier";
import type { AzureStorageTier } from "./storageTier";
import { webAutoscale } from "./webAutoscale";
import { azureBootSteps } from "./webBoot";
import { azureTlsSource, gatewayCertificate } from "./webCertificate";
import { webFirewall } from "./webFirewall";
import { gatewayPublicIp, webGateway } from "./webGateway";
import { serverIdentity, webServers } from "./webServers";

/**
 * The EMR's front door and servers: a zone-redundant WAF_v2 Application Gateway, https only, in
 * the edge subnet, and a Flexible scale set of OpenEMR servers over every zone in the web subnet,
 * each booting from the shared cloud-init and reading the database secret with its own identity
 * (no credentials in the custom data), scaled on CPU and repaired on its own health.
 */
export class AzureWebTier extends pulumi.ComponentResource implements WebTier {
    readonly url: pulumi.Output<string>;
    /** The Application Gateway's resource id. */
    readonly loadBalancerId: pulumi.Output<string>;
    /** The scale set's resource id. */
    readonly serverGroupId: pulumi.Output<string>;
    /**
     * `emr:certificate` only: the principal the gateway reads the certificate with. The owner of
     * that Key Vault grants it "Key Vault Secrets User" on the certificate's secret.
     */
    readonly gatewayIdentityPrincipalId: pulumi.Output<string> | undefined;

    constructor(name: string, args: WebTierArgs<AzureNetTier, AzureStorageTier, AzureDbTier>, opts?: pulumi.ComponentResourceOptions) {
        // Before anything is declared: a stack asking for an issued certificate stops here whole.
        const tls = azureTlsSource(args.tls);
        super("emr:azure:WebTier", name, {}, opts);
        const parent = this;
        const { net, storage, db } = args;
        const resourceGroupName = net.resourceGroupName;

        const { ip: publicIp, address } = gatewayPublicIp(name, resourceGroupName, args.tags, parent);
        const certificate = gatewayCertificate(name, { tls, resourceGroupName, publicIpAddress: address, tags: args.tags }, parent);
        const firewall = webFirewall(name, { resourceGroupName, tags: args.tags }, parent);
        const edge = webGateway(
            name,
            {
                resourceGroupName,
                resourceGroupId: net.resourceGroupId,
                zones: net.zones,
                subnetId: net.subnetIds.edge.apply((ids) => ids[0]),
                publicIp,
                certificate,
                firewallPolicyId: firewall.id,
                healthCheckPath: args.healthCheckPath,
                workspaceId: net.workspaceId,
                tags: args.tags,
            },
            parent,
        );

        const { identity, readSecret } = serverIdentity(
            name,
            { resourceGroupName, secretScope: pulumi.interpolate`${storage.keyVaultId}/secrets/${db.secretName}`, tags: args.tags },
            parent,
        );
        // Only names go into the custom data; the server reads the secret with its identity.
        const customData = pulumi
            .all([storage.filesAccountName, storage.fileShareName, storage.keyVaultName, db.secretName, identity.clientId, db.endpoint, db.port, db.databaseName])
            .apply(([storageAccount, shareName, keyVaultName, secretName, identityClientId, dbHost, dbPort, dbName]) => {
                const cloudInit = renderCloudInit(
                    { image: args.image, dbHost, dbPort, dbName, healthCheckPath: args.healthCheckPath },
                    azureBootSteps({ storageAccount, shareName, keyVaultName, secretName, identityClientId }),
                );
                return Buffer.from(cloudInit, "utf8").toString("base64");
            });
        const servers = webServers(
            name,
            {
                resourceGroupName,
                zones: net.zones,
                subnetId: net.subnetIds.app.apply((ids) => ids[0]),
                instanceType: args.instanceType,
                minServers: args.minServers,
                identity,
                customData,
                gatewayBackendPoolId: edge.backendPoolId,
                outboundPoolId: net.outboundPoolId,
                healthCheckPath: args.healthCheckPath,
                // Booting needs egress (the net tier's load balancer or NAT gateway: cloud-init's
                // package installs fail without it), the shared files, the database and its secret
                // readable by the servers, and the gateway pool the NICs join (its id is built, so
                // nothing else orders them).
                bootDependencies: [net, storage, db, readSecret, edge.gateway],
                tags: args.tags,
            },
            parent,
        );
        webAutoscale(name, { resourceGroupName, scaleSetId: servers.id, minServers: args.minServers, maxServers: args.maxServers, tags: args.tags }, parent);

        this.url = pulumi.interpolate`https://${address}`;
        this.loadBalancerId = edge.gateway.id;
        this.serverGroupId = servers.id;
        this.gatewayIdentityPrincipalId = certificate.identity?.principalId;
        this.registerOutputs({ url: this.url, loadBalancerId: this.loadBalancerId, serverGroupId: this.serverGroupId });
    }
}
