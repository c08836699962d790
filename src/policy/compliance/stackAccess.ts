import { secretToEnvLines } from "../../app/bootSecrets";
import { shellQuote } from "../../app/shell";
import { bootConfigs } from "../../plan/bootConfig";
import type { Violation } from "../types";
import { modelOf, neutralRule as rule, scopes, violation } from "./model";
import { hipaa } from "./hipaa";

/**
 * The cloud-neutral controls of access and transmission (45 CFR 164.312(a), (d), (e)): who and what
 * can reach the data, with which credentials, over which protocols, under whose keys.
 */

export const onlyLoadBalancerPublic = rule(
    "EMR-ONLY-LOAD-BALANCER-PUBLIC",
    "Only the load balancer is reachable from the internet: no server, database or store has a public endpoint",
    { hipaa: [hipaa.transmission, hipaa.accessControl], checkov: ["CKV_AWS_17", "CKV_AWS_88", "CKV_AZURE_59"], cdkNag: ["HIPAA.Security-RDSInstancePublicAccess", "HIPAA.Security-EC2InstanceNoPublicIp"], trivy: ["AVD-AWS-0180", "AVD-AWS-0009", "AVD-AZU-0022"] },
    ["src/plan/model/types.ts (publicEndpoints, as each cloud's reader finds them)"],
    (m) => [...scopes.balancers(m), ...scopes.servers(m), ...scopes.data(m)],
    (graph) => {
        const m = modelOf(graph);
        const balancers = new Set(m.loadBalancers.map((l) => l.key));
        return m.publicEndpoints.filter((k) => !balancers.has(k)).map((k) => violation(k, "reachable from the internet: only the load balancer (behind its firewall) may be, everything else is private"));
    },
);

export const noSecretInBoot = rule(
    "EMR-NO-SECRET-IN-BOOT-CONFIG",
    "No generated secret value appears in a server's boot configuration; the servers fetch secrets at boot with their own identity",
    { hipaa: [hipaa.accessControl, hipaa.authentication], checkov: ["CKV_AWS_46"], trivy: ["AVD-AWS-0029", "AVD-AZU-0037"] },
    [
        // EC2 user data and Azure custom data are readable by anyone who may describe the instance/scale set.
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html",
        "https://learn.microsoft.com/azure/virtual-machines/custom-data",
    ],
    scopes.servers,
    (graph) =>
        modelOf(graph).serverGroups.flatMap((s) => [
            ...(s.bootConfigHasSecret ? [violation(s.key, "a generated secret value is written into the boot configuration, which anyone who can read the server's settings can read")] : []),
            ...(!s.fetchesSecretAtBoot ? [violation(s.key, "the boot configuration does not fetch the database secret from the secret store with the server's identity")] : []),
        ]),
);

export const noDefaultAdmin = rule(
    "EMR-NO-DEFAULT-ADMIN-CREDENTIAL",
    "OpenEMR's first administrator and every database login come from generated secrets, never the image's defaults (admin / pass)",
    { hipaa: [hipaa.uniqueUser, hipaa.authentication], cdkNag: ["HIPAA.Security-SecretsManagerUsingKMSKey"] },
    [
        // auto_configure.php keeps iuser 'admin' / iuserpass 'pass' unless OE_USER / OE_PASS are given (src/app/bootScript.ts header).
        "openemr/openemr-devops docker/openemr/8.0.0/utilities/devtoolsLibrary.source (prepareVariables: OE_USER/OE_PASS -> iuser/iuserpass)",
        "src/app/bootSecrets.ts (installerEnv)",
    ],
    (m) => [...scopes.secrets(m), ...scopes.servers(m)],
    (graph) => {
        const m = modelOf(graph);
        const found: Violation[] = m.secrets.filter((s) => !s.generated || !s.secretInState).map((s) => violation(s.key, `its value is ${!s.generated ? "not generated (it comes from config or code, so it may be shared or a default)" : "not marked secret in the Pulumi state"}`));
        // The boot must feed the installer's administrator from the generated secret: without
        // OE_USER/OE_PASS the installer creates admin / pass.
        const adminFromSecret = shellQuote(secretToEnvLines("emrAdmin"));
        for (const boot of bootConfigs({ cloud: m.cloud, resources: graph.resources })) {
            if (!boot.text.includes(adminFromSecret)) found.push(violation(boot.name, "the boot does not pass OE_USER/OE_PASS from the generated administrator secret, so OpenEMR installs with its default admin / pass"));
            if (/\b(OE_PASS|iuserpass|MYSQL_ROOT_PASS)=(pass|root|admin)\b/.test(boot.text)) found.push(violation(boot.name, "the boot sets a well-known default password"));
        }
        return found;
    },
);

export const secretsCustomerKey = rule(
    "EMR-SECRETS-CUSTOMER-KEY",
    "Every secret is encrypted under a key the customer controls (KMS customer managed key / the stack's own Key Vault)",
    { hipaa: [hipaa.encryptionAtRest], cdkNag: ["HIPAA.Security-SecretsManagerUsingKMSKey"] },
    ["https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html", "https://learn.microsoft.com/azure/key-vault/general/security-features"],
    scopes.secrets,
    (graph) => modelOf(graph).secrets.filter((s) => !s.encryptedWithCustomerKey).map((s) => violation(s.key, "not encrypted under the stack's customer-managed key")),
);

export const dataEncrypted = rule(
    "EMR-DATA-ENCRYPTED-CUSTOMER-KEY",
    "Every store of patient data (database, shared files) is encrypted at rest under a customer-managed key; nothing holds data unencrypted",
    { hipaa: [hipaa.encryptionAtRest, hipaa.transmissionEncryption], checkov: ["CKV_AWS_16", "CKV_AWS_184", "CKV2_AZURE_1"], cdkNag: ["HIPAA.Security-RDSStorageEncrypted", "HIPAA.Security-EFSEncrypted"], trivy: ["AVD-AWS-0080", "AVD-AWS-0037", "AVD-AZU-0060"] },
    ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html", "https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview"],
    scopes.data,
    (graph) => {
        const m = modelOf(graph);
        return [
            ...m.unencrypted.map((k) => violation(k, "holds data at rest without encryption")),
            ...[...m.databases, ...m.stores].filter((d) => !d.encrypted || !d.customerManagedKey).map((d) => violation(d.key, d.encrypted ? "encrypted with the provider's key, not a customer-managed one" : "not encrypted at rest")),
        ];
    },
);

export const databaseTls = rule(
    "EMR-DATABASE-REQUIRES-TLS",
    "The database refuses connections without TLS",
    { hipaa: [hipaa.transmission, hipaa.transmissionEncryption], checkov: ["CKV2_AWS_69"], trivy: ["AVD-AZU-0020"] },
    ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.html", "https://learn.microsoft.com/azure/mysql/flexible-server/how-to-connect-tls-ssl"],
    scopes.databases,
    (graph) => modelOf(graph).databases.filter((d) => !d.requiresTls).map((d) => violation(d.key, "accepts connections without TLS (require_secure_transport is not ON)")),
);

export const storeTls = rule(
    "EMR-STORE-TLS-ONLY",
    "The shared file system is private and reached over TLS only",
    { hipaa: [hipaa.transmission, hipaa.transmissionEncryption], checkov: ["CKV_AZURE_3", "CKV_AZURE_44"], cdkNag: ["HIPAA.Security-S3BucketSSLRequestsOnly"], trivy: ["AVD-AZU-0008", "AVD-AZU-0011"] },
    ["https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html", "https://learn.microsoft.com/azure/storage/files/encryption-in-transit-for-nfs-shares"],
    scopes.stores,
    (graph) =>
        modelOf(graph).stores.flatMap((s) => [
            ...(!s.tlsOnly ? [violation(s.key, "can be reached without TLS")] : []),
            ...(s.public ? [violation(s.key, "has a public endpoint")] : []),
        ]),
);

export const clientTls = rule(
    "EMR-CLIENT-TLS",
    "Clients reach the EMR over TLS 1.2 or later only; plain HTTP only redirects to HTTPS",
    { hipaa: [hipaa.transmission, hipaa.transmissionIntegrity, hipaa.transmissionEncryption], checkov: ["CKV_AWS_103", "CKV2_AWS_20", "CKV_AZURE_217", "CKV_AZURE_218"], cdkNag: ["HIPAA.Security-ELBTlsHttpsListenersOnly"], trivy: ["AVD-AWS-0047", "AVD-AWS-0054"] },
    ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html", "https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview"],
    scopes.balancers,
    (graph) =>
        modelOf(graph).loadBalancers.flatMap((l) => [
            ...(!l.minTlsVersion || Number(l.minTlsVersion) < 1.2 ? [violation(l.key, `accepts TLS ${l.minTlsVersion ?? "(unknown)"}: the floor is 1.2`)] : []),
            ...(!l.httpRedirectsToHttps ? [violation(l.key, "serves plain HTTP instead of redirecting it to HTTPS")] : []),
        ]),
);

export const firewallBlocks = rule(
    "EMR-WEB-FIREWALL-BLOCKS",
    "A web application firewall with managed rule sets and a per-client rate limit blocks (not only counts) attacks in front of the servers",
    { hipaa: [hipaa.malware, hipaa.integrity], checkov: ["CKV2_AWS_28", "CKV_AZURE_120", "CKV_AZURE_122"] },
    ["https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html", "https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview"],
    (m) => m.loadBalancers.flatMap((l) => [l.key, ...(l.firewall ? [l.firewall.key] : [])]),
    (graph) =>
        modelOf(graph).loadBalancers.flatMap((l) => {
            const f = l.firewall;
            if (!f) return [violation(l.key, "no web application firewall in front of the servers")];
            return [
                ...(!f.blocks ? [violation(f.key, "only counts matches (Detection / Count mode): nothing is blocked")] : []),
                ...(!f.managedRuleSets.length ? [violation(f.key, "no managed rule set")] : []),
                ...(!f.rateLimit ? [violation(f.key, "no per-client rate limit")] : []),
            ];
        }),
);
