// The Docker stand-in's state, kept where dockerd keeps it (/var/lib/docker: a disk directory
// host/server.sh binds there, which the drill also reads from outside). One directory per
// container: config.v2.json (the document `docker inspect` shows: Id, Name "/<name>", Config.Env,
// HostConfig, State, RestartCount, Mounts) and <id>-json.log (the json-file log driver: one JSON
// object per line with log, stream, time; docs.docker.com/engine/logging/drivers/json-file/).
// Only the daemon writes it, and it keeps its containers in memory too (a request never re-reads them).
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";

export const dataRoot = "/var/lib/docker";
export const containersDir = `${dataRoot}/containers`;
export const volumesDir = `${dataRoot}/volumes`;
export const imagesDir = `${dataRoot}/image/drill`;
export const daemonPidFile = "/var/run/docker.pid";

export const containerDir = (id) => `${containersDir}/${id}`;

/** The daemon's containers in memory (it is their only writer); every change is also written to disk. */
const containers = new Map();

export function readContainer(id) {
    const container = containers.get(id);
    if (!container) throw new Error(`no container ${id}`);
    return structuredClone(container);
}

export const hasContainer = (id) => containers.has(id);

/** Atomic replace on disk, so a reader outside the daemon never sees half a document. */
export function writeContainer(container) {
    containers.set(container.Id, structuredClone(container));
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

export function removeContainer(id) {
    containers.delete(id);
    rmSync(containerDir(id), { recursive: true, force: true });
}

export const allContainers = () => [...containers.values()].map((c) => structuredClone(c));

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
