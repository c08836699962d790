// The Docker stand-in's state, kept where dockerd keeps it (/var/lib/docker, on a tmpfs the
// stand-in daemon mounts so container layers can be overlay upper dirs). One directory per
// container: config.v2.json (the document `docker inspect` shows: Id, Name "/<name>", Config.Env,
// HostConfig, State, RestartCount, Mounts) and <id>-json.log (the json-file log driver: one JSON
// object per line with log, stream, time; docs.docker.com/engine/logging/drivers/json-file/).
// Only the daemon writes it, so no two writers ever race.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export const dataRoot = "/var/lib/docker";
export const containersDir = `${dataRoot}/containers`;
export const volumesDir = `${dataRoot}/volumes`;
export const imagesDir = `${dataRoot}/image/drill`;
export const daemonPidFile = "/var/run/docker.pid";

export const containerDir = (id) => `${containersDir}/${id}`;

export function readContainer(id) {
    return JSON.parse(readFileSync(`${containerDir(id)}/config.v2.json`, "utf8"));
}

/** Atomic replace, so a reader never sees half a document. */
export function writeContainer(container) {
    const path = `${containerDir(container.Id)}/config.v2.json`;
    writeFileSync(`${path}.tmp`, JSON.stringify(container, null, 1));
    renameSync(`${path}.tmp`, path);
}

export function updateState(id, change) {
    const container = readContainer(id);
    Object.assign(container.State, change);
    writeContainer(container);
    return container;
}

export function allContainers() {
    if (!existsSync(containersDir)) return [];
    return readdirSync(containersDir)
        .filter((id) => existsSync(`${containerDir(id)}/config.v2.json`))
        .map(readContainer);
}

/** Docker resolves a reference as a full id, a name, or an id prefix. */
export function findContainer(ref) {
    const all = allContainers();
    return all.find((c) => c.Id === ref) ?? all.find((c) => c.Name === `/${ref}`) ?? all.find((c) => ref.length > 0 && c.Id.startsWith(ref));
}

export function appendLog(id, stream, line) {
    const record = { log: `${line}\n`, stream, time: new Date().toISOString() };
    writeFileSync(`${containerDir(id)}/${id}-json.log`, `${JSON.stringify(record)}\n`, { flag: "a" });
}

export function ensureDirs() {
    for (const dir of [containersDir, volumesDir, imagesDir]) mkdirSync(dir, { recursive: true });
}
