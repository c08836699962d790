import { spawnSync } from "node:child_process";
import { expect } from "vitest";

/**
 * Reading the serving container's log options out of a rendered cloud-config, the way the server
 * does: bash runs the rendered `serve_log_args` and the resulting LOG_ARGS array is parsed.
 */

/** The definition of bash function `name` in the cloud-config (its write_files content is indented). */
export function bashFunction(cloudConfig: string, name: string): string {
    const match = new RegExp(`^( *)${name}\\(\\) \\{\\n[\\s\\S]*?^\\1\\}$`, "m").exec(cloudConfig);
    expect(match, `no function ${name}`).not.toBeNull();
    return match![0].split("\n").map((line) => line.slice(match![1].length)).join("\n");
}

/** What the rendered `serve_log_args` sets LOG_ARGS to for `container`, run by bash: the docker run options of the serving container. */
export function serveLogArgs(cloudConfig: string, container: string): string[] {
    const script = `set -euo pipefail\nLOG_ARGS=()\n${bashFunction(cloudConfig, "serve_log_args")}\nserve_log_args ${container}\nprintf '%s\\n' "\${LOG_ARGS[@]}"`;
    const result = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.trimEnd().split("\n");
}

/** `docker run` log options as a map (`--log-opt k=v` pairs), plus the driver. */
export function logOptions(args: string[]): { driver: string | undefined; opts: Record<string, string> } {
    const opts: Record<string, string> = {};
    let driver: string | undefined;
    for (let i = 0; i < args.length; i += 2) {
        if (args[i] === "--log-driver") driver = args[i + 1];
        else if (args[i] === "--log-opt") {
            const [key, ...value] = args[i + 1].split("=");
            opts[key] = value.join("=");
        } else throw new Error(`not a log option: ${args[i]}`);
    }
    return { driver, opts };
}
