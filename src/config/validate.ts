import { ConfigError } from "./errors";
import { checkRegion, regionKeys } from "./regions";
import { suggestion } from "./suggest";
import { instanceFor, instanceTypeRules, largestInstance } from "./sizes";
import { defaultUsage, usageProfileNames, usageProfiles, type UsageAssumptions } from "./usage";
import {
    clouds,
    egressModes,
    cpuArchs,
    type Cloud,
    type CpuArch,
    type EmrConfig,
    type SharedFilesConfig,
    type Size,
    type TlsSource,
} from "./types";

/** Raw stack config as Pulumi hands it over: fully qualified keys, string values (JSON for objects). */
export type RawConfig = Readonly<Record<string, string>>;

const ns = "emr";

/** Retention periods both CloudWatch Logs (a fixed list) and Log Analytics (30 to 730 days) accept. */
export const logRetentionChoices = [30, 60, 90, 120, 150, 180, 365, 400, 545] as const;

/**
 * The ages at which a file may move to a cheaper class: the values EFS lifecycle policies accept
 * (AWS::EFS::FileSystem LifecyclePolicy TransitionToIA / TransitionToArchive: AFTER_1_DAY ...
 * AFTER_365_DAYS; @pulumi/aws 7.48 types/input.d.ts FileSystemLifecyclePolicy). Capacity: Azure
 * Premium file shares take 100 GiB to 100 TiB (learn.microsoft.com/azure/storage/files/
 * storage-files-scale-targets, "Maximum size of a file share: 100 TiB" for SSD shares).
 */
export const fileTierDays = [1, 7, 14, 30, 60, 90, 180, 270, 365] as const;

/** Every key of the `emr:` namespace with its default, so unknown keys and typos are caught. */
export const configDefaults = {
    cloud: undefined,
    zones: 2,
    networkCidr: "10.20.0.0/16",
    egress: "nat-per-zone",
    allowedCidrs: ["0.0.0.0/0"],
    certificate: undefined,
    domain: undefined,
    dnsZoneId: undefined,
    webSize: { vcpu: 2, memoryGiB: 8 },
    webInstanceType: undefined,
    // Arm by default: the OpenEMR image is built for linux/amd64 and linux/arm64 (openemr-devops
    // .github/workflows build with buildx --platform linux/amd64,linux/arm64), and an Arm server
    // of the same size costs less (AWS t4g.large $0.0672/h vs t3.large $0.0832/h; Azure
    // D2ps_v5 $0.077/h vs D2s_v5 $0.096/h, cost-review.md (a); the Trusted Launch-capable
    // D2ps_v6 is assumed at the v5 price), saving $23 (AWS) / $28 (Azure) a month on two
    // servers. `x86_64` is the override.
    cpuArch: "arm64",
    minServers: 2,
    maxServers: 6,
    // The current stable OpenEMR release: v8_3_0 (GitHub release page; openemr-devops#872 "8.3.0
    // release sweep", 2026-08-23; the fix release named by CVE-2026-40507/-40508). The image is
    // multi-arch (amd64 and arm64 builds of 8.3.0 are listed on Docker Hub). No index digest from a
    // verifiable source was found, so the tag is pinned; adding `@sha256:<index digest>` after a
    // `docker buildx imagetools inspect openemr/openemr:8.3.0` is the documented upgrade step.
    emrImage: "openemr/openemr:8.3.0",
    healthCheckPath: "/meta/health/readyz",
    dbSize: { vcpu: 2, memoryGiB: 8 },
    dbInstanceType: undefined,
    dbStorageGb: 100,
    backupRetentionDays: 35,
    // 100 GiB is Azure Premium Files' smallest share (learn.microsoft.com/azure/storage/files/
    // understanding-billing "Provisioned v1": minimum 100 GiB); IA after 30 and Archive after 90
    // days are the tiers cost-review.md (c) prices.
    sharedFiles: { capacityGb: 100, infrequentAfterDays: 30, archiveAfterDays: 90 },
    geoRedundant: false,
    logRetentionDays: 365,
    alertEmail: undefined,
    usageProfile: "dev",
    usage: {},
} as const;

type Key = keyof typeof configDefaults;
const knownKeys = Object.keys(configDefaults).map((k) => `${ns}:${k}`);

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
    };
}

/** Reads one `emr:` key at a time, applying its default and failing with a ConfigError. */
class Reader {
    constructor(private readonly raw: RawConfig) {}

    private text(key: Key): string | undefined {
        return this.raw[`${ns}:${key}`];
    }

    private fail(key: Key, value: unknown, allowed: string): never {
        throw new ConfigError(`${ns}:${key}`, value, allowed);
    }

    private json(key: Key): unknown {
        const text = this.text(key);
        if (text === undefined) return configDefaults[key];
        try {
            return JSON.parse(text);
        } catch {
            // A bare string such as `aws` is stored unquoted by `pulumi config set`.
            return text;
        }
    }

    oneOf<T extends string>(key: Key, choices: readonly T[], required = false): T {
        const value = this.text(key) ?? (configDefaults[key] as T | undefined);
        if (value === undefined && required) this.fail(key, null, `one of ${choices.join(", ")} (required)`);
        if (!choices.includes(value as T)) this.fail(key, value, `one of ${choices.join(", ")}`);
        return value as T;
    }

    integer(key: Key, min: number, max: number): number {
        const value = this.json(key);
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            this.fail(key, value, min === max - 1 ? `${min} or ${max}` : `a whole number from ${min} to ${max}`);
        }
        return value;
    }

    boolean(key: Key): boolean {
        const value = this.json(key);
        if (typeof value !== "boolean") this.fail(key, value, "true or false");
        return value;
    }

    pattern(key: Key, re: RegExp, allowed: string, required = false): string {
        const value = this.text(key) ?? (configDefaults[key] as string | undefined);
        if (value === undefined && required) this.fail(key, null, `${allowed} (required)`);
        if (typeof value !== "string" || !re.test(value)) this.fail(key, value ?? null, allowed);
        return value;
    }

    cidr(key: Key, minPrefix: number, maxPrefix: number): string {
        const value = this.text(key) ?? (configDefaults[key] as string);
        if (!isCidr(value, minPrefix, maxPrefix)) this.fail(key, value, `an IPv4 CIDR block from /${minPrefix} to /${maxPrefix}, e.g. 10.20.0.0/16`);
        return value;
    }

    cidrList(key: Key): string[] {
        const value = this.json(key);
        if (!Array.isArray(value) || value.length === 0 || !value.every((c) => typeof c === "string" && isCidr(c, 0, 32))) {
            this.fail(key, value, 'a non-empty list of IPv4 CIDR blocks, e.g. ["203.0.113.0/24"]');
        }
        return value as string[];
    }

    size(key: Key): Size {
        const value = this.json(key) as Record<string, unknown> | undefined;
        const shape = '{"vcpu": <number>, "memoryGiB": <number>}';
        if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(key, value ?? null, shape);
        // Name the field that is wrong, not only the shape.
        const fields = ["vcpu", "memoryGiB"];
        const unknown = Object.keys(value).find((f) => !fields.includes(f));
        if (unknown) this.fail(key, value, `${shape}; ${unknown} is not a field${suggestion(unknown, fields)}`);
        const bad = fields.find((f) => typeof value[f] !== "number" || !Number.isFinite(value[f]) || (value[f] as number) <= 0);
        if (bad) this.fail(key, value, `${shape}; ${bad} ${value[bad] === undefined ? "is missing" : "must be a number > 0"}`);
        return { vcpu: value.vcpu as number, memoryGiB: value.memoryGiB as number };
    }

    instanceType(key: Key, cloud: Cloud, role: "web" | "db", size: Size, sizeKey: Key, arch: CpuArch): string {
        const override = this.text(key);
        if (override !== undefined) {
            const rule = instanceTypeRules[cloud][role];
            if (rule.refuse?.pattern.test(override)) this.fail(key, override, `${rule.allowed} (${rule.refuse.why})`);
            if (!rule.pattern.test(override)) this.fail(key, override, rule.allowed);
            return override;
        }
        const fit = instanceFor(cloud, role, size, arch);
        if (!fit) {
            const largest = largestInstance(cloud, role, arch);
            const which = role === "web" ? `web (${arch}) instance type of ${cloud}` : `db instance type of ${cloud}`;
            this.fail(sizeKey, size, `a size some ${which} fits: at most ${largest.vcpu} vCPU and ${largest.memoryGiB} GiB (${largest.name}), or set ${ns}:${key}`);
        }
        return fit;
    }

    sharedFiles(key: Key): SharedFilesConfig {
        const value = this.json(key) as Partial<SharedFilesConfig>;
        const allowed =
            `{"capacityGb": 100 to 102400, "infrequentAfterDays": one of ${fileTierDays.join(", ")}, "archiveAfterDays": one of them, > infrequentAfterDays}`;
        const tierDay = (n: unknown) => (fileTierDays as readonly unknown[]).includes(n);
        if (
            typeof value !== "object" || value === null || Array.isArray(value) ||
            Object.keys(value).some((k) => !(k in configDefaults.sharedFiles)) ||
            !Number.isInteger(value.capacityGb) || value.capacityGb! < 100 || value.capacityGb! > 102400 ||
            !tierDay(value.infrequentAfterDays) || !tierDay(value.archiveAfterDays) ||
            value.archiveAfterDays! <= value.infrequentAfterDays!
        ) {
            this.fail(key, value, allowed);
        }
        return { capacityGb: value.capacityGb!, infrequentAfterDays: value.infrequentAfterDays!, archiveAfterDays: value.archiveAfterDays! };
    }

    /** The profile's usage assumptions with the fields `key` overrides: known fields, numbers >= 0. */
    usage(key: Key, profile: UsageAssumptions): UsageAssumptions {
        const value = this.json(key) as Record<string, unknown>;
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            this.fail(key, value ?? null, 'an object of usage fields and numbers >= 0, e.g. {"internetEgressGb": 300}');
        }
        // One field at a time, named on its own: emr:usage.natGb, not the whole object.
        const fields = Object.keys(defaultUsage);
        for (const [field, n] of Object.entries(value)) {
            const fieldKey = `${ns}:${key}.${field}`;
            if (!fields.includes(field)) {
                const near = suggestion(field, fields);
                throw new ConfigError(fieldKey, n, near ? `a known usage field${near}` : `a known usage field: ${fields.join(", ")}`);
            }
            if (typeof n !== "number" || !Number.isFinite(n) || n < 0) throw new ConfigError(fieldKey, n, "a number >= 0");
        }
        return { ...profile, ...(value as Partial<UsageAssumptions>) };
    }

    tls(cloud: Cloud): TlsSource {
        const certificate = this.text("certificate");
        const domain = this.text("domain");
        const dnsZoneId = this.text("dnsZoneId");
        if (certificate !== undefined && domain !== undefined) {
            this.fail("domain", domain, "unset when emr:certificate is set (choose one TLS source)");
        }
        if (certificate !== undefined) {
            const re = cloud === "aws" ? /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/ : /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/secrets\/[A-Za-z0-9-]+(\/[a-f0-9]{32})?$/;
            if (!re.test(certificate)) {
                this.fail("certificate", certificate, cloud === "aws" ? "an ACM certificate ARN" : "a Key Vault secret id (https://<vault>.vault.azure.net/secrets/<name>)");
            }
            return { kind: "certificate", certificate };
        }
        if (domain !== undefined) {
            if (cloud === "azure") {
                this.fail("domain", domain, "unset on Azure (no Azure service issues it a certificate): put a PFX in Key Vault and set emr:certificate to its secret id");
            }
            if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) this.fail("domain", domain, "a DNS name, e.g. emr.example.org");
            if (!dnsZoneId) this.fail("dnsZoneId", dnsZoneId ?? null, "the id of the DNS zone that validates emr:domain (required with emr:domain)");
            return { kind: "domain", domain, dnsZoneId };
        }
        return { kind: "self-signed" };
    }
}

/** True for a well-formed IPv4 CIDR whose prefix is within bounds and whose host bits are zero. */
export function isCidr(text: string, minPrefix: number, maxPrefix: number): boolean {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
    if (!m) return false;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix < minPrefix || prefix > maxPrefix) return false;
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    return address % 2 ** (32 - prefix) === 0;
}
