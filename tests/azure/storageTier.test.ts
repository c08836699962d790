import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../src/plan/capture";
import { mockSubscriptionId, mockTenantId } from "../../src/plan/mocks";
import { baseConfig, runStack, type Graph } from "../harness";

const tier = "emr:azure:StorageTier::emr-storage";
/** One whole-program run under the mocks; other test files may be running the same at once. */
const stackTimeout = 60_000;
const T = {
    vault: "azure-native:keyvault:Vault",
    key: "azure-native:keyvault:Key",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    grant: "azure-native:authorization:RoleAssignment",
    role: "azure-native:authorization:RoleDefinition",
    account: "azure-native:storage:StorageAccount",
    blobService: "azure-native:storage:BlobServiceProperties",
    fileService: "azure-native:storage:FileServiceProperties",
    container: "azure-native:storage:BlobContainer",
    share: "azure-native:storage:FileShare",
    lifecycle: "azure-native:storage:ManagementPolicy",
    endpoint: "azure-native:network:PrivateEndpoint",
    dnsGroup: "azure-native:network:PrivateDnsZoneGroup",
    logs: "azure-native:monitor:DiagnosticSetting",
    rsv: "azure-native:recoveryservices:Vault",
    policy: "azure-native:recoveryservices:ProtectionPolicy",
    workflow: "azure-native:logic:Workflow",
} as const;
const role = (guid: string) => `/subscriptions/${mockSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const cryptoServiceEncryptionUser = role("e147488a-f6f5-4113-8e2d-b22465e65bf6");
const cryptoOfficer = role("14b46e9e-c2b7-41b4-b07b-48a6ebf60603");

/** The storage tier's resources of one type. */
const mine = (g: Graph, type: string) => g.ofType(type).filter((r) => g.tierOf(r)?.key === tier);
const one = (g: Graph, type: string, name: string) => {
    const found = g.byKey(`${type}::${name}`);
    expect(found, `${type}::${name}`).toBeDefined();
    return found!;
};
const files = (g: Graph) => one(g, T.account, "emrstoragefiles");
const dataKey = (g: Graph) => one(g, T.key, "emr-storage-data-key");
const cmkIdentity = (g: Graph) => one(g, T.identity, "emr-storage-cmk-identity");
/** The resource a captured input refers to (by id or name). */
const ref = (g: Graph, value: unknown) => g.referenced(value);
const grantsOf = (g: Graph, principalId: string) => mine(g, T.grant).filter((a) => a.inputs.principalId === principalId);
const workflow = (g: Graph) => one(g, T.workflow, "emr-storage-snapshots").inputs.definition;
/** The workflow's Query filter that selects the snapshots to delete. */
const expiredFilter = (g: Graph): string => workflow(g).actions.expired.inputs.where;

describe("azure StorageTier, default config", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    }, stackTimeout);

    it("keeps one Key Vault: RBAC, soft delete 90 days, purge protection, premium (HSM keys), private only, protected", () => {
        const [vault] = mine(g, T.vault);
        expect(mine(g, T.vault)).toHaveLength(1);
        expect(vault.protect).toBe(true);
        // Autonamed: a fixed name would collide with the soft-deleted vault of a destroyed stack.
        expect(vault.inputs.vaultName).toBeUndefined();
        expect(vault.inputs.properties).toMatchObject({
            tenantId: mockTenantId,
            sku: { family: "A", name: "premium" },
            enableRbacAuthorization: true,
            enableSoftDelete: true,
            softDeleteRetentionInDays: 90,
            enablePurgeProtection: true,
            publicNetworkAccess: "Disabled",
            networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
        });
        expect(vault.inputs.properties.accessPolicies ?? []).toEqual([]);
    });

    it("holds an HSM-protected RSA 3072 key, wrap/unwrap only, rotated yearly, with no expiry, protected", () => {
        const key = dataKey(g);
        expect(key.protect).toBe(true);
        expect(ref(g, key.inputs.vaultName)).toBe(mine(g, T.vault)[0]);
        expect(key.inputs.keyName).toBe("emr-data");
        expect(key.inputs.properties).toMatchObject({ kty: "RSA-HSM", keySize: 3072, keyOps: ["wrapKey", "unwrapKey"] });
        expect(key.inputs.properties.attributes.expires).toBeUndefined();
        expect(key.inputs.properties.rotationPolicy).toEqual({
            lifetimeActions: [{ trigger: { timeAfterCreate: "P1Y" }, action: { type: "rotate" } }],
        });
        // After the deployer's grant has propagated (tests/azure/storageAccess.test.ts checks the wait).
        expect(key.dependsOn).toContain("time:index/sleep:Sleep::emr-storage-kv-deployer-propagation");
    });

    it("lets only the CMK identity wrap with the key (scoped to the key) and the deployer manage keys", () => {
        const identity = cmkIdentity(g);
        const [access] = grantsOf(g, identity.outputs.principalId);
        expect(grantsOf(g, identity.outputs.principalId)).toHaveLength(1);
        expect(access.inputs.roleDefinitionId).toBe(cryptoServiceEncryptionUser);
        expect(ref(g, access.inputs.scope)).toBe(dataKey(g));
        expect(access.inputs.principalType).toBe("ServicePrincipal");

        const deployer = one(g, T.grant, "emr-storage-kv-deployer").inputs;
        expect(deployer).toMatchObject({ principalId: "33333333-3333-4333-8333-333333333333", roleDefinitionId: cryptoOfficer });
        expect(ref(g, deployer.scope)).toBe(mine(g, T.vault)[0]);
        // The mock signs in as a service principal (not the Azure CLI's app id): no "User" default.
        expect(deployer.principalType).toBe("ServicePrincipal");
    });

    it("encrypts the files account with the customer key as the CMK identity, over infrastructure encryption", () => {
        const vault = mine(g, T.vault)[0];
        for (const [account, service] of [[files(g), "file"]] as const) {
            const { encryption, identity } = account.inputs;
            expect(identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [cmkIdentity(g).id] });
            expect(encryption).toEqual({
                keySource: "Microsoft.Keyvault",
                keyVaultProperties: { keyName: "emr-data", keyVaultUri: vault.outputs.properties.vaultUri },
                encryptionIdentity: { encryptionUserAssignedIdentity: cmkIdentity(g).id },
                requireInfrastructureEncryption: true,
                services: { [service]: { enabled: true, keyType: "Account" } },
            });
            // Azure checks the key when the account is created: the grant must exist first.
            expect(account.dependsOn).toContain("time:index/sleep:Sleep::emr-storage-cmk-access-propagation");
        }
    });

    it("makes every store zone-redundant, HTTPS/TLS 1.2 only, Entra-only, private and protected", () => {
        const accounts = mine(g, T.account);
        expect(accounts.map((a) => a.name).sort()).toEqual(["emrstoragefiles"]);
        for (const account of accounts) {
            expect(account.inputs.sku.name).toMatch(/ZRS$/);
            expect(account.inputs).toMatchObject({
                enableHttpsTrafficOnly: true,
                minimumTlsVersion: "TLS1_2",
                allowBlobPublicAccess: false,
                allowSharedKeyAccess: false,
                defaultToOAuthAuthentication: true,
                allowCrossTenantReplication: false,
                publicNetworkAccess: "Disabled",
                networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
            });
            expect(account.protect).toBe(true);
        }
        expect(files(g).inputs).toMatchObject({ kind: "FileStorage", sku: { name: "Premium_ZRS" } });
    });

    it("declares no Blob store for documents: OpenEMR writes them on the share, and nothing writes a Blob container", () => {
        for (const type of [T.blobService, T.container, T.lifecycle]) expect(g.ofType(type), type).toEqual([]);
        expect(g.ofType(T.account).filter((a) => a.inputs.kind !== "FileStorage").map((a) => a.name)).toEqual(["emrnetflowlogs"]);
        expect(g.run.outputs.documentsStore).toBeUndefined();
        // The share's NFS source plus the folder the boot binds sites/ from and OpenEMR's documents folder.
        expect(g.run.outputs.sharedFileSystem).toMatch(/^[a-z0-9]+\.file\.core\.windows\.net:\/[a-z0-9]+\/[a-z0-9-]+$/);
        expect(g.run.outputs.documentsPath).toBe(`${g.run.outputs.sharedFileSystem}/sites/default/documents`);
        // Nothing resolves Blob names privately any more: no blob endpoint, no privatelink.blob zone.
        expect(g.ofType("azure-native:privatedns:PrivateZone").map((z) => z.inputs.privateZoneName)).not.toContain("privatelink.blob.core.windows.net");
    });

    it("shares sites/ over NFS without root squash, 100 GiB, share soft delete 35 days, protected", () => {
        const [share] = mine(g, T.share);
        expect(share.inputs).toMatchObject({ shareName: "sites", enabledProtocols: "NFS", rootSquash: "NoRootSquash" });
        // emr:sharedFiles capacityGb, default 100: the premium minimum, what the share is billed for.
        expect(share.inputs.shareQuota).toBe(100);
        expect(ref(g, share.inputs.accountName)).toBe(files(g));
        expect(share.protect).toBe(true);
        const [service] = mine(g, T.fileService);
        expect(service.inputs).toMatchObject({ fileServicesName: "default", shareDeleteRetentionPolicy: { enabled: true, days: 35 } });
        expect(share.dependsOn).toContain(service.key);
        const account = files(g).outputs.name;
        expect(g.run.outputs.sharedFileSystem).toBe(`${account}.file.core.windows.net:/${account}/sites`);
    });

    it("reaches the vault and the files account only through private endpoints in the endpoint subnet, registered in their privatelink zones", () => {
        const expected: Record<string, [PlannedResource, string]> = {
            vault: [mine(g, T.vault)[0], "privatelink.vaultcore.azure.net"],
            file: [files(g), "privatelink.file.core.windows.net"],
        };
        const endpoints = mine(g, T.endpoint);
        expect(endpoints).toHaveLength(2);
        for (const endpoint of endpoints) {
            expect(ref(g, endpoint.inputs.subnet.id)?.name).toBe("emr-net-endpoints");
            const [connection] = endpoint.inputs.privateLinkServiceConnections;
            const [groupId] = connection.groupIds;
            const [target, zoneName] = expected[groupId];
            expect(ref(g, connection.privateLinkServiceId)).toBe(target);
            const dns = mine(g, T.dnsGroup).filter((d) => ref(g, d.inputs.privateEndpointName) === endpoint);
            expect(dns).toHaveLength(1);
            expect(dns[0].inputs.privateDnsZoneConfigs).toHaveLength(1);
            expect(ref(g, dns[0].inputs.privateDnsZoneConfigs[0].privateDnsZoneId)?.inputs.privateZoneName).toBe(zoneName);
        }
        expect(endpoints.map((e) => e.inputs.privateLinkServiceConnections[0].groupIds[0]).sort()).toEqual(["file", "vault"]);
    });

    it("declares no Recovery Services vault (Azure Backup cannot protect NFS shares): the snapshot job is the backup target", () => {
        expect(g.ofType(T.rsv)).toEqual([]);
        expect(g.ofType(T.policy)).toEqual([]);
        expect(g.run.outputs.backupTarget).toBe(one(g, T.workflow, "emr-storage-snapshots").outputs.name);
    });

    it("snapshots the NFS share daily at 05:00 UTC and prunes by the same retention (Azure Backup takes no NFS shares)", () => {
        const share = mine(g, T.share)[0];
        const def = workflow(g);
        expect(def.triggers.daily.recurrence).toEqual({ frequency: "Day", interval: 1, timeZone: "UTC", schedule: { hours: [5], minutes: [0] } });
        expect(def.actions.snapshot.inputs).toMatchObject({
            method: "PUT",
            uri: `https://management.azure.com${share.id}?api-version=2024-01-01&$expand=snapshots`,
        });
        expect(def.actions.list.inputs.uri).toBe(
            `https://management.azure.com${files(g).id}/fileServices/default/shares?api-version=2024-01-01&$expand=snapshots`,
        );
        // Only this share's snapshots (the base share has no snapshotTime) are candidates.
        expect(def.actions.snapshots.inputs.where).toBe(
            "@and(equals(item()?['name'], 'sites'), not(equals(item()?['properties']?['snapshotTime'], null)))",
        );
        expect(expiredFilter(g)).toContain("subtractFromTime(utcNow(), 35, 'Day')");
        expect(expiredFilter(g)).toContain("or(not(equals(dayOfWeek(item()?['properties']?['snapshotTime']), 0)), less(");
        expect(expiredFilter(g)).toContain("subtractFromTime(utcNow(), 13, 'Week')");
        expect(expiredFilter(g)).toContain("or(not(equals(dayOfMonth(item()?['properties']?['snapshotTime']), 1)), less(");
        expect(expiredFilter(g)).toContain("subtractFromTime(utcNow(), 84, 'Month')");
        const del = def.actions.prune.actions.delete.inputs;
        expect(del).toMatchObject({ method: "DELETE", uri: `https://management.azure.com${share.id}?api-version=2024-01-01` });
        expect(del.headers["x-ms-snapshot"]).toBe("@{items('prune')?['properties']?['snapshotTime']}");
    });

    it("runs the snapshots as their own identity with a custom role limited to the share actions on the files account", () => {
        const flow = one(g, T.workflow, "emr-storage-snapshots");
        const identity = one(g, T.identity, "emr-storage-snapshots-identity");
        expect(flow.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.id] });
        for (const action of ["snapshot", "list"]) {
            expect(workflow(g).actions[action].inputs.authentication).toEqual({
                type: "ManagedServiceIdentity",
                identity: identity.id,
                audience: "https://management.azure.com/",
            });
        }
        const [custom] = mine(g, T.role);
        expect(custom.inputs.permissions).toEqual([
            {
                actions: [
                    "Microsoft.Storage/storageAccounts/fileServices/shares/read",
                    "Microsoft.Storage/storageAccounts/fileServices/shares/write",
                    "Microsoft.Storage/storageAccounts/fileServices/shares/delete",
                ],
            },
        ]);
        const [access] = grantsOf(g, identity.outputs.principalId);
        expect(grantsOf(g, identity.outputs.principalId)).toHaveLength(1);
        expect(ref(g, access.inputs.scope)).toBe(files(g));
        expect(access.inputs.roleDefinitionId).toBe(role(custom.outputs.name));
        expect(flow.dependsOn).toContain(access.key);
    });

    it("sends Key Vault audit logs and every share (documents included) and snapshot-run log to the workspace", () => {
        const workspace = g.one("azure-native:operationalinsights:Workspace");
        const logged = new Map(mine(g, T.logs).map((d) => [d.inputs.resourceUri, d.inputs]));
        const expected: Array<[unknown, string]> = [
            [mine(g, T.vault)[0].id, "audit"],
            [mine(g, T.fileService)[0].id, "allLogs"],
            [one(g, T.workflow, "emr-storage-snapshots").id, "allLogs"],
        ];
        expect(logged.size).toBe(expected.length);
        for (const [uri, group] of expected) {
            expect(logged.get(uri)).toMatchObject({ workspaceId: workspace.id, logs: [{ categoryGroup: group, enabled: true }] });
        }
    });
});

describe("azure StorageTier, geo-redundant with 14-day backups and a 512 GiB share", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (
            await runStack({
                ...baseConfig.azure,
                "emr:geoRedundant": "true",
                "emr:backupRetentionDays": "14",
                "emr:sharedFiles": JSON.stringify({ capacityGb: 512, infrequentAfterDays: 30, archiveAfterDays: 90 }),
            })
        ).ok();
    }, stackTimeout);

    it("provisions the share at emr:sharedFiles capacityGb (the documents live there)", () => {
        expect(mine(g, T.share)[0].inputs.shareQuota).toBe(512);
    });

    it("keeps the share ZRS (premium NFS has no geo SKU; the snapshots are the recovery copy) and adds no other account", () => {
        expect(mine(g, T.account).map((a) => [a.name, a.inputs.sku.name])).toEqual([["emrstoragefiles", "Premium_ZRS"]]);
    });

    it("keeps daily file snapshots 14 days", () => {
        expect(expiredFilter(g)).toContain("subtractFromTime(utcNow(), 14, 'Day')");
    });
});
