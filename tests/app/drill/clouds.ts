import * as pulumi from "@pulumi/pulumi";
import { randomInt } from "node:crypto";
import * as cloudInit from "../../../src/app/cloudInit";
import * as dbLoginsModule from "../../../src/app/dbLogins";
import { awsBootSteps } from "../../../src/aws/webBoot";
import { azureBootSteps } from "../../../src/azure/webBoot";
import { sampleApp, sampleAws, sampleAzure } from "../renderSamples";
import type { WorldSpec } from "./host/world";

/**
 * The two clouds' worlds: the rendered user data of the CURRENT src/app (the same render as
 * tests/app/renderSamples.ts, with the short timings the renderer takes when it has them), and
 * the secret store holding what the DbTier writes, produced by src/app/dbLogins.ts itself under
 * Pulumi mocks (random.RandomPassword answered with a password of the alphabet it asks for).
 */
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
const generated = () => Array.from({ length: 32 }, () => alphabet[randomInt(alphabet.length)]).join("");

async function dbSecret(host: string): Promise<{ json: string; values: string[] }> {
    pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, result: generated() } }),
            call: (args) => args.inputs,
        },
        "emr-ha",
        "drill",
        false,
    );
    class Db extends pulumi.ComponentResource {
        constructor() {
            super("drill:db", "db");
        }
    }
    const mod = dbLoginsModule as any;
    const logins = mod.dbLogins("emr-drill", new Db());
    const json: string = await new Promise((resolve) => mod.dbSecretJson(logins, host, 3306).apply(resolve));
    // The credentials: every password field of the document (host names and user names are not secret).
    const values = Object.entries(JSON.parse(json))
        .filter(([key, value]) => /pass/i.test(key) && typeof value === "string")
        .map(([, value]) => value as string);
    return { json, values };
}

/** Short boot timings, for a renderer that takes them (the branch that has bootTimings). */
const shortTimings = { packagesSeconds: 5, prepareSeconds: 20, resetSeconds: 10, installSeconds: 20, startSeconds: 10, lockWaitSeconds: 40, pollSeconds: 0.2 };

const render = (app: typeof sampleApp, steps: unknown) => (cloudInit.renderCloudInit as (...args: unknown[]) => string)(app, steps, shortTimings);

export interface DrillCloud {
    spec: WorldSpec;
    /** Every credential value of the secret: none may show up in a container's Env, a log or the user data. */
    secretValues: string[];
    /** What the server's identity is called in the cloud's access rules. */
    identity: Record<string, string>;
}

export async function awsWorld(image: string): Promise<DrillCloud> {
    const app = { ...sampleApp, image };
    const secret = await dbSecret(app.dbHost);
    const admin = JSON.parse(secret.json);
    return {
        spec: {
            distro: "amzn",
            userData: render(app, awsBootSteps(sampleAws)),
            serviceHosts: [`secretsmanager.${sampleAws.region}.amazonaws.com`],
            shareRemotes: [sampleAws.fileSystemId],
            db: { host: app.dbHost, port: 3306, admin: { user: admin.username, password: admin.password } },
            cloud: { aws: { secrets: { [sampleAws.secretArn]: { Name: "emr-dev-db", SecretString: secret.json, Tags: [] } }, allowedActions: ["GetSecretValue", "TagResource", "DescribeSecret"] } },
        },
        secretValues: secret.values,
        identity: { role: "emr-dev-web" },
    };
}

export async function azureWorld(image: string): Promise<DrillCloud> {
    const app = { ...sampleApp, image, dbHost: "emr-dev-mysql.private.mysql.database.azure.com" };
    const secret = await dbSecret(app.dbHost);
    const admin = JSON.parse(secret.json);
    const { storageAccount: account, shareName, keyVaultName, secretName, identityClientId } = sampleAzure;
    return {
        spec: {
            distro: "ubuntu",
            userData: render(app, azureBootSteps(sampleAzure)),
            serviceHosts: [`${keyVaultName}.vault.azure.net`],
            shareRemotes: [`${account}.file.core.windows.net/${account}/${shareName}`],
            db: { host: app.dbHost, port: 3306, admin: { user: admin.username, password: admin.password } },
            cloud: { azure: { vaults: { [keyVaultName]: { [secretName]: { value: secret.json, tags: {} } } }, readers: [identityClientId] } },
        },
        secretValues: secret.values,
        identity: { clientId: identityClientId },
    };
}

/**
 * The URL the load balancer probes, on the server itself: the health endpoint the current src/app
 * exports when it has one (a port and path of its own), else the container's health path on :80.
 */
export function probeUrl(): string {
    let health: Record<string, unknown> = {};
    try {
        health = require("../../../src/app/healthCheck");
    } catch {
        // main before the host-side health endpoint: the load balancers probe the container
    }
    const port = (health.healthPort ?? health.healthCheckPort) as number | undefined;
    const path = (health.healthPath ?? "/") as string;
    if (port) return `http://127.0.0.1:${port}${path}`;
    return `http://127.0.0.1:80${(sampleApp as { healthCheckPath?: string }).healthCheckPath ?? "/interface/login/login.php"}`;
}
