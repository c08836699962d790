#!/usr/bin/env node
// The cloud around the servers, in its own network namespace (started by host/world.ts): every
// server's eth0 leads here, and it answers over real HTTP and TLS (its certificate chains to the
// world's public root, which the servers trust):
// - 169.254.169.254:80, Azure IMDS (azure.mjs);
// - https://<vault>.vault.azure.net and https://management.azure.com (azure.mjs);
// - https://secretsmanager.<region>.amazonaws.com (aws.mjs);
// - https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem, the RDS CA bundle;
// - https://packages.microsoft.com/config/ubuntu/24.04/packages-microsoft-prod.deb;
// - https://registry-1.docker.io/v2/<repo>/manifests/<tag or digest> and /blobs/<digest>, Docker Hub (registry.mjs);
// - the cloud's DNS resolver at cloud.json `resolver` (dns.mjs) with the world's private names;
// - the session store at its private address and port (sessionStore.mjs).
// Usage: cloud.mjs <cloudDir> <tlsDir>. State: <cloudDir>/cloud.json (secrets, access rules, faults;
// written by the cloud only once it runs), <cloudDir>/servers.json (address -> server, written by
// the world as servers boot), <cloudDir>/requests.log (one line per request). The drill itself
// asks through <cloudDir>/control.sock: GET /probe?url=<url> is that GET made from this network,
// as the load balancer (in the VPC / VNet) probes the servers; GET /republish?image=<repo>:<tag>
// pushes the tag's next build (registry.mjs), answering {"digest": <its index digest>}; GET
// /session-store?up=0|1 takes the session store down or brings it back.
import { execFileSync } from "node:child_process";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { get as httpGet, createServer as createHttp } from "node:http";
import { createServer as createHttps } from "node:https";
import { secretsManager } from "./aws.mjs";
import { arm, imds, keyVault } from "./azure.mjs";
import { serveDns } from "./dns.mjs";
import { registry, republish } from "./registry.mjs";
import { sessionStore } from "./sessionStore.mjs";

const [dir, tlsDir] = process.argv.slice(2);
const state = JSON.parse(readFileSync(`${dir}/cloud.json`, "utf8"));
// Our own namespace's addresses: IMDS's link-local one, the one the servers' /etc/hosts name, the
// resolver's and the session store's.
const addresses = ["169.254.169.254", "10.255.255.1", state.resolver, state.sessionStore?.address].filter(Boolean);
execFileSync("ip", ["-batch", "-"], { input: `link set lo up\n${addresses.map((a) => `addr add ${a}/32 dev lo\n`).join("")}` });
const save = () => {
    writeFileSync(`${dir}/cloud.json.tmp`, JSON.stringify(state, null, 1));
    renameSync(`${dir}/cloud.json.tmp`, `${dir}/cloud.json`);
};
const world = () => ({ ...state, servers: JSON.parse(readFileSync(`${dir}/servers.json`, "utf8")) });
const record = (line) => writeFileSync(`${dir}/requests.log`, `${line}\n`, { flag: "a" });
const callerOf = (req) => req.socket.remoteAddress.replace(/^::ffff:/, "");
const nameOf = (address) => world().servers[address]?.name ?? address;
const store = state.sessionStore ? sessionStore(state, tlsDir, dir, nameOf, save, record) : undefined;

function answer(res, [status, body, type = "application/json", headers = {}]) {
    res.writeHead(status, { "Content-Type": type, ...headers });
    res.end(typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

/** The service's answer to one request: [status, body, type, headers], or a promise of it (a registry that holds an answer back). */
function route(req, body) {
    const host = String(req.headers.host).split(":")[0];
    const url = new URL(req.url, `https://${host}`);
    const cloud = world();
    const caller = callerOf(req);
    const vault = /^([a-z0-9-]+)\.vault\.azure\.net$/.exec(host);
    let result;
    if (vault) result = keyVault(cloud, caller, vault[1], req, url, save);
    else if (host === "management.azure.com") result = arm(cloud, req, url, save);
    else if (/^secretsmanager\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) result = secretsManager(cloud, caller, req.headers["x-amz-target"], JSON.parse(body || "{}"), save);
    else if (host === "registry-1.docker.io") result = registry(cloud, caller, req.method, url, save);
    else if (host === "truststore.pki.rds.amazonaws.com" && url.pathname.endsWith("-bundle.pem")) result = [200, cloud.rdsBundlePem, "application/x-pem-file"];
    else if (host === "packages.microsoft.com" && url.pathname === "/config/ubuntu/24.04/packages-microsoft-prod.deb") {
        result = [200, "!<arch>\npackages-microsoft-prod (drill)\n", "application/octet-stream"];
    } else result = [404, "Not Found", "text/plain"];
    const logged = (answer) => (record(`${cloud.servers[caller]?.name ?? caller} ${req.method} https://${host}${url.pathname} ${answer[0]}`), answer);
    return result instanceof Promise ? result.then(logged) : logged(result);
}

/** The drill's own requests on the control socket: a probe from this network, a republished tag. */
function control(req, res) {
    const url = new URL(req.url, "http://control");
    if (url.pathname === "/probe") return probe(url.searchParams.get("url"), res);
    try {
        if (url.pathname === "/republish") return answer(res, [200, { digest: republish(world(), url.searchParams.get("image"), save) }]);
        if (url.pathname === "/session-store" && store) return store.set(url.searchParams.get("up") === "1").then(() => answer(res, [200, { up: state.sessionStore.up }]));
        answer(res, [404, { error: `no control ${url.pathname}` }]);
    } catch (error) {
        answer(res, [409, { error: error.message }]);
    }
}

function probe(target, res) {
    const reply = (status, body) => answer(res, [200, { status, body }]);
    httpGet(target, { timeout: 3000 }, (r) => {
        let body = "";
        r.on("data", (c) => (body += c));
        r.on("end", () => reply(r.statusCode, body));
    })
        .on("timeout", function () {
            this.destroy(new Error("timeout"));
        })
        .on("error", (error) => reply(0, String(error.message)));
}

function imdsEndpoint(req, res) {
    const url = new URL(req.url, "http://169.254.169.254");
    const cloud = world();
    const result = cloud.azure ? imds(cloud, callerOf(req), url, req.headers) : [404, "Not Found", "text/plain"];
    record(`${cloud.servers[callerOf(req)]?.name ?? callerOf(req)} ${req.method} http://169.254.169.254${url.pathname} ${result[0]}`);
    answer(res, result);
}

function services(req, res) {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => Promise.resolve(route(req, body)).then((result) => answer(res, result)));
}

const tls = { key: readFileSync(`${tlsDir}/cloud.key.pem`), cert: readFileSync(`${tlsDir}/cloud.cert.pem`) };
const listen = (server, ...at) => new Promise((ready) => server.listen(...at, ready));
Promise.all([
    listen(createHttps(tls, services), 443, "0.0.0.0"),
    listen(createHttp(imdsEndpoint), 80, "169.254.169.254"),
    listen(createHttp(control), `${dir}/control.sock`),
    state.resolver ? serveDns(state.resolver, state.names ?? {}) : undefined,
    store?.ready,
]).then(() => process.stdout.write("cloud ready\n"));
