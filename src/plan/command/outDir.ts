import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "./args";

/** What a file system error code means to someone who typed --out. */
const meaning: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "not permitted",
    EROFS: "read-only file system",
    ENOENT: "the file system does not allow a folder there",
    ENOTDIR: "a part of the path is a file",
    EEXIST: "a file of that name exists",
    ENOSPC: "no space left",
};

/** One line for a file system error, never a stack trace. */
export const fsProblem = (what: string, e: unknown): UsageError => {
    const code = (e as { code?: string }).code ?? "";
    return new UsageError(`${what}: ${meaning[code] ?? (e as Error).message} (${code || "error"})`);
};

const exists = (path: string) => {
    try {
        return statSync(path);
    } catch {
        return undefined;
    }
};

/**
 * Makes `dir` ready for the plan's files, or says in one line why it cannot be. Each missing
 * level is made on its own: Node's recursive mkdirSync loops forever at 100% CPU where the parent
 * exists but refuses a child (under /proc it answers ENOENT, and mkdirSync retries the parent;
 * newcomer.md section 4 #15), so it is never asked to.
 */
export function prepareOutDir(dir: string, flag = `--out ${dir}`): void {
    const missing: string[] = [];
    let at = dir;
    let found = exists(at);
    while (!found && dirname(at) !== at) {
        missing.unshift(at);
        at = dirname(at);
        found = exists(at);
    }
    if (found && !found.isDirectory()) throw new UsageError(`${flag}: ${at} is a file, not a folder`);
    for (const level of missing) {
        try {
            mkdirSync(level);
        } catch (e) {
            throw fsProblem(`${flag}: cannot create ${level}`, e);
        }
    }
    try {
        accessSync(dir, constants.W_OK);
    } catch (e) {
        throw fsProblem(`${flag}: cannot write there`, e);
    }
}
