// Docker Hub's registry API as `docker pull` meets it (distribution-spec, GET
// /v2/<name>/manifests/<reference>): the manifest, 404 MANIFEST_UNKNOWN for a tag it does not have,
// and 429 TOOMANYREQUESTS "You have reached your unauthenticated pull rate limit" once an address
// is over its quota (docs.docker.com/docker-hub/usage/pulls/: 100 pulls per 6 hours per IPv4
// address for unauthenticated users). The drill turns the quota into a fault: the first manifest
// request of each server named in `registry.failFirstPullOf` gets the 429.
const pulls = new Map();

export function registry(cloud, caller, url) {
    const m = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
    pulls.set(caller, (pulls.get(caller) ?? 0) + 1);
    if (pulls.get(caller) === 1 && (cloud.registry.failFirstPullOf ?? []).includes(cloud.servers[caller]?.name)) {
        return [429, { errors: [{ code: "TOOMANYREQUESTS", message: "You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit" }] }];
    }
    const image = m && cloud.registry.images[`${m[1].replace(/^library\//, "")}:${m[2]}`];
    if (!image) return [404, { errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] }];
    return [200, image];
}
