import { gzipSync } from "node:zlib";
/**
 * The EMR on the servers: one `#cloud-config` document that boots an OpenEMR web server on either
 * cloud. Each cloud passes only what differs ({@link CloudBootSteps}); the files written here and
 * the boot script (src/app/bootScript.ts) are the same everywhere.
 */
import { bootScript, bootScriptPath, defaultSharedDir, isolateScriptPath } from "./bootScript";
import type { CloudBootSteps, EmrAppSettings } from "./bootSteps";
import { bootTimings, type BootTimings } from "./bootTimings";
import { dbResetScript, dbResetScriptPath } from "./dbReset";
import { healthScript, healthScriptPath, healthUnit, healthUnitName } from "./healthCheck";
import { indent } from "./shell";

/**
 * Docker waits for the shared mount at every start (so the containers it restarts after a reboot
 * find their files), and on clouds that need it, the containers are cut off from the metadata
 * service at every start: DOCKER-USER is Docker's documented place for such rules, processed before
 * its own (docs.docker.com/engine/network/firewall-iptables: "A placeholder for user-defined rules
 * that will be processed before rules in the DOCKER-FORWARD and DOCKER chains"). The rule goes in
 * before dockerd starts (so before it restarts any container) and again once it is up, so it holds
 * whether or not a Docker version rebuilds the chain.
 */
function dockerDropIn(sharedDir: string, isolate: boolean): string {
    const isolation = isolate ? [``, `[Service]`, `ExecStartPre=${isolateScriptPath}`, `ExecStartPost=${isolateScriptPath}`] : [];
    return [`[Unit]`, `RequiresMountsFor=${sharedDir}`, ...isolation, ``].join("\n");
}

/**
 * A write_files entry. `compress` writes the content gzip'd and base64'd: cloud-init's
 * `encoding: gz+b64` ("gz+b64, gzip+base64 ... the content is gzip compressed and base64
 * encoded", cloudinit.readthedocs.io modules write_files), which keeps the EC2 user data under its
 * 16 KiB limit. Used for the Python health program and the database reset script, which the
 * tests, shellcheck and the deploy rules read decoded as cloud-init writes them
 * (src/policy/deploy/bootScript.ts cloudConfigFiles); the boot script stays plain text, readable
 * in the plan. gzipSync writes MTIME 0, so a render is the same bytes every time.
 */
function writeFile(path: string, permissions: string, content: string, compress = false): string {
    const body = compress ? [`    encoding: gz+b64`, `    content: ${gzipSync(content).toString("base64")}`] : [`    content: |`, indent(content.replace(/\n$/, ""), "      ")];
    return [`  - path: ${path}`, `    owner: root:root`, `    permissions: '${permissions}'`, ...body].join("\n");
}

/**
 * Renders the user data of one web server. `timings` default to the exported table, the one the
 * grace periods are derived from; the boot drill renders the same script with short ones.
 */
export function renderCloudInit(app: EmrAppSettings, steps: CloudBootSteps, timings: BootTimings = bootTimings): string {
    if (!/^\/[A-Za-z0-9/._-]*$/.test(app.readinessPath)) throw new Error(`readinessPath must be an absolute URL path: ${app.readinessPath}`);
    if (!/^[A-Za-z0-9_]+$/.test(app.dbName)) throw new Error(`dbName must be letters, digits and _: ${app.dbName}`);
    // The boot script does bash integer arithmetic with every timing (retry_until: `((SECONDS + delay > deadline))`):
    // a fraction would render a script that dies of a syntax error at its first retry.
    for (const [key, value] of Object.entries(timings)) {
        if (!Number.isInteger(value) || value <= 0) throw new Error(`boot timings: ${key} is ${value}; the boot script takes whole seconds above 0`);
    }
    const sharedDir = app.sharedDir ?? defaultSharedDir;
    const files = [
        writeFile("/etc/systemd/system/docker.service.d/emr.conf", "0644", dockerDropIn(sharedDir, !!steps.isolateContainers)),
        ...(steps.isolateContainers ? [writeFile(isolateScriptPath, "0700", steps.isolateContainers)] : []),
        writeFile(healthScriptPath, "0700", healthScript({ readinessPath: app.readinessPath, pollSeconds: timings.pollSeconds, databaseOutageSeconds: timings.databaseOutageSeconds }), true),
        writeFile(`/etc/systemd/system/${healthUnitName}`, "0644", healthUnit()),
        writeFile(dbResetScriptPath, "0700", dbResetScript(), true),
        writeFile(bootScriptPath, "0700", bootScript(app, steps, sharedDir, timings)),
    ];
    return [
        "#cloud-config",
        "package_update: true",
        "packages:",
        ...steps.packages.map((p) => `  - ${JSON.stringify(p)}`),
        "write_files:",
        ...files,
        "runcmd:",
        `  - ${JSON.stringify([bootScriptPath])}`,
        "",
    ].join("\n");
}
