import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { renderCloudInit } from "../app/cloudInit";
import { emrAdminLogin, emrAdminSecretJson } from "../app/dbLogins";
import type { WebTier, WebTierArgs } from "../tiers/contracts";
import type { AzureDbTier } from "./dbTier";
import type { AzureNetTier } from "./netTier";
import type { AzureSessionTier } from "./sessionTier";
import { installSecret, installSecretAccess } from "./installSecrets";
import { builtInRoles, deployingPrincipal, grant, propagated, roleDefinitionId } from "./storageAccess";
import type { AzureStorageTier } from "./storageTier";
import { webAutoscale } from "./webAutoscale";
import { azureBootSteps } from "./webBoot";
import { azureTlsSource, gatewayCertificate } from "./webCertificate";
import { webFirewall } from "./webFirewall";
import { gatewayPublicIp, webGateway } from "./webGateway";
import { serverLogShipping } from "./webLogs";
import { serverIdentity, webServers } from "./webServers";

/**
 * The EMR's front door and servers: a zone-redundant WAF_v2 Application Gateway, https only, in
 * the edge subnet, and a Flexible scale set of OpenEMR servers over every zone in the web subnet,
 * each booting from the shared cloud-init and reading the database secret with its own identity
 * (no credentials in the custom data), scaled on CPU and repaired on its own health; each server's
 * serving container output goes to the stack's Log Analytics workspace.
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
    /** URL of the Key Vault secret holding the first OpenEMR administrator's login. */
    readonly adminPasswordSecret: pulumi.Output<string>;

    constructor(name: string, args: WebTierArgs<AzureNetTier, AzureStorageTier, AzureDbTier, AzureSessionTier>, opts?: pulumi.ComponentResourceOptions) {
        // Before anything is declared: a stack asking for an issued certificate stops here whole.
        const tls = azureTlsSource(args.tls);
        super("emr:azure:WebTier", name, {}, opts);
        const parent = this;
        const { net, storage, db, session } = args;
        const resourceGroupName = net.resourceGroupName;

        const { ip: publicIp, address } = gatewayPublicIp(name, resourceGroupName, args.tags, parent);
        const certificate = gatewayCertificate(name, { tls, resourceGroupName, publicIpAddress: address, tags: args.tags }, parent);
        const firewall = webFirewall(name, { resourceGroupName, healthCheckPath: args.healthCheckPath, tags: args.tags }, parent);
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

        // OpenEMR's first administrator: generated, stored next to the database logins, handed to
        // the installer only (never the image's admin / pass, openemr-boot-review.md D2).
        const emrAdmin = installSecret(
            `${name}-emr-admin`,
            {
                secretName: `${name}-emr-admin`,
                value: emrAdminSecretJson(emrAdminLogin(name, parent)),
                keyVaultName: storage.keyVaultName,
                keyVaultId: storage.keyVaultId,
                tags: args.tags,
            },
            parent,
        );
        // Whoever deploys the stack can read the first administrator's password (the servers lose
        // that right after the install): README "First login". The vault answers only private
        // endpoints, so the read comes from the VNet or through a temporary network rule.
        const deployer = authorization.getClientConfigOutput({ parent });
        grant(
            `${name}-deployer-reads-emr-admin`,
            {
                scope: pulumi.interpolate`${storage.keyVaultId}/secrets/${emrAdmin.name}`,
                ...deployingPrincipal(deployer),
                roleDefinitionId: roleDefinitionId(deployer.subscriptionId, builtInRoles.keyVaultSecretsUser),
            },
            parent,
        );
        // The URL is not sensitive, but the engine marks the whole `properties` output secret because its input holds the value.
        this.adminPasswordSecret = pulumi.unsecret(emrAdmin.properties.secretUri);
        const identity = serverIdentity(name, { resourceGroupName, tags: args.tags }, parent);
        const installAccess = installSecretAccess(
            name,
            { identity, keyVaultId: storage.keyVaultId, keyVaultName: storage.keyVaultName, secretNames: [db.adminSecretName, db.secretName, emrAdmin.name] },
            parent,
        );
        // The session store's key: readable by the servers for as long as they run (built-in Key
        // Vault Secrets User on that one secret), and propagated before the first boot reads it.
        const sessionAccess = grant(
            `${name}-servers-read-session-secret`,
            {
                scope: pulumi.interpolate`${storage.keyVaultId}/secrets/${session.secretName}`,
                principalId: identity.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: roleDefinitionId(deployer.subscriptionId, builtInRoles.keyVaultSecretsUser),
            },
            parent,
        );
        const sessionReadable = propagated(`${name}-session-access-propagation`, sessionAccess, parent);
        // The first servers read the install secrets a few minutes after the scale set is created,
        // with retries shorter than Key Vault's 10-minute role-assignment latency: wait it out first.
        const installReadable = installAccess.map((grant, i) => propagated(`${name}-install-access-propagation-${i}`, grant, parent));
        // Only names and URLs go into the custom data; the server reads the secrets with its identity.
        const secretUrl = (vault: string, secret: string) => `https://${vault}.vault.azure.net/secrets/${secret}`;
        const customData = pulumi
            .all([
                pulumi.all([storage.filesAccountName, storage.fileShareName]),
                pulumi.all([storage.keyVaultName, db.adminSecretName, db.secretName, emrAdmin.name]),
                identity.clientId,
                pulumi.all(installAccess.map((grant) => grant.id)),
                pulumi.all([db.endpoint, db.port, db.databaseName]),
                session.credentialsSecret,
            ])
            .apply(([[storageAccount, shareName], [vault, dbAdmin, dbApp, emr], identityClientId, installAccessIds, [dbHost, dbPort, dbName], sessionSecret]) => {
                const cloudInit = renderCloudInit(
                    { image: args.image, dbHost, dbPort, dbName, readinessPath: args.healthCheckPath },
                    azureBootSteps({
                        storageAccount,
                        shareName,
                        secrets: { dbAdmin: secretUrl(vault, dbAdmin), dbApp: secretUrl(vault, dbApp), emrAdmin: secretUrl(vault, emr) },
                        identityClientId,
                        installAccessIds,
                        sessionSecret,
                    }),
                );
                return Buffer.from(cloudInit, "utf8").toString("base64");
            });
        const logShipping = serverLogShipping(name, { resourceGroupName, resourceGroupId: net.resourceGroupId, workspaceId: net.workspaceId, tags: args.tags }, parent);
        const servers = webServers(
            name,
            {
                resourceGroupName,
                zones: net.zones,
                subnetId: net.subnetIds.app.apply((ids) => ids[0]),
                instanceType: args.instanceType,
                cpuArch: args.cpuArch,
                minServers: args.minServers,
                identity,
                customData,
                gatewayBackendPoolId: edge.backendPoolId,
                outboundPoolId: net.outboundPoolId,
                healthCheckPath: args.healthCheckPath,
                // Booting needs egress (the net tier's load balancer or NAT gateway: cloud-init's
                // package installs fail without it), the shared files, the database and its secret
                // readable by the servers, and the gateway pool the NICs join (its id is built, so
                // nothing else orders them). Encryption at host needs its subscription feature
                // registered first (net.subscriptionReady; platformRequirements.ts). The log association
                // policy must be in effect before the first server exists (webLogs.ts).
                bootDependencies: [net.subscriptionReady, net, storage, db, session, sessionReadable, ...installReadable, edge.gateway, ...logShipping.ready],
                subscriptionReady: net.subscriptionReady,
                tags: args.tags,
            },
            parent,
        );
        webAutoscale(name, { resourceGroupName, scaleSetId: servers.id, minServers: args.minServers, maxServers: args.maxServers, tags: args.tags }, parent);

        this.url = pulumi.interpolate`https://${address}`;
        this.loadBalancerId = edge.gateway.id;
        this.serverGroupId = servers.id;
        this.gatewayIdentityPrincipalId = certificate.identity?.principalId;
        this.registerOutputs({
            url: this.url,
            loadBalancerId: this.loadBalancerId,
            serverGroupId: this.serverGroupId,
            adminPasswordSecret: this.adminPasswordSecret,
        });
    }
}
