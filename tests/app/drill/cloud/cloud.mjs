#!/usr/bin/env node
// The cloud around the servers, in its own network namespace (run by host/cloud.ts): every
// server's eth0 leads here. It answers, per calling server (known by its address):
// - Azure IMDS, http://169.254.169.254/metadata/identity/oauth2/token?api-version&resource&client_id
//   with "Metadata: true" (https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/how-to-use-vm-token):
//   {"access_token","expires_in","resource","token_type":"Bearer","client_id"}; no header: 400
//   {"error":"invalid_request","error_description":"Required metadata header not specified"};
//   an identity the VM does not have: 400 "Identity not found".
// - Key Vault, GET https://<vault>.vault.azure.net/secrets/<name>?api-version=7.4 with the bearer
//   token (https://learn.microsoft.com/en-us/rest/api/keyvault/secrets/get-secret/get-secret):
//   {"value","id","attributes","tags"}; 401 without a valid token, 403 Forbidden without access.
// - Secrets Manager JSON API (https://docs.aws.amazon.com/secretsmanager/latest/apireference/):
//   GetSecretValue {"ARN","Name","SecretString","VersionId"}, TagResource, UntagResource,
//   DescribeSecret; errors {"__type","message"} with 400 (ResourceNotFoundException,
//   AccessDeniedException "User: <role session> is not authorized to perform: ... ").
// - https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem (the RDS CA bundle),
//   https://packages.microsoft.com/config/ubuntu/24.04/packages-microsoft-prod.deb, and the
//   Docker Hub registry manifests (429 "toomanyrequests" when a pull failure is injected).
// Access rules and faults come from <cloudDir>/cloud.json, re-read on every request.
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttp } from "node:http";
import { createServer as createHttps } from "node:https";

const dir = process.argv[2];
const config = () => JSON.parse(readFileSync(`${dir}/cloud.json`, "utf8"));
const record = (line) => writeFileSync(`${dir}/requests.log`, `${line}\n`, { flag: "a" });
const callerOf = (req) => req.socket.remoteAddress.replace(/^::ffff:/, "");
const send = (res, status, body, type = "application/json") => {
    res.writeHead(status, { "Content-Type": type });
    res.end(typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
};
const pulls = new Map();

function imds(req, res) {
    const url = new URL(req.url, "http://169.254.169.254");
    const server = config().servers[callerOf(req)];
    record(`imds ${callerOf(req)} ${url.pathname}`);
    if (url.pathname !== "/metadata/identity/oauth2/token") return send(res, 404, { error: "not_found" });
    if (req.headers.metadata !== "true") return send(res, 400, { error: "invalid_request", error_description: "Required metadata header not specified" });
    if (!server || server.clientId !== url.searchParams.get("client_id")) return send(res, 400, { error: "invalid_request", error_description: "Identity not found" });
    const token = Buffer.from(JSON.stringify({ oid: server.clientId, ip: callerOf(req), aud: url.searchParams.get("resource") })).toString("base64url");
    send(res, 200, { access_token: token, expires_in: "86399", resource: url.searchParams.get("resource"), token_type: "Bearer", client_id: server.clientId });
}

function keyVault(req, res, vault) {
    const url = new URL(req.url, `https://${vault}.vault.azure.net`);
    const { azure } = config();
    const m = /^\/secrets\/([^/]+)\/?([^/]*)$/.exec(url.pathname);
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    let claims;
    try {
        claims = JSON.parse(Buffer.from(token, "base64url").toString());
    } catch {
        claims = undefined;
    }
    record(`keyvault ${callerOf(req)} ${req.method} ${url.pathname}`);
    if (!claims?.oid || claims.aud !== "https://vault.azure.net") return send(res, 401, { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } });
    const secret = m && azure.vaults[vault]?.[m[1]];
    if (!secret) return send(res, 404, { error: { code: "SecretNotFound", message: `A secret with (name/id) ${m?.[1]} was not found in this key vault.` } });
    if (!azure.readers.includes(claims.oid) || (azure.revokeTag && secret.tags?.[azure.revokeTag.key] === azure.revokeTag.value)) {
        return send(res, 403, { error: { code: "Forbidden", message: `Caller is not authorized to perform action on resource. Caller: appid=${claims.oid}; Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'` } });
    }
    send(res, 200, { value: secret.value, id: `https://${vault}.vault.azure.net/secrets/${m[1]}/0123456789abcdef`, attributes: { enabled: true }, tags: secret.tags ?? {} });
}

function secretsManager(req, res, body) {
    const { aws, servers } = config();
    const server = servers[callerOf(req)];
    const operation = String(req.headers["x-amz-target"]).replace("secretsmanager.", "");
    const input = JSON.parse(body || "{}");
    record(`secretsmanager ${callerOf(req)} ${operation} ${input.SecretId}`);
    const error = (type, message) => send(res, 400, { __type: type, message });
    const secret = aws.secrets[input.SecretId];
    if (!server) return error("UnrecognizedClientException", "The security token included in the request is invalid.");
    if (!secret) return error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    const principal = `arn:aws:sts::123456789012:assumed-role/${server.role}/${server.instanceId}`;
    const denied = (action) => error("AccessDeniedException", `User: ${principal} is not authorized to perform: secretsmanager:${action} on resource: ${input.SecretId} because no identity-based policy allows the secretsmanager:${action} action`);
    if (!(aws.allowedActions ?? []).includes(operation)) return denied(operation);
    const tagged = (t) => secret.Tags.some((s) => s.Key === t.Key && s.Value === t.Value);
    if (operation === "GetSecretValue") {
        if (aws.denyReadWhenTagged && tagged(aws.denyReadWhenTagged)) return denied(operation);
        return send(res, 200, { ARN: input.SecretId, Name: secret.Name, SecretString: secret.SecretString, VersionId: "v1", VersionStages: ["AWSCURRENT"] });
    }
    if (operation === "TagResource") {
        const all = config();
        const stored = all.aws.secrets[input.SecretId];
        stored.Tags = [...stored.Tags.filter((t) => !input.Tags.some((n) => n.Key === t.Key)), ...input.Tags];
        writeFileSync(`${dir}/cloud.json`, JSON.stringify(all, null, 1));
        return send(res, 200, {});
    }
    if (operation === "DescribeSecret") return send(res, 200, { ARN: input.SecretId, Name: secret.Name, Tags: secret.Tags });
    return denied(operation);
}

function registry(req, res) {
    const m = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(new URL(req.url, "https://registry-1.docker.io").pathname);
    const caller = callerOf(req);
    const { registry: reg } = config();
    pulls.set(caller, (pulls.get(caller) ?? 0) + 1);
    record(`registry ${caller} ${m?.[1]}:${m?.[2]}`);
    if (pulls.get(caller) <= (reg.failPullsPerServer ?? 0)) return send(res, 429, { errors: [{ code: "TOOMANYREQUESTS", message: "You have reached your unauthenticated pull rate limit." }] });
    const image = m && reg.images[`${m[1].replace(/^library\//, "")}:${m[2]}`];
    if (!image) return send(res, 404, { errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] });
    send(res, 200, image);
}

const tls = { key: readFileSync(`${dir}/tls/cloud.key.pem`), cert: readFileSync(`${dir}/tls/cloud.cert.pem`) };
createHttps(tls, (req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
        const host = String(req.headers.host).split(":")[0];
        const vault = /^([a-z0-9-]+)\.vault\.azure\.net$/.exec(host);
        if (vault) return keyVault(req, res, vault[1]);
        if (/^secretsmanager\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) return secretsManager(req, res, body);
        if (host === "registry-1.docker.io") return registry(req, res);
        if (host === "truststore.pki.rds.amazonaws.com") return send(res, 200, config().rdsBundlePem, "application/x-pem-file");
        if (host === "packages.microsoft.com" && req.url === "/config/ubuntu/24.04/packages-microsoft-prod.deb") return send(res, 200, "!<arch>\npackages-microsoft-prod (drill)\n", "application/octet-stream");
        record(`unknown ${callerOf(req)} https://${host}${req.url}`);
        send(res, 404, "Not Found", "text/plain");
    });
}).listen(443, "0.0.0.0");
createHttp(imds).listen(80, "169.254.169.254");
process.stdout.write("cloud ready\n");
