import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/**
 * The mock layer shared by the tests and the offline plan: it stands in for the Pulumi engine and
 * the cloud providers, answering every resource with realistic ids and computed outputs (ARNs,
 * endpoints, zone names, Azure resource ids and names) and every data-source call it knows. An
 * unknown call throws, so a new data source cannot silently come back empty.
 */
export const mockAccountId = "123456789012";
export const mockSubscriptionId = "00000000-0000-4000-8000-000000000000";
export const mockTenantId = "11111111-1111-4111-8111-111111111111";

const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);

/** The per-cloud knowledge of the mock: ids and computed outputs for resources, answers to calls. */
export interface CloudMock {
    /** Resource types (token prefix) this cloud answers. */
    prefix: string;
    resource(args: pulumi.runtime.MockResourceArgs, region: string): { id: string; state: Record<string, unknown> };
    calls: Record<string, (inputs: Record<string, any>, region: string) => Record<string, unknown>>;
}

/** EC2-style ids (`vpc-0a1b...`) for the types whose ids users recognise by prefix. */
const awsIdPrefix: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:efs/fileSystem:FileSystem": "fs",
    "aws:efs/mountTarget:MountTarget": "fsmt",
};

/** ARN service names where they differ from the SDK module name. */
const awsArnService: Record<string, string> = {
    lb: "elasticloadbalancing",
    efs: "elasticfilesystem",
    cloudwatch: "cloudwatch",
};

export const awsMock: CloudMock = {
    prefix: "aws:",
    resource({ type, name, inputs }, region) {
        const module = type.slice(4, type.indexOf("/"));
        const kind = type.slice(type.lastIndexOf(":") + 1);
        // `bucket` names the bucket itself only on a Bucket; the split S3 resources name their bucket.
        const ownName = inputs.name ?? (type === "aws:s3/bucket:Bucket" ? inputs.bucket : undefined) ?? inputs.identifier;
        const physical: string = ownName ?? `${name}-${hex(name, 7)}`;
        const prefix = awsIdPrefix[type];
        const id = prefix ? `${prefix}-0${hex(type + name, 16)}` : physical;
        const service = awsArnService[module] ?? module;
        const arnRegion = module === "iam" || module === "s3" ? "" : region;
        const arnAccount = module === "s3" ? "" : mockAccountId;
        const resourcePath = module === "s3" ? physical : `${kind.charAt(0).toLowerCase() + kind.slice(1)}/${physical}`;
        const state: Record<string, unknown> = {
            ...inputs,
            name: physical,
            arn: `arn:aws:${service}:${arnRegion}:${arnAccount}:${resourcePath}`,
        };
        switch (type) {
            case "aws:s3/bucket:Bucket":
                state.bucket = physical;
                state.arn = `arn:aws:s3:::${physical}`;
                state.bucketRegionalDomainName = `${physical}.s3.${region}.amazonaws.com`;
                break;
            case "aws:cloudwatch/logGroup:LogGroup":
                state.arn = `arn:aws:logs:${region}:${mockAccountId}:log-group:${physical}`;
                break;
            case "aws:kms/key:Key":
                state.keyId = hex(name, 8) + "-0000-4000-8000-" + hex(name, 12);
                state.arn = `arn:aws:kms:${region}:${mockAccountId}:key/${state.keyId}`;
                break;
            case "aws:ec2/eip:Eip":
                state.allocationId = id;
                state.publicIp = `198.51.100.${parseInt(hex(name, 2), 16) % 250}`;
                break;
            case "aws:lb/loadBalancer:LoadBalancer":
                state.dnsName = `${physical}-${parseInt(hex(name, 6), 16)}.${region}.elb.amazonaws.com`;
                state.arnSuffix = `app/${physical}/${hex(name, 16)}`;
                state.zoneId = "Z35SXDOTRQ7X7K";
                break;
            case "aws:lb/targetGroup:TargetGroup":
                state.arnSuffix = `targetgroup/${physical}/${hex(name, 16)}`;
                break;
            case "aws:rds/instance:Instance":
                state.address = `${physical}.c${hex(name, 10)}.${region}.rds.amazonaws.com`;
                state.endpoint = `${state.address}:${inputs.port ?? 3306}`;
                state.port = inputs.port ?? 3306;
                state.resourceId = `db-${hex(name, 26).toUpperCase()}`;
                break;
            case "aws:ec2/launchTemplate:LaunchTemplate":
                state.latestVersion = 1;
                break;
            case "aws:efs/fileSystem:FileSystem":
                state.dnsName = `${id}.efs.${region}.amazonaws.com`;
                break;
            case "aws:acm/certificate:Certificate":
                state.domainValidationOptions = inputs.domainName
                    ? [{
                          domainName: inputs.domainName,
                          resourceRecordName: `_${hex(name, 32)}.${inputs.domainName}.`,
                          resourceRecordType: "CNAME",
                          resourceRecordValue: `_${hex(name + "v", 32)}.acm-validations.aws.`,
                      }]
                    : [];
                break;
        }
        return { id, state };
    },
    calls: {
        "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => ({
            id: region,
            names: ["a", "b", "c", "d"].map((z) => `${region}${z}`),
            zoneIds: [1, 2, 3, 4].map((z) => `use1-az${z}`),
            state: "available",
        }),
        "aws:index/getCallerIdentity:getCallerIdentity": () => ({
            accountId: mockAccountId,
            arn: `arn:aws:iam::${mockAccountId}:user/planner`,
            userId: "AIDAEXAMPLE",
            id: mockAccountId,
        }),
        "aws:index/getRegion:getRegion": (_inputs, region) => ({ name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` }),
        "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
        // The ELB log-delivery account of us-east-1 (AWS docs, "Enable access logs").
        "aws:elb/getServiceAccount:getServiceAccount": () => ({ arn: "arn:aws:iam::127311923021:root", id: "127311923021" }),
    },
};

/** ARM provider namespace of each azure-native module. */
const azureNamespace: Record<string, string> = {
    authorization: "Microsoft.Authorization",
    compute: "Microsoft.Compute",
    dbformysql: "Microsoft.DBforMySQL",
    insights: "Microsoft.Insights",
    keyvault: "Microsoft.KeyVault",
    logic: "Microsoft.Logic",
    managedidentity: "Microsoft.ManagedIdentity",
    monitor: "Microsoft.Insights",
    network: "Microsoft.Network",
    operationalinsights: "Microsoft.OperationalInsights",
    privatedns: "Microsoft.Network",
    recoveryservices: "Microsoft.RecoveryServices",
    storage: "Microsoft.Storage",
};

/** ARM collection names that are not simply the type name in lower camel case plus "s". */
const azureCollection: Record<string, string> = {
    "dbformysql:Server": "flexibleServers",
    "privatedns:PrivateZone": "privateDnsZones",
    "network:PublicIPAddress": "publicIPAddresses",
    "compute:VirtualMachineScaleSet": "virtualMachineScaleSets",
    "monitor:AutoscaleSetting": "autoscalesettings",
    "storage:BlobServiceProperties": "blobServices",
    "storage:FileServiceProperties": "fileServices",
    "storage:FileShare": "shares",
    "storage:BlobContainer": "containers",
    "storage:ManagementPolicy": "managementPolicies",
    "network:FlowLog": "flowLogs",
    "network:WebApplicationFirewallPolicy": "ApplicationGatewayWebApplicationFirewallPolicies",
    "managedidentity:UserAssignedIdentity": "userAssignedIdentities",
    "recoveryservices:ProtectionPolicy": "backupPolicies",
};

/** The input that holds a resource's own name where it is not `<typeName>Name`. */
const azureOwnName: Record<string, string> = {
    "storage:StorageAccount": "accountName",
    "compute:VirtualMachineScaleSet": "vmScaleSetName",
    "storage:FileShare": "shareName",
    "storage:BlobContainer": "containerName",
    "storage:BlobServiceProperties": "blobServicesName",
    "storage:FileServiceProperties": "fileServicesName",
    "managedidentity:UserAssignedIdentity": "resourceName",
    "keyvault:Secret": "secretName",
    "dbformysql:Configuration": "configurationName",
    "network:WebApplicationFirewallPolicy": "policyName",
};

/** Child resources: the parent collection and the input naming the parent. */
const azureParent: Record<string, [string, string]> = {
    "network:Subnet": ["virtualNetworks", "virtualNetworkName"],
    "privatedns:VirtualNetworkLink": ["privateDnsZones", "privateZoneName"],
    "dbformysql:Database": ["flexibleServers", "serverName"],
    "dbformysql:Configuration": ["flexibleServers", "serverName"],
    "keyvault:Secret": ["vaults", "vaultName"],
    "keyvault:Key": ["vaults", "vaultName"],
    "recoveryservices:ProtectionPolicy": ["vaults", "vaultName"],
    "storage:BlobServiceProperties": ["storageAccounts", "accountName"],
    "storage:FileServiceProperties": ["storageAccounts", "accountName"],
    "storage:ManagementPolicy": ["storageAccounts", "accountName"],
    "storage:FileShare": ["storageAccounts", "accountName"],
    "storage:BlobContainer": ["storageAccounts", "accountName"],
    "network:FlowLog": ["networkWatchers", "networkWatcherName"],
    "network:PrivateDnsZoneGroup": ["privateEndpoints", "privateEndpointName"],
};

export const azureMock: CloudMock = {
    prefix: "azure-native:",
    resource({ type, name, inputs }, region) {
        const [, module, kind] = type.split(":");
        const short = `${module}:${kind}`;
        const ownKey = azureOwnName[short] ?? Object.keys(inputs).find((k) => k.toLowerCase() === `${kind}name`.toLowerCase());
        // Autonaming appends a random suffix; storage accounts allow only lowercase letters and digits.
        const autoname = kind === "StorageAccount" ? `${name.replace(/[^a-z0-9]/g, "").slice(0, 16)}${hex(name, 8)}` : `${name}${hex(name, 8)}`;
        const physical: string = (ownKey && inputs[ownKey]) ?? autoname;
        const sub = `/subscriptions/${mockSubscriptionId}`;
        const group = `${sub}/resourceGroups/${inputs.resourceGroupName ?? "emr-rg"}`;
        const collection = azureCollection[short] ?? `${kind.charAt(0).toLowerCase()}${kind.slice(1)}s`;
        const parent = azureParent[short];
        const parentPath = parent ? `/${parent[0]}/${inputs[parent[1]]}` : "";
        // Resource groups hang off the subscription and diagnostic settings off what they watch.
        const id =
            type === "azure-native:resources:ResourceGroup"
                ? `${sub}/resourceGroups/${physical}`
                : type === "azure-native:monitor:DiagnosticSetting"
                  ? `${inputs.resourceUri}/providers/Microsoft.Insights/diagnosticSettings/${physical}`
                  : `${group}/providers/${azureNamespace[module] ?? module}${parentPath}/${collection}/${physical}`;
        const state: Record<string, unknown> = { ...inputs, name: physical, id, location: inputs.location ?? region };
        switch (type) {
            case "azure-native:dbformysql:Server":
                state.fullyQualifiedDomainName = `${physical}.mysql.database.azure.com`;
                break;
            case "azure-native:keyvault:Vault":
                state.properties = { ...inputs.properties, vaultUri: `https://${physical}.vault.azure.net/` };
                break;
            case "azure-native:keyvault:Secret":
                state.properties = { ...inputs.properties, secretUri: `https://${inputs.vaultName}.vault.azure.net/secrets/${physical}` };
                break;
            case "azure-native:keyvault:Key":
                state.keyUri = `https://${inputs.vaultName}.vault.azure.net/keys/${physical}`;
                state.keyUriWithVersion = `${state.keyUri}/${hex(name, 32)}`;
                break;
            case "azure-native:network:PublicIPAddress":
                state.ipAddress = `20.0.0.${parseInt(hex(name, 2), 16) % 250}`;
                break;
            case "azure-native:managedidentity:UserAssignedIdentity":
                state.clientId = `${hex(name, 8)}-0000-4000-8000-${hex(name + "c", 12)}`;
                state.principalId = `${hex(name + "p", 8)}-0000-4000-8000-${hex(name + "p", 12)}`;
                break;
            case "azure-native:operationalinsights:Workspace":
                state.customerId = `${hex(name, 8)}-0000-4000-8000-${hex(name + "w", 12)}`;
                break;
            case "azure-native:storage:StorageAccount":
                state.primaryEndpoints = {
                    blob: `https://${physical}.blob.core.windows.net/`,
                    file: `https://${physical}.file.core.windows.net/`,
                };
                break;
        }
        return { id, state };
    },
    calls: {
        "azure-native:authorization:getClientConfig": () => ({
            clientId: "22222222-2222-4222-8222-222222222222",
            objectId: "33333333-3333-4333-8333-333333333333",
            subscriptionId: mockSubscriptionId,
            tenantId: mockTenantId,
        }),
    },
};

/** Stand-ins for the helper providers (random, tls): deterministic, clearly fake values. */
export const helperMock: CloudMock = {
    prefix: "",
    resource({ type, name, inputs }) {
        const state: Record<string, unknown> = { ...inputs };
        switch (type) {
            case "random:index/randomPassword:RandomPassword":
            case "random:index/randomString:RandomString":
                state.result = `mock-${hex(name, Math.max(8, (inputs.length ?? 16) - 5))}`;
                break;
            case "tls:index/privateKey:PrivateKey":
                state.privateKeyPem = "-----BEGIN PRIVATE KEY-----\nMOCK\n-----END PRIVATE KEY-----\n";
                state.publicKeyOpenssh = `ssh-rsa AAAAMOCK${hex(name, 16)} mock`;
                break;
            case "tls:index/selfSignedCert:SelfSignedCert":
                state.certPem = "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n";
                break;
        }
        return { id: `${name}-${hex(name, 8)}`, state };
    },
    calls: {},
};

/** Builds the Pulumi mocks for a region from the cloud mocks (first matching prefix wins). */
export function createMocks(region: string, clouds: CloudMock[]): pulumi.runtime.Mocks {
    const all = [...clouds, helperMock];
    return {
        newResource(args) {
            if (!args.custom) return { id: undefined, state: {} };
            const mock = all.find((m) => args.type.startsWith(m.prefix))!;
            return mock.resource(args, region);
        },
        call({ token, inputs }) {
            for (const mock of all) {
                const answer = mock.calls[token];
                if (answer) return answer(inputs, region);
            }
            throw new Error(`mocks: no answer for data source ${token}; add one to src/plan/mocks.ts`);
        },
    };
}
