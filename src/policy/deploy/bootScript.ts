import { load } from "js-yaml";
import { posix } from "node:path";
import { gunzipSync } from "node:zlib";
import { at } from "../inputs";
import type { ResourceInput, ResourceRule } from "../types";
import { executionOrder, type Command } from "./shell";

/** Where each machine type carries its boot payload; every one of them is base64 on the wire. */
const userDataField: Record<string, string> = {
    // "The base64-encoded user data to provide when launching the instance." (@pulumi/aws 7.48.0 ec2/launchTemplate.d.ts:388)
    "aws:ec2/launchTemplate:LaunchTemplate": "userData",
    // "Specifies a base-64 encoded string of custom data." (@pulumi/azure-native 3.28.0 types/input.d.ts:33979, 47788)
    "azure-native:compute:VirtualMachineScaleSet": "virtualMachineProfile.osProfile.customData",
    "azure-native:compute:VirtualMachine": "osProfile.customData",
};

interface CloudConfig {
    write_files?: { path: string; content?: string; encoding?: string }[];
    bootcmd?: unknown[];
    runcmd?: unknown[];
}

/** A `#cloud-config` document, parsed; undefined for any other kind of user data. */
export function cloudConfig(userData: string): CloudConfig | undefined {
    return userData.startsWith("#cloud-config") ? ((load(userData) ?? {}) as CloudConfig) : undefined;
}

/**
 * A write_files entry's content as cloud-init writes it: "b64"/"base64" decoded, "gz"/"gzip"
 * decompressed, "gz+b64" (and its spellings) both (cloudinit.readthedocs.io modules write_files,
 * `encoding`; cloudinit/config/cc_write_files.py canonicalize_extraction).
 */
function fileContent(file: { content?: string; encoding?: string }): string {
    const content = file.content ?? "";
    const encoding = (file.encoding ?? "text/plain").toLowerCase();
    if (["gz+b64", "gz+base64", "gzip+b64", "gzip+base64"].includes(encoding)) return gunzipSync(Buffer.from(content, "base64")).toString("utf8");
    if (["b64", "base64"].includes(encoding)) return Buffer.from(content, "base64").toString("utf8");
    if (["gz", "gzip"].includes(encoding)) return gunzipSync(Buffer.from(content, "latin1")).toString("utf8");
    return content;
}

/** The files a cloud-config writes: path -> content, decoded as cloud-init decodes it. */
export const cloudConfigFiles = (doc: CloudConfig) => new Map((doc.write_files ?? []).map((f) => [f.path, fileContent(f)]));

/** A machine's boot payload, base64-decoded (undefined when it has none). */
export function decodedUserData(resource: ResourceInput): string | undefined {
    const field = userDataField[resource.type];
    const encoded = field && at(resource.inputs, field);
    return typeof encoded === "string" && encoded ? Buffer.from(encoded, "base64").toString("utf8") : undefined;
}

interface BootStep {
    /** What runs, for messages: "runcmd" or the path of the script it runs. */
    origin: string;
    commands: Command[];
}

/**
 * The shell that runs at boot, in order: a `#!` script as is, or a `#cloud-config`'s `bootcmd` then
 * `runcmd`, with each runcmd that executes a `write_files` script replaced by that script. Also the
 * directories `write_files` creates before runcmd ("parent folders in the path are created if
 * absent", cloud-init cc_write_files).
 */
export function bootSteps(userData: string): { steps: BootStep[]; created: string[] } {
    if (userData.startsWith("#!")) return { steps: [{ origin: "user data script", commands: executionOrder(userData) }], created: [] };
    const doc = cloudConfig(userData);
    if (!doc) return { steps: [], created: [] };
    const files = cloudConfigFiles(doc);
    const created = [...files.keys()].map((p) => posix.dirname(p));
    const steps = [...(doc.bootcmd ?? []), ...(doc.runcmd ?? [])].map((entry): BootStep => {
        const argv = Array.isArray(entry) ? entry.map(String) : undefined;
        const script = argv && files.get(argv[0]);
        if (script?.startsWith("#!")) return { origin: argv![0], commands: executionOrder(script) };
        const line = argv ? argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ") : String(entry);
        return { origin: "runcmd", commands: executionOrder(line) };
    });
    return { steps, created };
}

/** Options of mkdir/install/mount that take a value (the next word). */
const valued: Record<string, string[]> = { mkdir: ["-m", "--mode"], install: ["-m", "-o", "-g", "-t", "--mode", "--owner", "--group"], mount: ["-t", "-o", "-O", "-L", "-U", "-T", "-N"] };

/** The operands of a command, its options (and their values) removed. */
function operands(words: string[]): { flags: string[]; args: string[] } {
    const [name, ...rest] = words;
    const flags: string[] = [];
    const args: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const w = rest[i];
        if (w.startsWith("-") && w !== "-") {
            flags.push(w);
            if ((valued[name] ?? []).includes(w)) i++;
        } else if (!/^\d*[<>]/.test(w)) {
            args.push(w);
        }
    }
    return { flags, args };
}

/** Prefixes that run the rest of the words as a command. */
const runsTheRest = /^(sudo|env|nice|nohup|[A-Za-z_]\w*=.*)$/;

/** The words of the command that actually runs: past `sudo`, `VAR=value`, `timeout 60`, or a script function wrapping a command. */
function commandRun(command: Command): string[] {
    let words = command.words;
    if (command.callsFunction) {
        const start = words.findIndex((w, i) => i > 0 && ["mkdir", "install", "mount"].includes(w));
        return start < 0 ? [] : words.slice(start);
    }
    for (;;) {
        if (runsTheRest.test(words[0] ?? "")) words = words.slice(1);
        else if (words[0] === "timeout") words = words.slice(2);
        else return words;
    }
}

const ancestors = (path: string) => path.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/") || "/");
const normal = (path: string) => posix.normalize(path).replace(/(.)\/$/, "$1");

/**
 * Directories every Linux image has (Filesystem Hierarchy Standard 3.0, chapter 3: /mnt "Mount
 * point for a temporarily mounted filesystem", /media, /srv, /opt, /tmp, /home).
 */
const standardDirectories = new Set(["/mnt", "/media", "/srv", "/opt", "/tmp", "/home"]);

/** `mount` commands whose mount point nothing has created by the time they run. */
export function mountsWithoutMountPoint(steps: BootStep[], createdFirst: string[]): { step: BootStep; command: Command; target: string }[] {
    const created = new Set<string>([...standardDirectories, ...createdFirst.flatMap(ancestors)]);
    const missing: { step: BootStep; command: Command; target: string }[] = [];
    for (const step of steps) {
        for (const command of step.commands) {
            const words = commandRun(command);
            const { flags, args } = operands(words);
            if (words[0] === "mkdir" || (words[0] === "install" && flags.some((f) => f === "-d" || f === "--directory"))) {
                const parents = words[0] === "install" || flags.some((f) => f === "-p" || f === "--parents");
                for (const path of args.map(normal)) for (const p of parents ? ancestors(path) : [path]) created.add(p);
            }
            // `mount DIR` (the rest from /etc/fstab) or `mount SOURCE DIR`; `mount -a` names no directory.
            if (words[0] === "mount" && args.length) {
                const target = normal(args[args.length - 1]);
                if (target.startsWith("/") && !created.has(target)) missing.push({ step, command, target });
            }
        }
    }
    return missing;
}

export const bootMountPointRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-ANY-BOOT-MOUNT-POINT-EXISTS",
    title: "A boot script creates each mount point before it mounts onto it",
    category: "deploy",
    cloud: "any",
    severity: "error",
    source: [
        // mount.efs runs `/sbin/mount.nfs4 <source> <mountpoint>`: no mkdir anywhere in efs-utils.
        "aws/efs-utils@def6e74:src/efs_utils_common/mount_utils.py:67",
        // The AZNFS helper runs `mount -t nfs ... "$mount_point"`, creating no directory.
        "Azure/AZNFS-mount@850eebf:src/nfsv4mountscript.sh:681",
        // util-linux: `mount: <dir>: mount point does not exist.` (exit 32), reproduced in both deploy reviews.
        "shared/reviews/aws-deploy-review.md #2, shared/reviews/azure-deploy-review.md #7",
    ],
    appliesTo: Object.keys(userDataField),
    check(resource: ResourceInput) {
        const userData = decodedUserData(resource);
        if (!userData) return [];
        const { steps, created } = bootSteps(userData);
        return mountsWithoutMountPoint(steps, created).map(
            ({ step, command, target }) =>
                `${userDataField[resource.type]} (base64 cloud-init): ${step.origin} line ${command.line} runs ` +
                `"${command.raw.join(" ")}" onto ${target}, which nothing creates before it (mkdir -p / install -d): mount fails with ` +
                '"mount point does not exist" and the boot stops there.',
        );
    },
};
