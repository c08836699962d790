// Images of the Docker stand-in: `docker pull` asks the registry (registry-1.docker.io, served by
// the drill's cloud, reached over this server's real network and TLS) for the manifest, which
// carries the image config (Env, Entrypoint, Cmd, WorkingDir, Volumes) and where its file system
// layer is. Errors as the daemon reports them: "toomanyrequests: You have reached your
// unauthenticated pull rate limit" (https://docs.docker.com/docker-hub/usage/pulls/), "manifest
// for X not found: manifest unknown", and network failures as "Get \"https://...\": ..." errors.
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { get } from "node:https";
import { ensureDirs, imagesDir } from "./dockerState.mjs";

const file = (ref) => `${imagesDir}/${ref.replace(/[/:@]/g, "_")}.json`;

/** Docker Hub's defaults: no registry host means docker.io, a single name means library/, no tag means latest. */
function parseRef(ref) {
    const [name, digest] = ref.split("@");
    const colon = name.lastIndexOf(":");
    const repo = colon > name.lastIndexOf("/") ? name.slice(0, colon) : name;
    const tag = digest ?? (colon > name.lastIndexOf("/") ? name.slice(colon + 1) : "latest");
    return { repo: repo.includes("/") ? repo : `library/${repo}`, reference: tag };
}

export function readImage(ref) {
    return existsSync(file(ref)) ? JSON.parse(readFileSync(file(ref), "utf8")) : undefined;
}

function fetchManifest(repo, reference) {
    return new Promise((resolve) => {
        const request = get(
            `https://registry-1.docker.io/v2/${repo}/manifests/${reference}`,
            { ca: readFileSync("/etc/ssl/certs/ca-certificates.crt"), timeout: 5000 },
            (response) => {
                let body = "";
                response.on("data", (chunk) => (body += chunk));
                response.on("end", () => resolve({ status: response.statusCode, body }));
            },
        );
        request.on("error", (error) => resolve({ status: 0, body: error.message }));
    });
}

/** Pulls like `docker pull`; prints progress (with --quiet only the image's name) and errors; returns whether the image is here. */
export async function pullImage(ref, io, quiet = false) {
    ensureDirs();
    const { repo, reference } = parseRef(ref);
    if (!quiet) io.out(`${reference}: Pulling from ${repo}\n`);
    const { status, body } = await fetchManifest(repo, reference);
    if (status === 200) {
        const image = JSON.parse(body);
        const fresh = !readImage(ref);
        // Download the layer into the data root, as dockerd does (it must not sit in the base
        // layer's file system either: overlayfs refuses overlapping layers).
        const local = `${imagesDir}/layers/${image.Id.replace("sha256:", "")}`;
        if (!existsSync(local)) cpSync(image.Layer, local, { recursive: true, verbatimSymlinks: true });
        image.Layer = local;
        writeFileSync(file(ref), JSON.stringify(image));
        if (!quiet) io.out(`Digest: ${image.Id}\nStatus: ${fresh ? "Downloaded newer image" : "Image is up to date"} for ${ref}\n`);
        io.out(`docker.io/${ref}\n`);
        return true;
    }
    const reason =
        status === 429
            ? "toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit"
            : status === 404
              ? `manifest for ${ref} not found: manifest unknown: manifest unknown`
              : `Get "https://registry-1.docker.io/v2/": ${body || `status ${status}`}`;
    io.err(`Error response from daemon: ${reason}\n`);
    return false;
}
