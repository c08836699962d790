import { describe, it, expect } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootTimeouts, renderCloudInit, shellQuote, type CloudBootSteps } from "../../src/app/cloudInit";
import { sampleApp, sampleAws, sampleAzure, sampleCloudInits } from "./renderSamples";

const scriptPath = "/usr/local/sbin/emr-boot.sh";

/** A write_files entry of a rendered cloud-config: its attribute lines and its content, un-indented. */
function writtenFile(cloudConfig: string, path: string): { attributes: string[]; content: string } {
    const lines = cloudConfig.split("\n");
    const start = lines.indexOf(`  - path: ${path}`);
    const contentAt = lines.indexOf("    content: |", start);
    expect(start, `no write_files entry for ${path}`).toBeGreaterThan(0);
    const body: string[] = [];
    for (const line of lines.slice(contentAt + 1)) {
        if (line !== "" && !line.startsWith("      ")) break;
        body.push(line.slice(6));
    }
    return { attributes: lines.slice(start + 1, contentAt), content: `${body.join("\n")}\n` };
}

const bootScriptOf = (cloudConfig: string) => writtenFile(cloudConfig, scriptPath).content;

const rendered = sampleCloudInits();
const clouds = [
    {
        cloud: "aws" as const,
        packages: ["docker", "amazon-efs-utils", "jq"],
        fstab: `'${sampleAws.fileSystemId}:/' "$SHARED_DIR" 'efs' '_netdev,tls,iam' >> /etc/fstab`,
        identity: [
            `aws secretsmanager get-secret-value --region 'eu-west-1' --secret-id '${sampleAws.secretArn}' --query SecretString --output text`,
            "https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem",
        ],
    },
    {
        cloud: "azure" as const,
        packages: ["docker.io", "nfs-common", "jq", "curl"],
        fstab: `'emrdevfiles7a1b2c3d.file.core.windows.net:/emrdevfiles7a1b2c3d/emr-sites' "$SHARED_DIR" 'aznfs' 'vers=4,minorversion=1,sec=sys,nconnect=4,_netdev' >> /etc/fstab`,
        identity: [
            `-H 'Metadata: true' 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=${sampleAzure.identityClientId}' | jq -er .access_token`,
            `-H "Authorization: Bearer $token" 'https://${sampleAzure.keyVaultName}.vault.azure.net/secrets/${sampleAzure.secretName}?api-version=7.4' | jq -er .value`,
        ],
    },
];

describe.each(clouds)("cloud-init for $cloud", ({ cloud, packages, fstab, identity }) => {
    const text = rendered[cloud];
    const script = bootScriptOf(text);

    it("is a #cloud-config that fits the user-data limit (16 KiB on EC2)", () => {
        expect(text.startsWith("#cloud-config\n")).toBe(true);
        expect(Buffer.byteLength(text)).toBeLessThan(16 * 1024);
    });

    it("updates the package index and installs the cloud's packages", () => {
        expect(text).toContain("\npackage_update: true\n");
        const listed = text.split("packages:\n")[1].split("write_files:")[0];
        expect(listed.trim().split("\n").map((l) => JSON.parse(l.replace(/^\s*- /, "")))).toEqual(packages);
    });

    it("writes the boot script as root with mode 0700 and runs it once from runcmd", () => {
        const { attributes } = writtenFile(text, scriptPath);
        expect(attributes).toEqual(["    owner: root:root", "    permissions: '0700'"]);
        expect(text.endsWith(`runcmd:\n  - ["${scriptPath}"]\n`)).toBe(true);
    });

    it("is valid bash that stops at the first failure", () => {
        expect(script.startsWith("#!/bin/bash\n")).toBe(true);
        expect(script.indexOf("set -euo pipefail\n")).toBeLessThan(script.indexOf("\nmount_shared_fs\n"));
        expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
    });

    it("mounts the shared file system, persists it, and keeps Docker behind the mount after a reboot", () => {
        expect(script).toContain(fstab);
        expect(script).toContain(`mount "$SHARED_DIR"`);
        expect(script).toContain("readonly SHARED_DIR='/mnt/emr-shared'");
        expect(script.indexOf("\nmount_shared_fs\n")).toBeLessThan(script.indexOf("systemctl enable --now docker"));
        expect(writtenFile(text, "/etc/systemd/system/docker.service.d/emr-shared-mount.conf").content).toBe(
            "[Unit]\nRequiresMountsFor=/mnt/emr-shared\n",
        );
    });

    it("reads the database secret with the machine's own identity", () => {
        for (const command of identity) expect(script).toContain(command);
    });

    it("only ever pipes the secret into a 0600 env file on tmpfs, removed after the install", () => {
        expect(script).toContain("readonly SECRETS=/run/emr\n");
        expect(script).toContain(`readonly ENV_FILE="$SECRETS/db.env"`);
        expect(script).toContain(`install -d -m 0700 "$SECRETS"`);
        expect(script).toContain(`chmod 0600 "$ENV_FILE"`);
        const uses = script.split("\n").filter((l) => /\bfetch_db_secret\b/.test(l) && !l.includes("()"));
        expect(uses).toHaveLength(1);
        expect(uses[0]).toMatch(/^\s*fetch_db_secret \| jq -er '.*' > "\$ENV_FILE"$/);
        expect(script).toContain(`rm -f "$ENV_FILE"`);
    });

    it("contains no credential values, only the commands that fetch them", () => {
        expect(text).not.toMatch(/pass(word)?\w*\s*[=:]\s*['"]?[A-Za-z0-9]/i);
        expect(text).not.toMatch(/--password|IDENTIFIED BY|set -x/);
        expect(text).not.toMatch(/cat "\$ENV_FILE"|echo "\$token"/);
    });

    it("runs the pinned image with the shared sites/ bind mount on port 80, restarted always", () => {
        expect(script).toContain("readonly IMAGE='openemr/openemr:7.0.3'");
        expect(script).toContain(`readonly SITES="$SHARED_DIR/sites"`);
        expect(script).toContain(`-v "$SITES:/var/www/localhost/htdocs/openemr/sites"`);
        expect(script).toContain("--restart always -p 80:80");
        expect(script).toContain(`-e MYSQL_HOST='${cloud === "aws" ? sampleApp.dbHost : "emr-dev-mysql.private.mysql.database.azure.com"}' -e MYSQL_PORT=3306 -e MYSQL_DATABASE='openemr'`);
        expect(script).not.toMatch(/:latest\b/);
    });

    it("serialises the first install with flock on the shared file system and a marker", () => {
        expect(script).toContain(`readonly LOCK="$SHARED_DIR/.emr-install.lock"`);
        expect(script).toContain(`readonly MARKER="$SHARED_DIR/.emr-installed"`);
        expect(script).toContain(`exec 9>"$LOCK"`);
        expect(script).toContain(`flock -w ${bootTimeouts.lockWaitSeconds} 9`);
        expect(script).toMatch(/wait_healthy \d+; then[\s\S]*touch "\$MARKER"/);
        expect(bootTimeouts.lockWaitSeconds).toBeGreaterThan(bootTimeouts.installSeconds);
    });

    it("makes OpenEMR talk to the database over TLS", () => {
        expect(script).toContain("-e FORCE_DATABASE_SSL_CONNECT=1");
        expect(script).toContain(`-v "$DB_CA:/root/certs/mysql/server/mysql-ca:ro"`);
    });
});

describe("renderCloudInit", () => {
    const steps: CloudBootSteps = { cloud: "aws", packages: [], mountSharedFs: "true", fetchDbSecret: "true", fetchDbCaBundle: "true" };

    it("runs the optional prepare step before Docker starts", () => {
        const script = bootScriptOf(renderCloudInit(sampleApp, { ...steps, prepare: "modprobe br_netfilter" }));
        expect(script).toMatch(/\nmodprobe br_netfilter\nsystemctl enable --now docker\n/);
    });

    it("rejects a health check path that is not absolute", () => {
        expect(() => renderCloudInit({ ...sampleApp, healthCheckPath: "login.php" }, steps)).toThrow(/healthCheckPath/);
    });
});

/**
 * Runs the real boot script on this machine with Docker, curl and systemctl replaced by stubs
 * that log their calls, the shared file system a local folder and /run/emr a temp folder.
 */
describe("first boot, simulated", () => {
    const fakeSecret = { username: "admin", password: "root-S3cret-1", appUsername: "openemr", appPassword: "app-S3cret-2", host: "db", port: 3306, dbname: "openemr" };

    function sandbox() {
        const root = mkdtempSync(join(tmpdir(), "emr-boot-"));
        const dirs = { shared: join(root, "shared"), state: join(root, "state"), bin: join(root, "bin"), run: join(root, "run") };
        for (const dir of [dirs.state, dirs.bin, join(dirs.shared, "sites")]) mkdirSync(dir, { recursive: true });
        const stub = (name: string, body: string) => writeFileSync(join(dirs.bin, name), `#!/bin/bash\n${body}\nexit 0\n`, { mode: 0o755 });
        stub(
            "docker",
            String.raw`echo "$SERVER $*" >> "$STATE/calls.log"
prev=
for a in "$@"; do
    [ "$prev" = --env-file ] && echo "$SERVER $(stat -c %a "$a") $(tr '\n' ' ' < "$a")" >> "$STATE/envfile.log"
    prev=$a
done
if [ "$1 $4" = "run emr-install" ]; then
    ls "$STATE"/installing-* > /dev/null 2>&1 && echo "$SERVER: overlapping install" >> "$STATE/problems.log"
    [ -e "$SHARED/sites/docker-leader" ] && echo "$SERVER: stale docker-leader" >> "$STATE/problems.log"
    touch "$STATE/installing-$SERVER"
fi
[ "$1" = rm ] && rm -f "$STATE/installing-$SERVER"`,
        );
        stub("curl", "sleep 1\nprintf 200");
        stub("systemctl", "");
        const steps: CloudBootSteps = {
            cloud: "aws",
            packages: [],
            mountSharedFs: "true",
            fetchDbSecret: `echo fetched >> "$STATE/fetched.log"\necho ${shellQuote(JSON.stringify(fakeSecret))}`,
            fetchDbCaBundle: "echo FAKE-CA",
        };
        const script = bootScriptOf(renderCloudInit({ ...sampleApp, sharedDir: dirs.shared }, steps)).replaceAll("/run/emr", dirs.run);
        writeFileSync(join(root, "boot.sh"), script, { mode: 0o700 });
        const boot = (server: string) =>
            new Promise<number | null>((resolve) => {
                const env = { ...process.env, PATH: `${dirs.bin}:${process.env.PATH}`, SERVER: server, STATE: dirs.state, SHARED: dirs.shared };
                spawn("bash", [join(root, "boot.sh")], { env, stdio: "ignore" }).on("exit", resolve);
            });
        const read = (name: string) => (existsSync(join(dirs.state, name)) ? readFileSync(join(dirs.state, name), "utf8").trim().split("\n") : []);
        return { dirs, boot, read };
    }

    it("three servers booting together: exactly one installs, the others wait for it, all serve", async () => {
        const { dirs, boot, read } = sandbox();
        writeFileSync(join(dirs.shared, "sites", "docker-leader"), ""); // left by an install that died

        expect(await Promise.all(["s1", "s2", "s3"].map(boot))).toEqual([0, 0, 0]);

        const calls = read("calls.log");
        const installs = calls.filter((c) => / run -d --name emr-install /.test(c));
        const serving = calls.filter((c) => / run -d --name emr /.test(c));
        expect(installs).toHaveLength(1);
        expect(installs[0]).toContain("-e FORCE_DATABASE_SSL_CONNECT=1");
        expect(serving).toHaveLength(3);
        for (const s of serving) expect(s).not.toContain("--env-file");
        const installerGone = calls.findIndex((c) => c.endsWith(" rm -f emr-install"));
        expect(installerGone).toBeGreaterThan(-1);
        for (const s of serving) expect(calls.indexOf(s)).toBeGreaterThan(installerGone);
        expect(read("problems.log")).toEqual([]);
        expect(existsSync(join(dirs.shared, ".emr-installed"))).toBe(true);

        // The credentials reached the installer only through a 0600 env file, which is gone now.
        expect(read("fetched.log")).toHaveLength(1);
        expect(read("envfile.log")).toEqual([
            expect.stringMatching(/^s\d 600 MYSQL_ROOT_USER=admin MYSQL_ROOT_PASS=root-S3cret-1 MYSQL_USER=openemr MYSQL_PASS=app-S3cret-2$/),
        ]);
        expect(calls.join("\n")).not.toContain("S3cret");
        expect(existsSync(join(dirs.run, "db.env"))).toBe(false);
    });

    it("a server booting after the install neither installs nor reads the secret", async () => {
        const { dirs, boot, read } = sandbox();
        writeFileSync(join(dirs.shared, ".emr-installed"), "");

        expect(await boot("s4")).toBe(0);

        expect(read("calls.log").filter((c) => c.includes("emr-install"))).toEqual([]);
        expect(read("calls.log").filter((c) => / run -d --name emr /.test(c))).toHaveLength(1);
        expect(read("fetched.log")).toEqual([]);
    });
});
