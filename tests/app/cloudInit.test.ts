import { describe, it, expect } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installerEnv, secretToEnvLines } from "../../src/app/bootSecrets";
import { bootPrograms } from "../../src/app/bootPrograms";
import { documentsOnShare, sitesInImage, sitesOnShare } from "../../src/app/bootScript";
import type { CloudBootSteps } from "../../src/app/bootSteps";
import { bootTimings } from "../../src/app/bootTimings";
import { renderCloudInit } from "../../src/app/cloudInit";
import { dbResetScript, dbResetScriptPath } from "../../src/app/dbReset";
import { healthScriptPath } from "../../src/app/healthCheck";
import { sessionCheckPhp } from "../../src/app/sessionStore";
import { shellQuote } from "../../src/app/shell";
import { cloudConfig, cloudConfigFiles } from "../../src/policy/deploy/bootScript";
import { awsBootSteps } from "../../src/aws/webBoot";
import { azureBootSteps } from "../../src/azure/webBoot";
import { sampleApp, sampleAws, sampleAzure, sampleAzureDbHost, sampleCloudInits } from "./renderSamples";

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
/** The body of bash function `name` in `script`. */
const functionBody = (script: string, name: string) => {
    const match = new RegExp(`^${name}\\(\\) \\{\\n([\\s\\S]*?)^\\}`, "m").exec(script);
    expect(match, `no function ${name}`).not.toBeNull();
    return match![1];
};
/** The top-level statements after the function definitions: what the script does, in order. */
const mainFlow = (script: string) => script.slice(script.lastIndexOf("\n}\n") + 3);
/** The line index of the first line matching `re` in `text`. */
const lineOf = (text: string, re: RegExp) => text.split("\n").findIndex((l) => re.test(l));

const rendered = sampleCloudInits();
const clouds = [
    {
        cloud: "aws" as const,
        packages: ["docker", "amazon-efs-utils", "jq"],
        fstab: `'${sampleAws.fileSystemId}:/' "$SHARED_DIR" 'efs' '_netdev,tls,iam' >> /etc/fstab`,
        secretRefs: Object.values(sampleAws.secrets),
        dbHost: sampleApp.dbHost,
    },
    {
        cloud: "azure" as const,
        packages: ["docker.io", "nfs-common", "jq", "curl", "rsyslog"],
        fstab: `'emrdevfiles7a1b2c3d.file.core.windows.net:/emrdevfiles7a1b2c3d/emr-sites' "$SHARED_DIR" 'aznfs' 'vers=4,minorversion=1,sec=sys,nconnect=4,_netdev' >> /etc/fstab`,
        secretRefs: Object.values(sampleAzure.secrets),
        dbHost: sampleAzureDbHost,
    },
];

describe.each(clouds)("cloud-init for $cloud", ({ cloud, packages, fstab, secretRefs, dbHost }) => {
    const text = rendered[cloud];
    const script = bootScriptOf(text);
    const flow = mainFlow(script);

    it("is a #cloud-config under the user-data limit (EC2 16 KiB with 1 KiB spare for longer names, Azure 64 KiB), its shell scripts plain text", () => {
        expect(text.startsWith("#cloud-config\n")).toBe(true);
        expect(Buffer.byteLength(text)).toBeLessThan(cloud === "aws" ? 15 * 1024 : 64 * 1024);
        // Only the Python health program and the database reset script travel compressed (to keep the
        // EC2 user data under its limit); cloud-init writes them decoded (cloudConfigFiles decodes as
        // cloud-init does), and shellcheck below reads the reset script decoded. The boot script stays plain.
        const doc = cloudConfig(text)!;
        const compressed = (doc.write_files ?? []).filter((f: any) => f.encoding).map((f: any) => [f.path, f.encoding]);
        expect(compressed).toEqual([[healthScriptPath, "gz+b64"], [dbResetScriptPath, "gz+b64"]]);
        expect(cloudConfigFiles(doc).get(dbResetScriptPath)).toBe(dbResetScript());
        expect(cloudConfigFiles(doc).get(healthScriptPath)).toMatch(/^#!\/usr\/bin\/env python3\n[\s\S]*PORT = 8080\n/);
    });

    it("updates the package index and installs the cloud's packages", () => {
        expect(text).toContain("\npackage_update: true\n");
        const listed = text.split("packages:\n")[1].split("write_files:")[0];
        expect(listed.trim().split("\n").map((l) => JSON.parse(l.replace(/^\s*- /, "")))).toEqual(packages);
    });

    it("writes the boot script as root with mode 0700 and runs it once from runcmd", () => {
        expect(writtenFile(text, scriptPath).attributes).toEqual(["    owner: root:root", "    permissions: '0700'"]);
        expect(text.endsWith(`runcmd:\n  - ["${scriptPath}"]\n`)).toBe(true);
    });

    it("is valid bash that stops at the first failure and leaves no install secret behind", () => {
        expect(script.startsWith("#!/bin/bash\n")).toBe(true);
        expect(script.indexOf("set -euo pipefail\n")).toBeLessThan(script.indexOf("\nretry_until "));
        expect(script).toContain(`trap 'rm -rf "$SECRETS"' EXIT`);
        expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
    });

    it("creates the mount point before mounting, outside /mnt, and keeps Docker behind the mount after a reboot", () => {
        expect(script).toContain("readonly SHARED_DIR='/srv/emr-shared'");
        expect(script).toContain(fstab);
        const mkdir = lineOf(flow, /^mkdir -p "\$SHARED_DIR"$/);
        const mount = lineOf(flow, /^retry_until "\$PREPARE_DEADLINE" mount_shared_fs$/);
        expect(mkdir).toBeGreaterThanOrEqual(0);
        expect(mkdir).toBeLessThan(mount);
        expect(mount).toBeLessThan(lineOf(flow, /^systemctl enable --now docker$/));
        expect(functionBody(script, "mount_shared_fs")).toMatch(/grep -qsF " \$SHARED_DIR " \/etc\/fstab \|\|/);
        expect(writtenFile(text, "/etc/systemd/system/docker.service.d/emr.conf").content).toMatch(/^\[Unit\]\nRequiresMountsFor=\/srv\/emr-shared\n/);
    });

    it("names the install secrets by reference only, and carries no credential", () => {
        for (const ref of secretRefs) expect(script).toContain(ref);
        expect(text).not.toMatch(/pass(word)?\w*\s*[=:]\s*['"]?[A-Za-z0-9]/i);
        expect(text).not.toMatch(/--password|IDENTIFIED BY|set -x|Bearer [A-Za-z0-9]/);
    });

    it("hands every credential to the installer only, through a 0600 env file on tmpfs: DB admin, app login and OE_USER/OE_PASS", () => {
        const write = functionBody(script, "write_install_env");
        expect(write).toContain('install -d -m 0700 "$SECRETS"');
        expect(script).toContain("readonly SECRETS=/run/emr");
        expect(write.indexOf("umask 077")).toBeLessThan(write.indexOf(': > "$ENV_FILE"'));
        for (const variable of Object.keys(installerEnv)) expect(write).toContain(`${variable}: .`);
        const runs = script.replace(/\\\n\s*/g, " ").split("\n").filter((l) => /docker run /.test(l));
        const withSecrets = runs.filter((l) => l.includes("--env-file"));
        // The installer and the reset (which drops a half-built install with the admin login) get the
        // install secrets; the serving container none, and no REDIS_* variable either (src/app/sessionStore.ts).
        expect(withSecrets.map((l) => /--name (\S+)/.exec(l)?.[1] ?? "reset")).toEqual(["reset", "emr-install"]);
        const serving = functionBody(script, "run_serving");
        expect(serving).toContain("docker run -d --name emr --restart always");
        expect(serving).not.toMatch(/--env-file|ENV_FILE|MYSQL_|OE_|REDIS_/);
        // The session store reaches PHP as an ini file in a directory PHP scans besides its own
        // (the leading ':'), bound read-only with --mount (a missing source fails the start).
        expect(serving).toContain(`-e PHP_INI_SCAN_DIR=:/etc/emr-php --mount "type=bind,source=$SESSION_DIR,target=/etc/emr-php,readonly"`);
        // The ini: 0400 on tmpfs outside $SECRETS (the container reads it at every restart), from the store's secret, before the lock.
        expect(script).toContain("SESSION_DIR=/run/emr-session");
        const ini = functionBody(script, "session_ini");
        expect(ini).toContain('install -d -m 711 "$SESSION_DIR"');
        expect(ini).toContain('install -m 444 "$SESSION_CA" "$SESSION_DIR/session-ca.pem"');
        expect(ini).toContain(`(umask 377; jq -er '.phpIni' > "$SESSION_DIR/emr-session.ini")`);
        expect(flow.indexOf("session_ini")).toBeLessThan(flow.indexOf("flock"));
        // Once ready, PHP in the serving container must open and write a session in the store, its
        // output (PHP's warnings quote the save path, password included) sent nowhere; else no serving.
        expect(functionBody(script, "start_emr")).toContain(
            `docker exec emr php -d log_errors=0 -d session.use_cookies=0 -r ${shellQuote(sessionCheckPhp)} >/dev/null 2>&1 || { log "no session store"; docker rm -fv emr >/dev/null; exit 1; }`,
        );
        expect(functionBody(script, "install_emr")).toMatch(/--env-file "\$ENV_FILE"[^\n]*\n[^\n]*\n\s*rm -f "\$ENV_FILE"/);
    });

    it("connects the installer to the database over TLS with the pinned CA and creates the app user REQUIRE SSL", () => {
        const install = functionBody(script, "install_emr");
        expect(install).toContain("-e FORCE_DATABASE_SSL_CONNECT=1");
        expect(install).toContain(`-v "$DB_CA:/root/certs/mysql/server/mysql-ca:ro"`);
        expect(script).toContain(`-e MYSQL_HOST='${dbHost}' -e MYSQL_PORT=3306 -e MYSQL_DATABASE='openemr'`);
    });

    it("never restarts the installer on its own, and removes containers with their volumes", () => {
        const install = functionBody(script, "install_emr");
        const installerRun = install.split("\n").find((l) => l.includes("--name emr-install"))!;
        expect(installerRun).not.toMatch(/--restart/);
        expect(script).not.toMatch(/docker rm -f (?!v)/);
    });

    it("serialises installs and starts with flock, resets a half-built install before every attempt", () => {
        const flock = lineOf(flow, /^flock -w "\$LOCK_WAIT_SECONDS" 9 /);
        expect(lineOf(flow, /^exec 9>"\$LOCK"$/)).toBeLessThan(flock);
        expect(lineOf(flow, /^if \[ ! -f "\$MARKER" \]; then install_emr; fi$/)).toBeGreaterThan(flock);
        // The serving container starts under the lock and the lock is released only after it is ready.
        expect(lineOf(flow, /^start_emr$/)).toBeGreaterThan(flock);
        expect(lineOf(flow, /^exec 9>&-$/)).toBeGreaterThan(lineOf(flow, /^start_emr$/));
        const install = functionBody(script, "install_emr");
        const reset = install.indexOf("/emr-db-reset.sh");
        expect(reset).toBeGreaterThan(-1);
        expect(reset).toBeLessThan(install.indexOf('rm -rf -- "$SITES" "$SSL_DIR"'));
        expect(install.indexOf('rm -rf -- "$SITES" "$SSL_DIR"')).toBeLessThan(install.indexOf("--name emr-install"));
        expect(install.indexOf("wait_ready emr-install")).toBeLessThan(install.indexOf('touch "$MARKER"'));
    });

    it("runs every container (reset, installer, serving) from the build the stack recorded, never from the configured tag", () => {
        const runs = script.replace(/\\\n\s*/g, " ").split("\n").filter((l) => /docker run /.test(l));
        expect(runs).toHaveLength(3);
        for (const run of runs) expect(run).toMatch(/ "\$RUN_IMAGE"( |$)/);
        expect(script).not.toMatch(/docker run [^\n]*"\$IMAGE"/);
        expect(script).toContain(`IMAGE_RECORD="$SHARED_DIR/.emr-image"`);
    });

    it("settles the build under the install lock, its pull within the reset deadline, before anything is installed or started", () => {
        const flock = lineOf(flow, /^flock -w "\$LOCK_WAIT_SECONDS" 9 /);
        const deadline = lineOf(flow, /^RESET_DEADLINE=\$\(\(SECONDS \+ RESET_SECONDS\)\)$/);
        const pin = lineOf(flow, /^pin_image$/);
        const frozen = lineOf(flow, /^readonly RUN_IMAGE$/);
        expect(flock).toBeGreaterThanOrEqual(0);
        expect([flock < deadline, deadline < pin, pin < frozen]).toEqual([true, true, true]);
        expect(frozen).toBeLessThan(lineOf(flow, /^if \[ ! -f "\$MARKER" \]; then install_emr; fi$/));
        expect(functionBody(script, "pin_image")).toContain('retry_until "$RESET_DEADLINE" docker pull --quiet "$RUN_IMAGE"');
        expect(functionBody(script, "install_emr")).not.toContain("RESET_DEADLINE=");
    });

    it("removes a stale docker-leader before every serving start, on the path that skips the install too", () => {
        const start = functionBody(script, "start_emr");
        expect(start.indexOf('rm -f "$SITES/docker-leader"')).toBeGreaterThan(-1);
        expect(start.indexOf('rm -f "$SITES/docker-leader"')).toBeLessThan(start.indexOf("run_serving"));
        // One window for the whole start, as the budget counts it (criticalSectionSeconds).
        expect(start).toContain("local deadline=$((SECONDS + START_SECONDS))");
        expect(start).toContain('retry_until "$deadline" run_serving');
        expect(start).toContain('wait_ready emr "$((deadline - SECONDS))"');
    });

    it("shares sites/ and /etc/ssl from the shared file system with every container", () => {
        expect(script).toContain(`readonly SHARED_MOUNTS=(-v "$SITES:/var/www/localhost/htdocs/openemr/sites" -v "$SSL_DIR:/etc/ssl")`);
        expect(functionBody(script, "run_serving")).toContain(`"\${SHARED_MOUNTS[@]}" -e SWARM_MODE=yes`);
        expect(functionBody(script, "install_emr")).toContain(`"\${SHARED_MOUNTS[@]}" -e SWARM_MODE=yes`);
    });

    it("puts the folder OpenEMR writes patient documents to on the shared file system it mounts", () => {
        // The share's root is mounted at $SHARED_DIR, $SHARED_DIR/sites is bound over the image's
        // sites/, and OpenEMR writes documents under sites/<site>/documents: so the container's
        // documents folder is `documentsOnShare` on the shared file system, on every server.
        expect(script).toContain(fstab);
        expect(script).toContain(`readonly SITES="$SHARED_DIR/${sitesOnShare}"`);
        expect(script).toContain(`-v "$SITES:${sitesInImage}"`);
        expect(documentsOnShare).toBe("sites/default/documents");
        expect(script).not.toMatch(/-v "[^"]*documents/); // no other volume shadows it
    });

    it("closes the install secrets on every path that finds the install complete, after the install", () => {
        const close = lineOf(flow, /^close_install_secrets "\$DB_ADMIN_SECRET" "\$DB_APP_SECRET" "\$EMR_ADMIN_SECRET" &$/);
        expect(close).toBeGreaterThan(lineOf(flow, /install_emr/));
        expect(close).toBeLessThan(lineOf(flow, /^start_emr$/));
        // Beside the serving start, off the lock holder's budget, and waited for before the boot ends.
        const waited = lineOf(flow, /^wait "\$closing" \|\| log /);
        expect(waited).toBeGreaterThan(lineOf(flow, /^exec 9>&-$/));
    });

    it("pulls with retries before queueing for the lock (the recorded digest if the stack has one), and rotates or ships container logs", () => {
        const hint = lineOf(flow, /^RUN_IMAGE=\$\(recorded_image\)$/);
        const pull = lineOf(flow, /^retry_until "\$PREPARE_DEADLINE" docker pull --quiet "\$\{RUN_IMAGE:-\$IMAGE\}"$/);
        expect(hint).toBeGreaterThanOrEqual(0);
        expect(pull).toBeGreaterThan(hint);
        expect(pull).toBeLessThan(lineOf(flow, /^exec 9>"\$LOCK"$/));
        expect(functionBody(script, "install_emr")).toContain("--log-driver json-file --log-opt max-size=20m --log-opt max-file=2");
        expect(functionBody(script, "serve_log_args")).toMatch(cloud === "aws" ? /--log-driver awslogs .*awslogs-group=/s : /--log-driver syslog .*syslog-facility=local0.*cache-max-size=50m --log-opt cache-max-file=5/s);
    });

    it("waits on the boot timings it was rendered with", () => {
        expect(script).toContain(`readonly PREPARE_SECONDS=${bootTimings.prepareSeconds} RESET_SECONDS=${bootTimings.resetSeconds} INSTALL_SECONDS=${bootTimings.installSeconds}`);
        expect(script).toContain(`readonly START_SECONDS=${bootTimings.startSeconds} LOCK_WAIT_SECONDS=${bootTimings.lockWaitSeconds} POLL_SECONDS=${bootTimings.pollSeconds}`);
        const short = bootScriptOf(renderCloudInit(sampleApp, cloud === "aws" ? awsSteps() : azureSteps(), { ...bootTimings, installSeconds: 7, pollSeconds: 1 }));
        expect(short).toContain("INSTALL_SECONDS=7");
        expect(short).toContain("POLL_SECONDS=1");
    });

    it("passes shellcheck: the boot script, the reset script as POSIX sh, the isolation script (required in CI: CLOUD_INIT_SCHEMA=1)", () => {
        const required = process.env.CLOUD_INIT_SCHEMA === "1";
        const dir = mkdtempSync(join(tmpdir(), `emr-${cloud}-`));
        const files: [string, string[]][] = [
            [scriptPath, ["-s", "bash"]],
            [dbResetScriptPath, ["-s", "sh"]],
            ...(cloud === "azure" ? [["/usr/local/sbin/emr-isolate-containers.sh", ["-s", "bash"]] as [string, string[]]] : []),
        ];
        for (const [path, args] of files) {
            const file = join(dir, path.split("/").pop()!);
            writeFileSync(file, cloudConfigFiles(cloudConfig(text)!).get(path)!);
            const result = spawnSync("shellcheck", [...args, file], { encoding: "utf8" });
            if (result.error && !required) continue; // not installed on this machine
            expect(result.error, "is shellcheck installed?").toBeUndefined();
            expect(result.status, `${path}\n${result.stdout}`).toBe(0);
        }
    });

    it("calls only the programs listed for the boot drill", () => {
        const allowed = new Set(bootPrograms.filter((p) => p.clouds.includes(cloud)).map((p) => p.program));
        const builtins = ["set", "readonly", "local", "shift", "return", "exit", "exec", "trap", "echo", "printf", "read", "umask", ":", "[", "if", "then", "elif", "fi", "for", "do", "done", "until", "while", "else", "true", "case", "esac", "wait"];
        const functions = [...script.matchAll(/^([a-z_]+)\(\) \{/gm)].map((m) => m[1]);
        const known = new Set([...allowed, ...builtins, ...functions]);
        const called = new Set<string>();
        for (const raw of script.split("\n")) {
            // Quoted text and arithmetic are not commands; option and array lines continue a command.
            const line = raw.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "Q").replace(/\$?\(\([^)]*\)\)/g, "N").trim();
            if (!line || /^(#|-|[A-Z_]+=\()/.test(line)) continue;
            for (const part of line.split(/\|\||&&|\||;|\$\(|\(set -e|\{ |\bthen\b|\bdo\b|\buntil\b|\bif\b|!/)) {
                const word = part.trim().split(/\s+/).find((w) => !/^[A-Za-z_]+=/.test(w));
                if (word && /^[a-z][a-z0-9-]*$/.test(word) && !/^[a-z_]+\(\)$/.test(word)) called.add(word);
            }
        }
        expect([...called].filter((c) => !known.has(c))).toEqual([]);
        // And the list is not padded: every program listed for this cloud is called.
        expect([...allowed].filter((p) => !called.has(p) && !text.includes(`${p} `))).toEqual([]);
    });
});

describe("retry_until, the boot's one retry loop (run in bash)", () => {
    const script = bootScriptOf(rendered.aws);
    const run = (body: string) =>
        spawnSync("bash", ["-c", `set -euo pipefail\nPOLL_SECONDS=1\nlog() { echo "$*" >&2; }\n${`retry_until() {\n${functionBody(script, "retry_until")}}`}\n${body}`], {
            encoding: "utf8",
            timeout: 20_000,
        });

    it("treats a step as failed when any command in it fails, not just its last one (errexit holds inside)", () => {
        const result = run(`n=0\nstep() { false; echo "should not run"; }\nretry_until $((SECONDS + 2)) step; echo "unreachable"`);
        expect(result.stdout).not.toContain("should not run");
        expect(result.stdout).not.toContain("unreachable");
        expect(result.status).toBe(1);
    });

    it("retries with backoff until the step succeeds", () => {
        const dir = mkdtempSync(join(tmpdir(), "emr-retry-"));
        const result = run(`step() { echo x >> ${dir}/tries; [ "$(wc -l < ${dir}/tries)" -ge 3 ]; }\nretry_until $((SECONDS + 10)) step; echo done`);
        expect(result.stdout).toBe("done\n");
        expect(result.stderr).toMatch(/retrying in 1s[\s\S]*retrying in 2s/);
    });

    it("does not retry a refusal (status 3), and gives up with the step's status at the deadline", () => {
        const refused = run(`retry_until $((SECONDS + 10)) sh -c 'exit 3'; echo unreachable`);
        expect(refused.status).toBe(3);
        expect(refused.stderr).toContain("refused, not retrying");
        const late = run(`retry_until $((SECONDS + 1)) sh -c 'exit 7'; echo unreachable`);
        expect(late.status).toBe(7);
        expect(late.stderr).toContain("gave up (status 7)");
    });
});

describe("the image record: one build per configured image, by digest (pin_image and its helpers, run in bash)", () => {
    const script = bootScriptOf(rendered.aws);
    const functions = () => ["retry_until", "digest_ref", "recorded_image", "pulled_image", "record_image", "pin_image"].map((n) => `${n}() {\n${functionBody(script, n)}}`).join("\n");
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    const tag = "openemr/openemr:8.3.0";
    const line = (image: string, pinned: string) => `${image} ${pinned} 2026-09-01T10:00:00+0000 s1\n`;
    /**
     * Runs `body` after the boot's functions, on a record in a fresh directory, with IMAGE set and
     * a docker stand-in that logs its argv and answers `image inspect` with `inspected`.
     */
    function run(image: string, record: string | undefined, body: string, inspected = `openemr/openemr@${digest("a")}`) {
        const dir = mkdtempSync(join(tmpdir(), "emr-pin-"));
        if (record !== undefined) writeFileSync(join(dir, ".emr-image"), record);
        const prelude = [
            "set -euo pipefail",
            `POLL_SECONDS=1 IMAGE='${image}' IMAGE_RECORD='${dir}/.emr-image' RUN_IMAGE='' RESET_DEADLINE=$((SECONDS + 5)) HOSTNAME=s9`,
            `log() { echo "$*" >&2; }`,
            `docker() { echo "docker $*" >> '${dir}/docker.log'; if [ "$1" = image ]; then printf '%s\\n' '${inspected}'; fi; }`,
        ];
        const result = spawnSync("bash", ["-c", [...prelude, functions(), body].join("\n")], { encoding: "utf8", timeout: 20_000 });
        const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "");
        return { status: result.status, stdout: result.stdout, stderr: result.stderr, record: read(".emr-image"), docker: read("docker.log"), parts: readdirSync(dir).filter((f) => f.endsWith(".part")) };
    }
    const pin = 'pin_image; echo "runs $RUN_IMAGE"';

    it("the first server records the digest Docker reports for the tag it pulled (written aside, then renamed), and runs it", () => {
        const r = run(tag, undefined, pin);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe(`runs openemr/openemr@${digest("a")}\n`);
        expect(r.record).toMatch(new RegExp(`^${tag} openemr/openemr@${digest("a")} \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4} s9\\n$`));
        expect(r.docker).toBe(`docker image inspect --format {{index .RepoDigests 0}} ${tag}\n`);
        expect(r.parts).toEqual([]);
        const record = functionBody(script, "record_image");
        expect(record.indexOf('} > "$IMAGE_RECORD.part"')).toBeLessThan(record.indexOf('mv "$IMAGE_RECORD.part" "$IMAGE_RECORD"'));
    });

    it("a later server that pulled another build of the tag pulls and runs the recorded digest, and leaves the record alone", () => {
        const record = line(tag, `openemr/openemr@${digest("b")}`);
        const r = run(tag, record, pin);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe(`runs openemr/openemr@${digest("b")}\n`);
        expect(r.docker).toContain(`docker pull --quiet openemr/openemr@${digest("b")}\n`);
        expect(r.record).toBe(record);
    });

    it("pulls nothing more when it already has the recorded build: the same digest, or the recorded one read before the lock", () => {
        const record = line(tag, `openemr/openemr@${digest("b")}`);
        const same = run(tag, record, pin, `openemr/openemr@${digest("b")}`);
        expect([same.status, same.docker.includes("pull")]).toEqual([0, false]);
        const hinted = run(tag, record, `RUN_IMAGE=$(recorded_image)\n${pin}`);
        expect(hinted.stdout).toBe(`runs openemr/openemr@${digest("b")}\n`);
        expect(hinted.docker).toBe("");
    });

    it("keeps the lines of other configured images (a last line without its newline too) and gives a new image its own line", () => {
        const older = line("openemr/openemr:8.2.0", `openemr/openemr@${digest("c")}`).trimEnd();
        const r = run(tag, older, pin);
        expect(r.status, r.stderr).toBe(0);
        const lines = r.record.split("\n");
        expect(lines[0]).toBe(older);
        expect(lines[1]).toMatch(new RegExp(`^${tag} openemr/openemr@${digest("a")} `));
        expect(r.stdout).toBe(`runs openemr/openemr@${digest("a")}\n`);
    });

    it("records a configured tag@digest as itself, without asking Docker", () => {
        const pinned = `${tag}@${digest("d")}`;
        const r = run(pinned, undefined, pin);
        expect(r.status, r.stderr).toBe(0);
        expect(r.record.startsWith(`${pinned} ${pinned} `)).toBe(true);
        expect(r.docker).toBe("");
    });

    it("refuses to record or run what is not a digest reference: an image Docker gives no digest for, a hand-edited record", () => {
        const undigested = run(tag, undefined, pin, "");
        expect(undigested.status).not.toBe(0);
        expect(undigested.record).toBe("");
        const edited = run(tag, line(tag, tag), pin);
        expect(edited.status).not.toBe(0);
        expect(edited.stderr).toContain(`not a digest reference: '${tag}'`);
        expect(edited.docker).not.toContain("pull");
    });

    it("creates the record before reading it under the lock, so NFS answers from the server, not a cached miss", () => {
        const body = functionBody(script, "pin_image");
        expect(body.indexOf(': >> "$IMAGE_RECORD"')).toBeGreaterThan(-1);
        expect(body.indexOf(': >> "$IMAGE_RECORD"')).toBeLessThan(body.indexOf("recorded=$(recorded_image)"));
    });
});

describe("install secrets to installer environment", () => {
    const run = (secret: "dbAdmin" | "dbApp" | "emrAdmin", json: string) =>
        spawnSync("jq", ["-er", secretToEnvLines(secret)], { input: json, encoding: "utf8" });

    it("turns the first OpenEMR administrator into OE_USER/OE_PASS, the installer's iuser/iuserpass", () => {
        const result = run("emrAdmin", JSON.stringify({ username: "oeadmin", password: "Ab3-_.~Zq" }));
        expect(result.status).toBe(0);
        expect(result.stdout).toBe("OE_USER=oeadmin\nOE_PASS=Ab3-_.~Zq\n");
    });

    it("refuses what openemr.sh would word-split or auto_configure.php would cut: whitespace, =, quotes, backslash, missing", () => {
        for (const password of ["two words", "a=b", "it's", 'q"q', "back\\slash", "", "tab\there"]) {
            expect(run("dbAdmin", JSON.stringify({ username: "emradmin", password })).status, password).not.toBe(0);
        }
        expect(run("dbApp", JSON.stringify({ username: "openemr" })).status).not.toBe(0);
    });
});

describe("renderCloudInit", () => {
    it("refuses a readiness path that is not absolute and a database name the reset could not quote", () => {
        expect(() => renderCloudInit({ ...sampleApp, readinessPath: "readyz" }, awsSteps())).toThrow(/readinessPath/);
        expect(() => renderCloudInit({ ...sampleApp, dbName: "open-emr" }, awsSteps())).toThrow(/dbName/);
    });

    it("refuses timings the boot script's bash arithmetic cannot take (a fraction of a second dies at the first retry)", () => {
        expect(() => renderCloudInit(sampleApp, awsSteps(), { ...bootTimings, pollSeconds: 0.5 })).toThrow(/pollSeconds is 0.5/);
        expect(() => renderCloudInit(sampleApp, awsSteps(), { ...bootTimings, lockWaitSeconds: 0 })).toThrow(/lockWaitSeconds is 0/);
        expect(() => renderCloudInit(sampleApp, awsSteps(), bootTimings)).not.toThrow();
    });
});

function awsSteps(): CloudBootSteps {
    return awsBootSteps(sampleAws);
}
function azureSteps(): CloudBootSteps {
    return azureBootSteps(sampleAzure);
}
