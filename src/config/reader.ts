import { configDefaults, fileTierDays, ns, premiumShareQuota, type Key, type RawConfig } from "./defaults";
import { ConfigError } from "./errors";
import { suggestion } from "./suggest";
import { instanceArch, instanceFor, instanceTypeRules, largestInstance } from "./sizes";
import { defaultUsage, type UsageAssumptions } from "./usage";
import type { Cloud, ComplianceExemption, CpuArch, SharedFilesConfig, Size, TlsSource } from "./types";

/** Reads one `emr:` key at a time, applying its default and failing with a ConfigError. */
export class Reader {
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
            // The web servers' OS image follows emr:cpuArch: an override of the other architecture
            // would boot an image its CPU cannot run (EC2 refuses the launch; Azure does not boot it).
            if (role === "web" && instanceArch(cloud, override) !== arch) {
                this.fail(key, override, `an ${arch} type to match emr:cpuArch ${arch} (${override} is ${instanceArch(cloud, override)}: set emr:cpuArch ${instanceArch(cloud, override)} too)`);
            }
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
            `{"capacityGb": ${premiumShareQuota.min} to ${premiumShareQuota.max}, "infrequentAfterDays": one of ${fileTierDays.join(", ")}, "archiveAfterDays": one of them, > infrequentAfterDays}`;
        const tierDay = (n: unknown) => (fileTierDays as readonly unknown[]).includes(n);
        if (
            typeof value !== "object" || value === null || Array.isArray(value) ||
            Object.keys(value).some((k) => !(k in configDefaults.sharedFiles)) ||
            !Number.isInteger(value.capacityGb) || value.capacityGb! < premiumShareQuota.min || value.capacityGb! > premiumShareQuota.max ||
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

    /**
     * Compliance exemptions: a list of {rule, reason, expires, resources?}. Each field is checked
     * here, one entry at a time and named (emr:complianceExemptions[1].expires); whether `rule` names
     * a real rule is checked where the rules are loaded (src/policy/exemptions.ts), by the plan and
     * the policy pack alike, so the config module stays free of the rule modules.
     */
    exemptions(key: Key): ComplianceExemption[] {
        const value = this.json(key);
        const shape = '[{"rule": "EMR-...", "reason": "why the control does not apply", "expires": "YYYY-MM-DD", "resources": ["name", ...] (optional)}]';
        if (!Array.isArray(value)) this.fail(key, value ?? null, `a list: ${shape}`);
        return value.map((entry: unknown, i) => {
            const at = (field: string) => `${ns}:${key}[${i}]${field ? `.${field}` : ""}`;
            if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new ConfigError(at(""), entry, `an object: ${shape}`);
            const e = entry as Record<string, unknown>;
            const fields = ["rule", "reason", "expires", "resources"];
            const unknown = Object.keys(e).find((f) => !fields.includes(f));
            if (unknown) throw new ConfigError(at(unknown), e[unknown], `not a field; the fields are ${fields.join(", ")}${suggestion(unknown, fields)}`);
            if (typeof e.rule !== "string" || !/^EMR-[A-Z0-9]+(-[A-Z0-9]+)*$/.test(e.rule)) {
                throw new ConfigError(at("rule"), e.rule ?? null, "a compliance rule id, EMR-<CLOUD>-<WHAT> (deploy rules cannot be exempted)");
            }
            // A reason an auditor can read: not empty, not a placeholder.
            if (typeof e.reason !== "string" || e.reason.trim().length < 20) throw new ConfigError(at("reason"), e.reason ?? null, "a sentence saying why the control does not apply (at least 20 characters)");
            if (typeof e.expires !== "string" || !isCalendarDate(e.expires)) throw new ConfigError(at("expires"), e.expires ?? null, "a date YYYY-MM-DD: the last day the exemption applies");
            if (e.resources !== undefined && (!Array.isArray(e.resources) || !e.resources.length || !e.resources.every((n) => typeof n === "string" && n.length))) {
                throw new ConfigError(at("resources"), e.resources, "a non-empty list of resource names, or leave it out to cover every resource");
            }
            return { rule: e.rule, reason: e.reason.trim(), expires: e.expires, ...(e.resources ? { resources: e.resources as string[] } : {}) };
        });
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

/** True for YYYY-MM-DD naming a real day (2026-02-30 is not). */
function isCalendarDate(text: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const day = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}

/** True for a well-formed IPv4 CIDR whose prefix is within bounds and whose host bits are zero. */
function isCidr(text: string, minPrefix: number, maxPrefix: number): boolean {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
    if (!m) return false;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix < minPrefix || prefix > maxPrefix) return false;
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    return address % 2 ** (32 - prefix) === 0;
}
