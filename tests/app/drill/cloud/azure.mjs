// The Azure endpoints the servers call, with Azure RBAC deciding every call from the role
// definitions and assignments the stack declares (cloud.json azure.*, produced by
// src/azure/installSecrets.ts under the plan's mocks):
// - IMDS token, GET http://169.254.169.254/metadata/identity/oauth2/token?api-version&resource&client_id
//   with "Metadata: true" (learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token):
//   {"access_token","expires_in","resource","token_type":"Bearer","client_id"}; without the header
//   400 invalid_request "Required metadata header not specified"; an identity the VM does not have:
//   400 "Identity not found". The token carries the identity's object id (oid) and app id.
// - Key Vault Get Secret, GET https://<vault>.vault.azure.net/secrets/<name>?api-version=7.4
//   (learn.microsoft.com/rest/api/keyvault/secrets/get-secret): {"value","id","attributes","tags"};
//   401 without a vault token; 403 Forbidden when no role assignment at the secret, the vault or
//   above grants Microsoft.KeyVault/vaults/secrets/getSecret/action to the caller's oid (Key Vault
//   RBAC, learn.microsoft.com/azure/key-vault/general/rbac-guide).
// - ARM Role Assignments - Delete By Id, DELETE https://management.azure.com/<assignment id>?api-version
//   (learn.microsoft.com/rest/api/authorization/role-assignments/delete-by-id): 200 with the deleted
//   assignment, 204 when there is none. ARM checks RBAC before the request reaches the resource
//   provider: a caller without Microsoft.Authorization/roleAssignments/delete at that scope gets
//   403 AuthorizationFailed "The client '<id>' with object id '<oid>' does not have authorization to
//   perform action '<action>' over scope '<scope>' or the scope is invalid. If access was recently
//   granted, please refresh your credentials." (learn.microsoft.com/azure/role-based-access-control/troubleshooting),
//   which is what deleting an assignment that granted the caller its own access leaves it with.

const token = (claims) => Buffer.from(JSON.stringify(claims)).toString("base64url");
function claimsOf(req) {
    try {
        return JSON.parse(Buffer.from(String(req.headers.authorization ?? "").replace(/^Bearer /, ""), "base64url").toString());
    } catch {
        return undefined;
    }
}

const glob = (pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
/** Whether principal `oid` holds `action` (a data action when `data`) at `scope`, through any assignment at or above it. */
function granted(azure, oid, scope, action, data) {
    return Object.values(azure.roleAssignments).some(
        (a) =>
            a.principalId === oid &&
            (scope.toLowerCase() === a.scope.toLowerCase() || scope.toLowerCase().startsWith(`${a.scope.toLowerCase()}/`)) &&
            (azure.roleDefinitions[a.roleDefinitionId] ?? []).some((p) => (data ? p.dataActions : p.actions).some((allowed) => glob(allowed).test(action))),
    );
}

export function imds(cloud, caller, url, headers) {
    const server = cloud.servers[caller];
    if (url.pathname !== "/metadata/identity/oauth2/token") return [404, { error: "not_found" }];
    if (headers.metadata !== "true") return [400, { error: "invalid_request", error_description: "Required metadata header not specified" }];
    const identity = cloud.azure.identity;
    if (!server || identity.clientId !== url.searchParams.get("client_id")) return [400, { error: "invalid_request", error_description: "Identity not found" }];
    const resource = url.searchParams.get("resource");
    return [200, { access_token: token({ oid: identity.principalId, appid: identity.clientId, aud: resource }), expires_in: "86399", resource, token_type: "Bearer", client_id: identity.clientId }];
}

export function keyVault(cloud, caller, vaultName, req, url, save) {
    const { azure } = cloud;
    const claims = claimsOf(req);
    if (claims?.aud !== "https://vault.azure.net") return [401, { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } }];
    const m = /^\/secrets\/([^/]+)\/?$/.exec(url.pathname);
    const vault = azure.vaults[vaultName];
    const secret = m && vault?.secrets[m[1]];
    const scope = `${vault?.id}/secrets/${m?.[1]}`;
    const action = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
    if (vault && !granted(azure, claims.oid, scope, action, true)) {
        return [403, { error: { code: "Forbidden", message: `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=${claims.appid};oid=${claims.oid}\r\nAction: '${action}'\r\nResource: '${scope.toLowerCase()}'`, innererror: { code: "ForbiddenByRbac" } } }];
    }
    if (!secret) return [404, { error: { code: "SecretNotFound", message: `A secret with (name/id) ${m?.[1]} was not found in this key vault.` } }];
    secret.reads = [...(secret.reads ?? []), cloud.servers[caller]?.name ?? caller];
    save();
    return [200, { value: secret.value, id: `https://${vaultName}.vault.azure.net/secrets/${m[1]}/0123456789abcdef`, attributes: { enabled: true }, tags: secret.tags ?? {} }];
}

export function arm(cloud, req, url, save) {
    const { azure } = cloud;
    const claims = claimsOf(req);
    if (claims?.aud !== "https://management.azure.com/") return [401, { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } }];
    const m = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i.exec(url.pathname);
    if (req.method !== "DELETE" || !m) return [400, { error: { code: "InvalidRequest", message: `drill: the ARM stand-in does not implement ${req.method} ${url.pathname}` } }];
    const action = "Microsoft.Authorization/roleAssignments/delete";
    if (!granted(azure, claims.oid, m[1], action, false)) {
        return [403, { error: { code: "AuthorizationFailed", message: `The client '${claims.appid}' with object id '${claims.oid}' does not have authorization to perform action '${action}' over scope '${url.pathname}' or the scope is invalid. If access was recently granted, please refresh your credentials.` } }];
    }
    const found = Object.keys(azure.roleAssignments).find((id) => id.toLowerCase() === url.pathname.toLowerCase());
    if (!found) return [204, ""];
    const deleted = azure.roleAssignments[found];
    delete azure.roleAssignments[found];
    save();
    return [200, { id: found, type: "Microsoft.Authorization/roleAssignments", properties: { scope: deleted.scope, principalId: deleted.principalId, roleDefinitionId: deleted.roleDefinitionId } }];
}
