import * as pulumi from "@pulumi/pulumi";
import { randomInt } from "node:crypto";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { dbLoginSecretJson, dbLogins, emrAdminLogin, emrAdminSecretJson, openemrDatabase } from "../../../src/app/dbLogins";
import type { InstallSecret } from "../../../src/app/bootSecrets";
import { webServerRole } from "../../../src/aws/webServerRole";
import { installSecretAccess } from "../../../src/azure/installSecrets";
import { AwsSessionTier } from "../../../src/aws/sessionTier";
import { AzureSessionTier } from "../../../src/azure/sessionTier";
import { builtInRoles, grant, roleDefinitionId } from "../../../src/azure/storageAccess";
import type { SessionSecret } from "../../../src/app/sessionStore";
import { awsMock, azureMock, createMocks } from "../../../src/plan/mocks";

/**
 * What the stack itself declares for the servers, produced by the stack's own functions under the
 * plan's mock layer (src/plan/mocks: ARM-shaped ids, identities with client and principal ids):
 * - the three install secrets' JSON (src/app/dbLogins.ts), with passwords drawn from the alphabet
 *   random.RandomPassword is asked for (the helper mock's `mock-...` values would not be);
 * - AWS: the instance role's inline policy (src/aws/webServerRole.ts), which the drill's IAM
 *   evaluates on every Secrets Manager call;
 * - Azure: the install-reader role and its per-secret assignments (src/azure/installSecrets.ts),
 *   which the drill's Key Vault and ARM enforce;
 * - the session store's secret as the session tier writes it (src/aws/sessionTier.ts: a Secrets
 *   Manager secret under the stack's data key; src/azure/sessionTier.ts: a Key Vault secret), the
 *   tier itself declared under the mocks with stand-ins for the network and storage tiers it reads,
 *   and the servers' read access to it as the web tier grants it (the role policy's
 *   ReadSessionStoreSecret statement; on Azure, Key Vault Secrets User on that one secret).
 */
export type SecretValues = Record<InstallSecret, string>;

/** The session store's secret: its JSON as stored (src/app/sessionStore.ts SessionSecret), and where it is kept. */
export interface SessionPiece {
    json: string;
    value: SessionSecret;
    /** AWS: the KMS key the secret is encrypted under; Azure: the secret's name in the vault. */
    keyOrName: string;
}

export interface AwsPieces {
    secrets: SecretValues;
    session: SessionPiece;
    /** The role's inline policy document, as IAM stores it. */
    policy: { Statement: Record<string, any>[] };
}

export interface AzurePieces {
    secrets: SecretValues;
    session: SessionPiece;
    /** Built-in role definitions the stack assigns (id -> permissions), as Azure defines them. */
    builtInRoles: Record<string, { actions: string[]; dataActions: string[] }[]>;
    identity: { clientId: string; principalId: string };
    role: { id: string; permissions: { actions: string[]; dataActions: string[] }[] };
    /** The install secrets' assignments (the boot deletes them once installed). */
    assignments: Assignment[];
    /** The servers' lasting read access to the session store's secret. */
    sessionAssignment: Assignment;
}

type Assignment = { id: string; scope: string; principalId: string; roleDefinitionId: string };

const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const lower = "abcdefghijklmnopqrstuvwxyz";
const digits = "0123456789";
/**
 * What RandomPassword makes of its inputs: `length` characters of the classes asked for, at least
 * the minimum of each; `upper`, `lower`, `numeric` and `special` (each true unless set false)
 * leave a class out (registry.terraform.io/providers/hashicorp/random/latest/docs/resources/password).
 */
function randomPassword(inputs: Record<string, any>): string {
    const special = inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?";
    const use = (flag: unknown) => flag !== false;
    const classes = ([[upper, inputs.minUpper ?? 0, inputs.upper], [lower, inputs.minLower ?? 0, inputs.lower], [digits, inputs.minNumeric ?? 0, inputs.numeric], [special, inputs.minSpecial ?? 0, inputs.special]] as [string, number, unknown][])
        .filter(([, , flag]) => use(flag))
        .map(([set, min]): [string, number] => [set, min]);
    const all = classes.map(([set]) => set).join("");
    const chars = classes.flatMap(([set, min]) => Array.from({ length: min }, () => set[randomInt(set.length)]));
    while (chars.length < inputs.length) chars.push(all[randomInt(all.length)]);
    return chars.sort(() => randomInt(3) - 1).join("");
}

interface Captured {
    type: string;
    name: string;
    id: string;
    state: Record<string, any>;
}

/** Runs `declare` under the plan's mocks; returns what it registered once `until` holds. */
async function underMocks<T>(declare: (parent: pulumi.Resource) => T, until: (seen: Captured[]) => boolean): Promise<{ value: T; seen: Captured[] }> {
    const seen: Captured[] = [];
    const mocks = createMocks("eu-west-1", [awsMock, azureMock]);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                if (args.type === "random:index/randomPassword:RandomPassword") return { id: `${args.name}-id`, state: { ...args.inputs, result: randomPassword(args.inputs) } };
                // createMocks answers at once (src/plan/mocks/index.ts), never with a promise.
                const answer = mocks.newResource(args) as pulumi.runtime.MockResourceResult;
                if (args.custom) seen.push({ type: args.type, name: args.name, id: answer.id!, state: answer.state });
                return answer;
            },
            call: (args) => mocks.call(args),
        },
        "emr",
        "drill",
        false,
    );
    class Stack extends pulumi.ComponentResource {
        constructor() {
            super("drill:index:Stack", "drill");
        }
    }
    const value = declare(new Stack());
    for (let i = 0; i < 400 && !until(seen); i++) await new Promise((r) => setTimeout(r, 5));
    if (!until(seen)) throw new Error("drill: the stack pieces never registered under the mocks");
    return { value, seen };
}

/** A secret input as the mocks receive it: Pulumi's secret envelope ({<sig>: <secret sig>, value}) around the value. */
const unwrapSecret = (input: any): string => (typeof input === "object" && input !== null && "value" in input ? input.value : input);

const resolve = <T>(output: pulumi.Output<T>) => new Promise<T>((done) => output.apply(done));

async function secretValues(parent: pulumi.Resource, host: string): Promise<SecretValues> {
    const logins = dbLogins("emr-drill-db", parent);
    const [dbAdmin, dbApp, emrAdmin] = await Promise.all([
        resolve(dbLoginSecretJson(logins.admin, host, 3306)),
        resolve(dbLoginSecretJson(logins.app, host, 3306, openemrDatabase)),
        resolve(emrAdminSecretJson(emrAdminLogin("emr-drill-web", parent))),
    ]);
    return { dbAdmin, dbApp, emrAdmin };
}

/** Stand-ins for the outputs of the tiers the session tiers read (only what they read; ids shaped as the plan's mocks shape them). */
const out = <T>(value: T) => pulumi.output(value);

export async function awsPieces(dbHost: string, secretArns: string[], sessionSecretArn: string): Promise<AwsPieces> {
    const dataKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/drill";
    const run = await underMocks(
        (parent) => {
            const net = { networkId: out("vpc-0drill"), securityGroups: { web: out("sg-0web") }, subnetIds: { data: out(["subnet-0a", "subnet-0b"]) }, zones: out(["eu-west-1a", "eu-west-1b"]), logKeyArn: out(dataKeyArn) };
            new AwsSessionTier("emr-session", { net, storage: { dataKeyArn: out(dataKeyArn) }, tags: {} } as any, { parent });
            // The web tier passes the session tier's secret ARN (src/aws/webTier.ts sessionSecretArn); the drill's user data names sampleAws.sessionSecret, so the role names that one.
            webServerRole("emr-drill-web", { region: "eu-west-1", installSecretArns: secretArns, sessionSecretArn, dataKeyArn, fileSystemArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0", containerLogGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/emr/dev/web/containers", tags: {} }, parent);
            return secretValues(parent, dbHost);
        },
        (seen) => seen.some((r) => r.type === "aws:iam/rolePolicy:RolePolicy") && seen.some((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion"),
    );
    const policy = run.seen.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!.state.policy;
    const secret = run.seen.find((r) => r.type === "aws:secretsmanager/secret:Secret" && r.name === "emr-session-credentials")!;
    const json = unwrapSecret(run.seen.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion")!.state.secretString);
    return { secrets: await run.value, session: { json, value: JSON.parse(json), keyOrName: secret.state.kmsKeyId }, policy: JSON.parse(policy) };
}

/**
 * Key Vault Secrets User as Azure defines it (learn.microsoft.com/azure/role-based-access-control/
 * built-in-roles/security#key-vault-secrets-user, id 4633458b-17de-408a-b874-0445c86b69e6):
 * no actions; data actions Microsoft.KeyVault/vaults/secrets/getSecret/action and
 * Microsoft.KeyVault/vaults/secrets/readMetadata/action.
 */
const keyVaultSecretsUser = [{ actions: [], dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"] }];

export async function azurePieces(dbHost: string, vault: string, secretNames: string[]): Promise<AzurePieces> {
    const subscription = "00000000-0000-4000-8000-000000000000";
    const vaultId = `/subscriptions/${subscription}/resourceGroups/emr-drill/providers/Microsoft.KeyVault/vaults/${vault}`;
    const sessionRole = `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.keyVaultSecretsUser}`;
    const run = await underMocks(
        (parent) => {
            const identity = new managedidentity.UserAssignedIdentity("emr-drill-servers-id", { resourceGroupName: "emr-drill" }, { parent });
            installSecretAccess("emr-drill", { identity, keyVaultId: vaultId, keyVaultName: vault, secretNames }, parent);
            const ready = new pulumi.ComponentResource("drill:index:SubscriptionReady", "ready", {}, { parent });
            const net = { resourceGroupName: out("emr-drill"), subscriptionReady: ready, endpointSubnetId: out(`/subscriptions/${subscription}/resourceGroups/emr-drill/providers/Microsoft.Network/virtualNetworks/emr/subnets/endpoints`), privateZoneIds: { redis: out("privatelink.redis.azure.net") } };
            const session = new AzureSessionTier("emr-session", { net, storage: { keyVaultName: out(vault), keyVaultId: out(vaultId) }, tags: {} } as any, { parent });
            // The web tier's grant, as src/azure/webTier.ts declares it (servers-read-session-secret).
            grant("emr-drill-servers-read-session-secret", { scope: pulumi.interpolate`${vaultId}/secrets/${session.secretName}`, principalId: identity.principalId, principalType: "ServicePrincipal", roleDefinitionId: roleDefinitionId(subscription, builtInRoles.keyVaultSecretsUser) }, parent);
            return secretValues(parent, dbHost);
        },
        (seen) => seen.filter((r) => r.type === "azure-native:authorization:RoleAssignment").length === secretNames.length + 1 && seen.some((r) => r.type === "azure-native:keyvault:Secret"),
    );
    const identity = run.seen.find((r) => r.type === "azure-native:managedidentity:UserAssignedIdentity")!;
    const role = run.seen.find((r) => r.type === "azure-native:authorization:RoleDefinition")!;
    const secret = run.seen.find((r) => r.type === "azure-native:keyvault:Secret")!;
    const json = unwrapSecret(secret.state.properties.value);
    const assignments = run.seen
        .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
        .map((r) => ({ id: r.id, scope: r.state.scope, principalId: r.state.principalId, roleDefinitionId: r.state.roleDefinitionId }));
    return {
        secrets: await run.value,
        session: { json, value: JSON.parse(json), keyOrName: secret.state.secretName },
        builtInRoles: { [sessionRole]: keyVaultSecretsUser },
        identity: { clientId: identity.state.clientId, principalId: identity.state.principalId },
        role: { id: role.id, permissions: role.state.permissions },
        assignments: assignments.filter((a) => a.roleDefinitionId !== sessionRole),
        sessionAssignment: assignments.find((a) => a.roleDefinitionId === sessionRole)!,
    };
}
