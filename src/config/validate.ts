import { configDefaults, knownKeys, logRetentionChoices, ns, type RawConfig } from "./defaults";
import { ConfigError } from "./errors";
import { Reader } from "./reader";
import { checkRegion, regionKeys } from "./regions";
import { suggestion } from "./suggest";
import { usageProfileNames, usageProfiles } from "./usage";
import { clouds, cpuArchs, egressModes, type EmrConfig } from "./types";

export { configDefaults, type RawConfig } from "./defaults";

/**
 * Config namespaces besides emr: the providers the program loads (package.json: @pulumi/aws,
 * @pulumi/azure-native, @pulumi/random, @pulumi/tls, @pulumiverse/time) and the engine's own
 * `pulumi:` keys (pulumi:tags, pulumi:disable-default-providers).
 */
const providerNamespaces = ["aws", "azure-native", "random", "tls", "time", "pulumi"];

/**
 * A pinned image: `name:tag`, `name@sha256:<digest>` or both. OpenEMR's floating tags move daily
 * and `dev`/`next` (and, between releases, a version tag of the line in development) are builds
 * of unreleased branches (openemr/openemr .github/release-targets.yml), so they are refused.
 */
// An optional registry host with a port (a private mirror: ECR, ACR, `mirror:5000/`), the
// repository path, then a tag (with or without a digest) or a digest alone (Docker's reference
// grammar, distribution/reference regexp.go: domain[:port]/path[:tag][@digest]).
const pinnedImage =
    /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9._-]+(?:\/[a-z0-9._-]+)*(?:(?::(?!(?:latest|dev|next|flex[A-Za-z0-9._-]*)(?:@|$))[A-Za-z0-9._-]+)(?:@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$/;

/**
 * Turns raw stack config into a validated EmrConfig, or throws one ConfigError naming the key, the
 * value and what is allowed. Pure: no Pulumi runtime, so it runs before anything is declared.
 */
export function validateConfig(raw: RawConfig): EmrConfig {
    for (const fullKey of Object.keys(raw)) {
        const [space, key] = fullKey.split(":", 2);
        if (space === ns ? key in configDefaults : providerNamespaces.includes(space)) continue;
        // A typo in a key or its namespace (emr:zone, emrr:zones) would otherwise be ignored.
        const near = space === ns ? suggestion(key, Object.keys(configDefaults)).replace("mean ", `mean ${ns}:`) : suggestion(fullKey, [...knownKeys, ...Object.values(regionKeys)]);
        const allowed = space === ns ? "a known key" : `a key of emr: or of a provider the program uses (${providerNamespaces.map((p) => `${p}:`).join(", ")})`;
        throw new ConfigError(fullKey, raw[fullKey], near ? `${allowed}${near}` : `${allowed}: ${knownKeys.join(", ")}`);
    }
    const r = new Reader(raw);

    const cloud = r.oneOf("cloud", clouds, true);
    const region = checkRegion(cloud, raw[regionKeys[cloud]], raw);

    const zones = r.integer("zones", 2, 3) as 2 | 3;
    const networkCidr = r.cidr("networkCidr", 16, 22);
    const egress = r.oneOf("egress", egressModes);
    const allowedCidrs = r.cidrList("allowedCidrs");

    const webSize = r.size("webSize");
    const cpuArch = r.oneOf("cpuArch", cpuArchs);
    const minServers = r.integer("minServers", 2, 100);
    const maxServers = r.integer("maxServers", 2, 100);
    if (maxServers < minServers) throw new ConfigError(`${ns}:maxServers`, maxServers, `at least emr:minServers (${minServers})`);

    const dbSize = r.size("dbSize");
    const backupRetentionDays = r.integer("backupRetentionDays", 7, 35);
    const sharedFiles = r.sharedFiles("sharedFiles");

    const logRetentionDays = r.integer("logRetentionDays", 30, 545);
    if (!(logRetentionChoices as readonly number[]).includes(logRetentionDays)) {
        throw new ConfigError(`${ns}:logRetentionDays`, logRetentionDays, `one of ${logRetentionChoices.join(", ")}`);
    }

    return {
        cloud,
        region,
        zones,
        networkCidr,
        egress,
        allowedCidrs,
        tls: r.tls(cloud),
        web: {
            size: webSize,
            instanceType: r.instanceType("webInstanceType", cloud, "web", webSize, "webSize", cpuArch),
            cpuArch,
            minServers,
            maxServers,
            image: r.pattern(
                "emrImage",
                pinnedImage,
                "an image pinned by version tag and/or digest, not a floating tag (latest, dev, next, flex*), e.g. openemr/openemr:8.3.0 or openemr/openemr:8.3.0@sha256:<64 hex>",
            ),
            healthCheckPath: r.pattern("healthCheckPath", /^\/[A-Za-z0-9/._-]*\/readyz$/, "OpenEMR's readiness endpoint, an absolute path ending in /readyz, e.g. /meta/health/readyz"),
        },
        db: {
            size: dbSize,
            instanceType: r.instanceType("dbInstanceType", cloud, "db", dbSize, "dbSize", cpuArch),
            storageGb: r.integer("dbStorageGb", 20, 16384),
            backupRetentionDays,
        },
        sharedFiles,
        geoRedundant: r.boolean("geoRedundant"),
        logRetentionDays,
        alertEmail: r.pattern("alertEmail", /^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address for the on-call alerts", true),
        usage: r.usage("usage", usageProfiles[r.oneOf("usageProfile", usageProfileNames)]),
        complianceExemptions: r.exemptions("complianceExemptions"),
    };
}

