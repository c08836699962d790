// Images of the Docker stand-in, kept as dockerd's image store keeps them: images by ID (the
// digest of the image's config) and a reference store mapping each tag and digest reference to
// an ID (moby v28.5.2 reference/store.go: Repositories[familiar name][familiar reference]).
// `docker pull REF`, after moby distribution/pull_v2.go @v28.5.2 (pullTag, pullManifestList,
// pullSchema2Config, schema2ManifestDigest), against the registry (registry-1.docker.io, served by
// the drill's cloud over this server's real network and TLS; cloud/registry.mjs):
// - a tag is resolved by HEAD /v2/<name>/manifests/<tag> and its Docker-Content-Digest (a GET by
//   tag when that fails, for the error), then the manifest is fetched by that digest (vendored
//   docker/distribution registry/client/repository.go tags.Get); a `name:tag@digest` asks by the
//   digest alone (the CLI sends only the digest, moby client/image_pull.go
//   getAPITagFromNamedRef); bytes that do not hash to the digest asked for are refused ("manifest
//   verification failed for digest <d>");
// - an OCI index / manifest list: the entry for this server's platform, fetched by its digest and
//   verified the same way ("no matching manifest for linux/<arch> in the manifest list entries");
// - the config blob, verified ("image config verification failed for digest <d>"): its digest is
//   the image ID; the layers (directories in the drill: host/registryContent.ts) are copied into
//   the data root, as dockerd extracts them there;
// - the references recorded: by tag, the tag and `repo@<digest of what the tag served>` (the
//   index digest for a multi-arch tag; an existing digest reference is never re-pointed,
//   addDigestReference); by digest, only `repo@<digest>`, no tag.
// Errors as the daemon reports them: "toomanyrequests: You have reached your unauthenticated pull
// rate limit" (https://docs.docker.com/docker-hub/usage/pulls/), "manifest for X not found:
// manifest unknown", and network failures as "Get \"https://...\": ..." errors.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { get } from "node:https";
import { DockerError } from "./dockerError.mjs";
import { ensureDirs, imagesDir } from "./dockerState.mjs";

const referencesFile = () => `${imagesDir}/repositories.json`;
const imageFile = (id) => `${imagesDir}/images/${id.replace("sha256:", "")}.json`;
const sha256 = (text) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
const platform = { os: "linux", architecture: { x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch };
const indexTypes = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

/**
 * A reference as Docker normalises it (distribution/reference ParseNormalizedNamed): no registry
 * host means docker.io, a one-part name means library/, no tag and no digest means :latest.
 * `key` is how the reference store files it (the familiar form; a digest wins over a tag).
 */
export function parseRef(ref) {
    const at = ref.indexOf("@");
    const digest = at >= 0 ? ref.slice(at + 1) : undefined;
    let name = at >= 0 ? ref.slice(0, at) : ref;
    const colon = name.lastIndexOf(":");
    let tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : undefined;
    if (tag !== undefined) name = name.slice(0, colon);
    const parts = name.split("/");
    if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) && parts.shift() !== "docker.io") {
        throw new DockerError(`the docker stand-in only knows Docker Hub: ${ref}`, 99, "drill: ");
    }
    const path = parts.length === 1 ? `library/${parts[0]}` : parts.join("/");
    const familiar = path.replace(/^library\//, "");
    if (!digest && !tag) tag = "latest";
    return { path, familiar, tag, digest, key: digest ? `${familiar}@${digest}` : `${familiar}:${tag}`, qualified: `docker.io/${path}${digest ? `@${digest}` : `:${tag}`}` };
}

const references = () => (existsSync(referencesFile()) ? JSON.parse(readFileSync(referencesFile(), "utf8")) : {});

/** The local image a reference (or an image ID) names, with its RepoTags and RepoDigests, or undefined. */
export function readImage(ref) {
    const refs = references();
    const id = ref.startsWith("sha256:") ? ref : refs[parseRef(ref).key];
    if (!id || !existsSync(imageFile(id))) return undefined;
    const named = Object.keys(refs).filter((r) => refs[r] === id).sort();
    return { ...JSON.parse(readFileSync(imageFile(id), "utf8")), RepoTags: named.filter((r) => !r.includes("@")), RepoDigests: named.filter((r) => r.includes("@")) };
}

function fetch(path, method = "GET") {
    return new Promise((resolve) => {
        const request = get(`https://registry-1.docker.io${path}`, { method, ca: readFileSync("/etc/ssl/certs/ca-certificates.crt"), timeout: 5000 }, (response) => {
            let body = "";
            response.on("data", (chunk) => (body += chunk));
            response.on("end", () => resolve({ status: response.statusCode, body, digest: response.headers["docker-content-digest"] }));
        });
        request.on("error", (error) => resolve({ status: 0, body: error.message }));
    });
}

/** The digest tag `r.tag` points at: HEAD, or the GET that reports why not (throws the daemon's error). */
async function resolveTag(r) {
    const head = await fetch(`/v2/${r.path}/manifests/${r.tag}`, "HEAD");
    if (head.status >= 200 && head.status < 400 && head.digest) return head.digest;
    return sha256(await fetchVerified(r, "manifests", r.tag, "manifest"));
}

/** GET of a manifest or blob, its bytes checked against `reference` when that is a digest; the body, or throws the daemon's error. */
async function fetchVerified(r, kind, reference, what) {
    const { status, body } = await fetch(`/v2/${r.path}/${kind}/${reference}`);
    if (status !== 200) {
        const reason =
            status === 429
                ? "toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit"
                : status === 404
                  ? `manifest for ${r.familiar}${reference.startsWith("sha256:") ? "@" : ":"}${reference} not found: manifest unknown: manifest unknown`
                  : `Get "https://registry-1.docker.io/v2/": ${body || `status ${status}`}`;
        throw new DockerError(reason, 1, "Error response from daemon: ");
    }
    if (reference.startsWith("sha256:") && sha256(body) !== reference) throw new DockerError(`${what} verification failed for digest ${reference}`, 1, "Error response from daemon: ");
    return body;
}

/** Pulls like `docker pull`; prints progress (with --quiet only the reference) and errors; returns whether the image is here. */
export async function pullImage(ref, io, quiet = false) {
    ensureDirs();
    const r = parseRef(ref);
    try {
        if (!quiet) io.out(`${r.digest ?? r.tag}: Pulling from ${r.familiar}\n`);
        const digest = r.digest ?? (await resolveTag(r));
        const top = await fetchVerified(r, "manifests", digest, "manifest");
        let manifest = JSON.parse(top);
        if (indexTypes.includes(manifest.mediaType)) {
            const entry = manifest.manifests.find((m) => m.platform?.os === platform.os && m.platform?.architecture === platform.architecture);
            if (!entry) throw new DockerError(`no matching manifest for ${platform.os}/${platform.architecture} in the manifest list entries`, 1, "Error response from daemon: ");
            manifest = JSON.parse(await fetchVerified(r, "manifests", entry.digest, "manifest"));
        }
        const config = JSON.parse(await fetchVerified(r, "blobs", manifest.config.digest, "image config"));
        const id = manifest.config.digest;
        const layers = manifest.layers.map((layer) => {
            const local = `${imagesDir}/layers/${layer.digest.replace("sha256:", "")}`;
            if (!existsSync(local)) cpSync(layer.annotations["drill.layer.dir"], local, { recursive: true, verbatimSymlinks: true });
            return local;
        });
        mkdirSync(`${imagesDir}/images`, { recursive: true });
        const { Env, Entrypoint, Cmd, WorkingDir, Volumes } = config.config;
        writeFileSync(imageFile(id), JSON.stringify({ Id: id, Architecture: config.architecture, Os: config.os, Env, Entrypoint, Cmd, WorkingDir, Volumes: Object.keys(Volumes ?? {}), Layer: layers.at(-1) }));
        const refs = references();
        const fresh = refs[r.key] !== id;
        refs[r.key] = id;
        refs[`${r.familiar}@${digest}`] ??= id;
        writeFileSync(`${referencesFile()}.tmp`, JSON.stringify(refs));
        renameSync(`${referencesFile()}.tmp`, referencesFile());
        if (!quiet) io.out(`Digest: ${digest}\nStatus: ${fresh ? "Downloaded newer image" : "Image is up to date"} for ${r.key}\n`);
        io.out(`${r.qualified}\n`);
        return true;
    } catch (error) {
        if (!(error instanceof DockerError)) throw error;
        io.err(`${error.prefix}${error.message}\n`);
        return false;
    }
}
