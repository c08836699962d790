import type { InstallSecret } from "../../../src/app/bootSecrets";
import type { EmrAppSettings } from "../../../src/app/bootSteps";
import type { BootTimings } from "../../../src/app/bootTimings";
import { renderCloudInit } from "../../../src/app/cloudInit";
import { installTag } from "../../../src/aws/installSecrets";
import { awsBootSteps } from "../../../src/aws/webBoot";
import { azureBootSteps } from "../../../src/azure/webBoot";
import { azureMysqlRootCas } from "../../../src/azure/mysqlRootCas";
import { sampleApp, sampleAws, sampleAzure, sampleAzureDbHost } from "../renderSamples";
import { drillRun } from "./host/run";
import type { WorldSpec } from "./host/world";
import type { SessionSecret } from "../../../src/app/sessionStore";
import { awsPieces, azurePieces, type SecretValues } from "./stackPieces";

/**
 * The two clouds as the drill builds them: the user data is the CURRENT src/app render, exactly as
 * the web tiers call it, with short timings passed through the renderer's parameter; the secrets,
 * the servers' access rules and identities are what the stack's own functions declare
 * (stackPieces.ts). A scenario may ask for another image (the stale-leader scenario runs the
 * image generation a stale leader can hurt, host/assets.ts).
 */
export type CloudName = "aws" | "azure";

/** Whole seconds: the boot script does bash integer arithmetic with them. */
export const drillTimings: BootTimings = { packagesSeconds: 5, prepareSeconds: 20, resetSeconds: 10, installSeconds: 20, startSeconds: 10, lockWaitSeconds: 40, pollSeconds: 1, databaseOutageSeconds: 3 };

export interface DrillCloud {
    cloud: CloudName;
    /** The configured image (emr:emrImage) the user data names. */
    image: string;
    spec: WorldSpec;
    /** Every credential of the install secrets: none may show in a container's Env, a log or the user data. */
    credentials: string[];
    /** The install secrets as the store holds them, and how the drill asks for one from a server. */
    secretRefs: Record<InstallSecret, string>;
    emrAdmin: { username: string; password: string };
    /** The session store's secret as the stack wrote it, and how the drill asks for it from a server. */
    session: SessionSecret;
    sessionSecretRef: string;
}

/**
 * The cloud's DNS resolver as a VM's /etc/resolv.conf reaches it (host/world.ts; containers get
 * a copy of it, server/container.sh): the Amazon-provided DNS at 169.254.169.253
 * (docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html) and Azure's 168.63.129.16
 * (learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16). It answers the
 * store's private name (ElastiCache's endpoint in the VPC; Azure Managed Redis through the
 * privatelink zone linked to the VNet).
 */
const resolvers: Record<CloudName, string> = { aws: "169.254.169.253", azure: "168.63.129.16" };

/** The store's address in the VPC / VNet (the cloud's network namespace holds it: cloud/sessionStore.mjs). */
const storeAddress = "10.0.200.10";
const storeSpec = (cloud: CloudName, session: SessionSecret) => ({ resolver: resolvers[cloud], names: { [session.host]: storeAddress }, sessionStore: { address: storeAddress, host: session.host, port: session.port, password: session.password, up: true } });

/** Pulumi's mocks are global: the stack pieces are made once per cloud, one cloud after the other, and shared by its worlds. */
let queue: Promise<unknown> = Promise.resolve();
const memo = new Map<string, Promise<any>>();
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!memo.has(key)) {
        const made = queue.then(make);
        queue = made.catch(() => undefined);
        memo.set(key, made);
    }
    return memo.get(key)!;
}

const credentialsOf = (secrets: SecretValues) =>
    Object.values(secrets).flatMap((json) => Object.entries(JSON.parse(json)).filter(([key]) => key === "password").map(([, v]) => String(v)));

export async function awsCloud(label: string, app: Partial<EmrAppSettings> = {}): Promise<DrillCloud> {
    const settings = { ...sampleApp, ...app };
    const refs = sampleAws.secrets;
    const pieces = await once(`aws ${settings.dbHost}`, () => awsPieces(settings.dbHost, Object.values(refs), sampleAws.sessionSecret));
    const { assets } = await drillRun();
    const secrets = Object.fromEntries(
        (Object.keys(refs) as InstallSecret[]).map((s) => [refs[s], { Name: refs[s].split(":").at(-1), SecretString: pieces.secrets[s], KmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/drill", Tags: [{ Key: installTag.key, Value: installTag.pending }] }]),
    );
    // The session tier's secret (src/aws/sessionTier.ts): untagged (the stack's tags only), under the stack's data key.
    secrets[sampleAws.sessionSecret] = { Name: sampleAws.sessionSecret.split(":").at(-1), SecretString: pieces.session.json, KmsKeyId: pieces.session.keyOrName, Tags: [] };
    return {
        cloud: "aws",
        image: settings.image,
        spec: {
            label,
            distro: "amzn",
            userData: renderCloudInit(settings, awsBootSteps(sampleAws), drillTimings),
            serviceHosts: [`secretsmanager.${sampleAws.region}.amazonaws.com`],
            shareRemotes: [sampleAws.fileSystemId],
            db: { host: settings.dbHost, port: settings.dbPort, admin: { user: "emradmin", password: JSON.parse(pieces.secrets.dbAdmin).password }, caPem: assets.pki.dbCaPem },
            cloud: { aws: { region: sampleAws.region, roleName: "emr-drill-web-role", policy: pieces.policy, secrets }, rdsBundlePem: assets.pki.dbCaPem, registry: {}, ...storeSpec("aws", pieces.session.value) },
        },
        credentials: credentialsOf(pieces.secrets),
        secretRefs: refs,
        emrAdmin: JSON.parse(pieces.secrets.emrAdmin),
        session: pieces.session.value,
        sessionSecretRef: sampleAws.sessionSecret,
    };
}

export async function azureCloud(label: string, app: Partial<EmrAppSettings> = {}): Promise<DrillCloud> {
    const settings = { ...sampleApp, dbHost: sampleAzureDbHost, ...app };
    const vault = new URL(sampleAzure.secrets.dbAdmin).hostname.split(".")[0];
    const names = Object.fromEntries(Object.entries(sampleAzure.secrets).map(([s, url]) => [s, url.split("/").at(-1)!])) as Record<InstallSecret, string>;
    const pieces = await once(`azure ${settings.dbHost}`, () => azurePieces(settings.dbHost, vault, Object.values(names)));
    const vaultId = pieces.assignments[0].scope.replace(/\/secrets\/[^/]+$/, "");
    const sessionName = sampleAzure.sessionSecret.split("/").at(-1)!;
    if (sessionName !== pieces.session.keyOrName) throw new Error(`drill: the sample user data names the session secret ${sessionName}, the stack writes ${pieces.session.keyOrName}`);
    const steps = azureBootSteps({ ...sampleAzure, identityClientId: pieces.identity.clientId, installAccessIds: pieces.assignments.map((a) => a.id) });
    const digicertG2 = azureMysqlRootCas.split(/(?<=-----END CERTIFICATE-----\n?)/)[0];
    return {
        cloud: "azure",
        image: settings.image,
        spec: {
            label,
            distro: "ubuntu",
            userData: renderCloudInit(settings, steps, drillTimings),
            serviceHosts: [`${vault}.vault.azure.net`],
            shareRemotes: [`${sampleAzure.storageAccount}.file.core.windows.net/${sampleAzure.storageAccount}/${sampleAzure.shareName}`],
            // Azure Database for MySQL's certificate chains to DigiCert Global Root G2 (security-tls.md).
            db: { host: settings.dbHost, port: settings.dbPort, admin: { user: "emradmin", password: JSON.parse(pieces.secrets.dbAdmin).password }, caPem: digicertG2 },
            cloud: {
                azure: {
                    identity: pieces.identity,
                    vaults: { [vault]: { id: vaultId, secrets: { ...Object.fromEntries((Object.keys(names) as InstallSecret[]).map((s) => [names[s], { value: pieces.secrets[s] }])), [sessionName]: { value: pieces.session.json } } } },
                    roleDefinitions: { [pieces.role.id]: pieces.role.permissions, ...pieces.builtInRoles },
                    roleAssignments: Object.fromEntries([...pieces.assignments, pieces.sessionAssignment].map((a) => [a.id, a])),
                },
                registry: {},
                ...storeSpec("azure", pieces.session.value),
            },
        },
        credentials: credentialsOf(pieces.secrets),
        secretRefs: sampleAzure.secrets,
        emrAdmin: JSON.parse(pieces.secrets.emrAdmin),
        session: pieces.session.value,
        sessionSecretRef: sampleAzure.sessionSecret,
    };
}

export const clouds: Record<CloudName, typeof awsCloud> = { aws: awsCloud, azure: azureCloud };
