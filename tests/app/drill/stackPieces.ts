import * as pulumi from "@pulumi/pulumi";
import { randomInt } from "node:crypto";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { dbLoginSecretJson, dbLogins, emrAdminLogin, emrAdminSecretJson, openemrDatabase } from "../../../src/app/dbLogins";
import type { InstallSecret } from "../../../src/app/bootSecrets";
import { webServerRole } from "../../../src/aws/webServerRole";
import { installSecretAccess } from "../../../src/azure/installSecrets";
import { awsMock, azureMock, createMocks } from "../../../src/plan/mocks";

/**
 * What the stack itself declares for the servers, produced by the stack's own functions under the
 * plan's mock layer (src/plan/mocks: ARM-shaped ids, identities with client and principal ids):
 * - the three install secrets' JSON (src/app/dbLogins.ts), with passwords drawn from the alphabet
 *   random.RandomPassword is asked for (the helper mock's `mock-...` values would not be);
 * - AWS: the instance role's inline policy (src/aws/webServerRole.ts), which the drill's IAM
 *   evaluates on every Secrets Manager call;
 * - Azure: the install-reader role and its per-secret assignments (src/azure/installSecrets.ts),
 *   which the drill's Key Vault and ARM enforce.
 */
export type SecretValues = Record<InstallSecret, string>;

export interface AwsPieces {
    secrets: SecretValues;
    /** The role's inline policy document, as IAM stores it. */
    policy: { Statement: Record<string, any>[] };
}

export interface AzurePieces {
    secrets: SecretValues;
    identity: { clientId: string; principalId: string };
    role: { id: string; permissions: { actions: string[]; dataActions: string[] }[] };
    assignments: { id: string; scope: string; principalId: string; roleDefinitionId: string }[];
}

const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const lower = "abcdefghijklmnopqrstuvwxyz";
const digits = "0123456789";
/** What RandomPassword makes of its inputs: `length` characters of the classes asked for, at least the minimum of each. */
function randomPassword(inputs: Record<string, any>): string {
    const special = inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?";
    const classes: [string, number][] = [[upper, inputs.minUpper ?? 0], [lower, inputs.minLower ?? 0], [digits, inputs.minNumeric ?? 0], [special, inputs.minSpecial ?? 0]];
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

export async function awsPieces(dbHost: string, secretArns: string[]): Promise<AwsPieces> {
    const run = await underMocks(
        (parent) => {
            webServerRole("emr-drill-web", { region: "eu-west-1", installSecretArns: secretArns, sessionSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:emr-session-credentials-StUvWx", dataKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/drill", fileSystemArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0", containerLogGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/emr/dev/web/containers", tags: {} }, parent);
            return secretValues(parent, dbHost);
        },
        (seen) => seen.some((r) => r.type === "aws:iam/rolePolicy:RolePolicy"),
    );
    const policy = run.seen.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!.state.policy;
    return { secrets: await run.value, policy: JSON.parse(policy) };
}

export async function azurePieces(dbHost: string, vault: string, secretNames: string[]): Promise<AzurePieces> {
    const vaultId = `/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/emr-drill/providers/Microsoft.KeyVault/vaults/${vault}`;
    const run = await underMocks(
        (parent) => {
            const identity = new managedidentity.UserAssignedIdentity("emr-drill-servers-id", { resourceGroupName: "emr-drill" }, { parent });
            installSecretAccess("emr-drill", { identity, keyVaultId: vaultId, keyVaultName: vault, secretNames }, parent);
            return secretValues(parent, dbHost);
        },
        (seen) => seen.filter((r) => r.type === "azure-native:authorization:RoleAssignment").length === secretNames.length,
    );
    const identity = run.seen.find((r) => r.type === "azure-native:managedidentity:UserAssignedIdentity")!;
    const role = run.seen.find((r) => r.type === "azure-native:authorization:RoleDefinition")!;
    return {
        secrets: await run.value,
        identity: { clientId: identity.state.clientId, principalId: identity.state.principalId },
        role: { id: role.id, permissions: role.state.permissions },
        assignments: run.seen
            .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
            .map((r) => ({ id: r.id, scope: r.state.scope, principalId: r.state.principalId, roleDefinitionId: r.state.roleDefinitionId })),
    };
}
