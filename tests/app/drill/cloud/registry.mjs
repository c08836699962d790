// Docker Hub's registry API as `docker pull` meets it (opencontainers/distribution-spec spec.md,
// "Pulling manifests" and "Pulling blobs"; the content: host/registryContent.ts):
// - GET /v2/<name>/manifests/<reference>, where "<reference> MUST be either (a) the digest of the
//   manifest or (b) a tag": the manifest's exact bytes, its media type as Content-Type and its
//   digest in Docker-Content-Digest; 404 MANIFEST_UNKNOWN for a tag or digest it does not have. A
//   build stays retrievable by digest after its tag moved on to a rebuild. HEAD answers the same
//   headers without the body (Docker resolves a tag that way, then GETs the digest).
// - GET /v2/<name>/blobs/<digest>: the blob; 404 BLOB_UNKNOWN.
// - 429 TOOMANYREQUESTS "You have reached your unauthenticated pull rate limit" on a manifest GET
//   once an address is over its quota (docs.docker.com/docker-hub/usage/pulls/: 100 pulls per 6
//   hours per IPv4 address for unauthenticated users; a pull is counted on the manifest GET, a
//   HEAD is not). The drill turns the quota into a fault: the first manifest GET of each server
//   named in `registry.failFirstPullOf` gets the 429.
// - A republished tag (a rebuild pushed under the same tag: PUT /v2/<name>/manifests/<tag>)
//   points at the tag's next build: on demand (republish(), from the world's control socket), or
//   as a fault, `registry.republishBetweenPulls: ["<repo>:<tag>"]`, between the first server's pull
//   and every other's: the first server to resolve the tag downloads the build it points at, the
//   rebuild is pushed right after that download, and any other server's resolution of the tag
//   is answered only then (held back until it), so servers booting together deterministically
//   hold two builds: the first resolver the original, the others the rebuild.
const manifestGetsBy = new Map();
/** "<repo>:<tag>" -> { first: the first resolver's address, pushed: whether the rebuild is out } */
const betweenPulls = new Map();
const untilPushed = async (state) => {
    while (!state.pushed) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** Moves `repo:tag` to its next build; returns that build's index digest. */
export function republish(cloud, image, save) {
    const at = image.lastIndexOf(":");
    const [repo, tag] = [image.slice(0, at), image.slice(at + 1)];
    const builds = cloud.registry.builds[image] ?? [];
    const next = builds[builds.indexOf(cloud.registry.repositories[repo]?.tags[tag]) + 1];
    if (!next) throw new Error(`the drill's registry has no further build of ${image}`);
    cloud.registry.repositories[repo].tags[tag] = next;
    save();
    return next;
}

const unknown = (code) => [404, { errors: [{ code, message: code === "BLOB_UNKNOWN" ? "blob unknown to registry" : "manifest unknown" }] }];

export function registry(cloud, caller, method, url, save) {
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (method === "GET" && m?.[2] === "manifests") {
        manifestGetsBy.set(caller, (manifestGetsBy.get(caller) ?? 0) + 1);
        if (manifestGetsBy.get(caller) === 1 && (cloud.registry.failFirstPullOf ?? []).includes(cloud.servers[caller]?.name)) {
            return [429, { errors: [{ code: "TOOMANYREQUESTS", message: "You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit" }] }];
        }
    }
    const repository = m && cloud.registry.repositories[m[1].replace(/^library\//, "")];
    if (!repository) return unknown(m?.[2] === "blobs" ? "BLOB_UNKNOWN" : "MANIFEST_UNKNOWN");
    const [, , kind, reference] = m;
    if (kind === "blobs") return reference in repository.blobs ? [200, repository.blobs[reference], "application/octet-stream", { "Docker-Content-Digest": reference }] : unknown("BLOB_UNKNOWN");
    const repo = m[1].replace(/^library\//, "");
    const byTag = !reference.includes(":");
    const image = `${repo}:${reference}`;
    if (byTag && (cloud.registry.republishBetweenPulls ?? []).includes(image)) {
        if (!betweenPulls.has(image)) betweenPulls.set(image, { first: caller, pushed: false });
        const state = betweenPulls.get(image);
        if (state.first !== caller && !state.pushed) return untilPushed(state).then(() => manifestAt(cloud, repository, repo, reference, caller, method, save));
    }
    return manifestAt(cloud, repository, repo, reference, caller, method, save);
}

/** The manifest a tag or digest names, as the registry holds it now; a download by the first resolver of a republishBetweenPulls tag pushes the rebuild. */
function manifestAt(cloud, repository, repo, reference, caller, method, save) {
    const digest = reference.includes(":") ? reference : repository.tags[reference];
    const manifest = digest && repository.manifests[digest];
    if (!manifest) return unknown("MANIFEST_UNKNOWN");
    if (method === "GET") {
        for (const [tag, target] of Object.entries(repository.tags)) {
            const state = betweenPulls.get(`${repo}:${tag}`);
            if (target !== digest || state?.first !== caller || state.pushed) continue;
            republish(cloud, `${repo}:${tag}`, save);
            state.pushed = true;
        }
    }
    return [200, manifest.body, manifest.mediaType, { "Docker-Content-Digest": digest }];
}
