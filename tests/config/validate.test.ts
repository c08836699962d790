import { describe, expect, it } from "vitest";
import { usageProfiles } from "../../src/config/usage";
import { ConfigError, configDefaults, validateConfig } from "../../src/config";
import { projectDefaults } from "../../src/plan/stackConfig";
import { baseConfig, runStack } from "../harness";

const aws = baseConfig.aws;
const json = (v: unknown) => JSON.stringify(v);

/** Each bad config and the exact one-line message it must produce. */
const badConfigs: Array<[string, Record<string, string>, string]> = [
    ["wrong cloud", { ...aws, "emr:cloud": "gcp" }, 'config emr:cloud: got "gcp"; allowed: one of aws, azure'],
    ["missing cloud", { "aws:region": "us-east-1", "emr:alertEmail": "a@b.org" }, "config emr:cloud: got null; allowed: one of aws, azure (required)"],
    ["missing region", { "emr:cloud": "aws", "emr:alertEmail": "a@b.org" }, "config aws:region: got null; allowed: a region, e.g. us-east-1"],
    ["1 zone", { ...aws, "emr:zones": "1" }, "config emr:zones: got 1; allowed: 2 or 3"],
    ["4 zones", { ...aws, "emr:zones": "4" }, "config emr:zones: got 4; allowed: 2 or 3"],
    ["min > max", { ...aws, "emr:minServers": "5", "emr:maxServers": "3" }, "config emr:maxServers: got 3; allowed: at least emr:minServers (5)"],
    ["one server", { ...aws, "emr:minServers": "1" }, "config emr:minServers: got 1; allowed: a whole number from 2 to 100"],
    ["bad CIDR", { ...aws, "emr:networkCidr": "10.0.0.300/16" }, 'config emr:networkCidr: got "10.0.0.300/16"; allowed: an IPv4 CIDR block from /16 to /22, e.g. 10.20.0.0/16'],
    ["CIDR too small", { ...aws, "emr:networkCidr": "10.0.0.0/26" }, 'config emr:networkCidr: got "10.0.0.0/26"; allowed: an IPv4 CIDR block from /16 to /22, e.g. 10.20.0.0/16'],
    ["retention 0", { ...aws, "emr:backupRetentionDays": "0" }, "config emr:backupRetentionDays: got 0; allowed: a whole number from 7 to 35"],
    ["retention too long", { ...aws, "emr:backupRetentionDays": "36" }, "config emr:backupRetentionDays: got 36; allowed: a whole number from 7 to 35"],
    ["size not an object", { ...aws, "emr:webSize": "huge" }, 'config emr:webSize: got "huge"; allowed: {"vcpu": <number>, "memoryGiB": <number>}'],
    // newcomer.md #30: the field that is wrong is named, with the one meant.
    ["size field misnamed", { ...aws, "emr:webSize": json({ cpu: 4, memoryGB: 16 }) }, 'config emr:webSize: got {"cpu":4,"memoryGB":16}; allowed: {"vcpu": <number>, "memoryGiB": <number>}; cpu is not a field (did you mean vcpu?)'],
    ["size field missing", { ...aws, "emr:dbSize": json({ vcpu: 4 }) }, 'config emr:dbSize: got {"vcpu":4}; allowed: {"vcpu": <number>, "memoryGiB": <number>}; memoryGiB is missing'],
    ["size field not positive", { ...aws, "emr:webSize": json({ vcpu: 0, memoryGiB: 8 }) }, 'config emr:webSize: got {"vcpu":0,"memoryGiB":8}; allowed: {"vcpu": <number>, "memoryGiB": <number>}; vcpu must be a number > 0'],
    // #31/#32: a well-formed size too large for any type says what the largest is.
    ["size beyond every web type", { ...aws, "emr:webSize": json({ vcpu: 512, memoryGiB: 8192 }) }, 'config emr:webSize: got {"vcpu":512,"memoryGiB":8192}; allowed: a size some web (arm64) instance type of aws fits: at most 32 vCPU and 128 GiB (m7g.8xlarge), or set emr:webInstanceType'],
    ["size no db instance fits", { ...aws, "emr:dbSize": json({ vcpu: 96, memoryGiB: 768 }) }, 'config emr:dbSize: got {"vcpu":96,"memoryGiB":768}; allowed: a size some db instance type of aws fits: at most 8 vCPU and 64 GiB (db.r6g.2xlarge), or set emr:dbInstanceType'],
    ["size beyond every azure x86 type", { ...baseConfig.azure, "emr:cpuArch": "x86_64", "emr:webSize": json({ vcpu: 64, memoryGiB: 256 }) }, 'config emr:webSize: got {"vcpu":64,"memoryGiB":256}; allowed: a size some web (x86_64) instance type of azure fits: at most 32 vCPU and 128 GiB (Standard_D32s_v5), or set emr:webInstanceType'],
    ["bad egress", { ...aws, "emr:egress": "none" }, 'config emr:egress: got "none"; allowed: one of nat-per-zone, single-nat'],
    // #33: a typo gets the key meant; a name near nothing gets the list.
    ["unknown key near a known one", { ...aws, "emr:zone": "3" }, 'config emr:zone: got "3"; allowed: a known key (did you mean emr:zones?)'],
    ["unknown key near nothing", { ...aws, "emr:colour": "blue" }, 'config emr:colour: got "blue"; allowed: a known key: emr:cloud, emr:zones, '],
    // #53: a key in a namespace nothing reads is a typo too, never silently ignored.
    ["mistyped namespace", { ...aws, "emrr:zones": "3" }, 'config emrr:zones: got "3"; allowed: a key of emr: or of a provider the program uses (aws:, azure-native:, random:, tls:, time:, pulumi:) (did you mean emr:zones?)'],
    ["bad email", { ...aws, "emr:alertEmail": "oncall" }, 'config emr:alertEmail: got "oncall"; allowed: an e-mail address for the on-call alerts'],
    ["missing email", { "emr:cloud": "aws", "aws:region": "us-east-1" }, "config emr:alertEmail: got null; allowed: an e-mail address for the on-call alerts (required)"],
    ["bad image", { ...aws, "emr:emrImage": "openemr/openemr" }, 'config emr:emrImage: got "openemr/openemr"; allowed: an image pinned by version tag and/or digest'],
    ["floating image tag", { ...aws, "emr:emrImage": "openemr/openemr:latest" }, 'config emr:emrImage: got "openemr/openemr:latest"; allowed: an image pinned by version tag and/or digest, not a floating tag'],
    ["development image", { ...aws, "emr:emrImage": "openemr/openemr:dev" }, 'config emr:emrImage: got "openemr/openemr:dev"; allowed: an image pinned by version tag and/or digest, not a floating tag'],
    ["login page as health check", { ...aws, "emr:healthCheckPath": "/interface/login/login.php" }, 'config emr:healthCheckPath: got "/interface/login/login.php"; allowed: OpenEMR\'s readiness endpoint'],
    ["bad db override", { ...aws, "emr:dbInstanceType": "t3.large" }, 'config emr:dbInstanceType: got "t3.large"; allowed: an RDS DB instance class, e.g. db.t4g.large'],
    ["x86 web override on the arm64 default", { ...aws, "emr:webInstanceType": "t3.large" }, 'config emr:webInstanceType: got "t3.large"; allowed: an arm64 type to match emr:cpuArch arm64 (t3.large is x86_64: set emr:cpuArch x86_64 too)'],
    ["arm web override on x86_64 (azure)", { ...baseConfig.azure, "emr:cpuArch": "x86_64", "emr:webInstanceType": "Standard_D4ps_v6" }, 'config emr:webInstanceType: got "Standard_D4ps_v6"; allowed: an x86_64 type to match emr:cpuArch x86_64 (Standard_D4ps_v6 is arm64: set emr:cpuArch arm64 too)'],
    ["bad web override", { ...baseConfig.azure, "emr:webInstanceType": "D2s_v5" }, 'config emr:webInstanceType: got "D2s_v5"; allowed: an Azure VM size, e.g. Standard_D2ps_v6'],
    // #46: why Burstable cannot be used, in words rather than a pattern.
    ["burstable azure db", { ...baseConfig.azure, "emr:dbInstanceType": "Standard_B2s" }, 'config emr:dbInstanceType: got "Standard_B2s"; allowed: a MySQL Flexible Server General Purpose or Memory Optimized size, e.g. Standard_D2ds_v4 (Burstable has no zone-redundant HA; use a D or E series size)'],
    ["log retention not offered", { ...aws, "emr:logRetentionDays": "100" }, "config emr:logRetentionDays: got 100; allowed: one of 30, 60, 90"],
    ["allowed CIDRs empty", { ...aws, "emr:allowedCidrs": "[]" }, "config emr:allowedCidrs: got []; allowed: a non-empty list of IPv4 CIDR blocks"],
    ["archive before infrequent", { ...aws, "emr:sharedFiles": json({ capacityGb: 100, infrequentAfterDays: 60, archiveAfterDays: 30 }) }, 'config emr:sharedFiles: got {"capacityGb":100,"infrequentAfterDays":60,"archiveAfterDays":30}; allowed: {"capacityGb": 100 to 102400, "infrequentAfterDays": one of 1, 7, 14, 30, 60, 90, 180, 270, 365'],
    ["tier day EFS does not offer", { ...aws, "emr:sharedFiles": json({ capacityGb: 100, infrequentAfterDays: 45, archiveAfterDays: 90 }) }, "config emr:sharedFiles: got"],
    ["share below Azure's minimum", { ...aws, "emr:sharedFiles": json({ capacityGb: 50, infrequentAfterDays: 30, archiveAfterDays: 90 }) }, "config emr:sharedFiles: got"],
    ["unknown shared-files field", { ...aws, "emr:sharedFiles": json({ capacityGb: 100, infrequentAfterDays: 30, archiveAfterDays: 90, versions: 3 }) }, "config emr:sharedFiles: got"],
    ["unknown architecture", { ...aws, "emr:cpuArch": "amd64" }, 'config emr:cpuArch: got "amd64"; allowed: one of arm64, x86_64'],
    ["certificate and domain", { ...aws, "emr:certificate": "arn:aws:acm:us-east-1:123456789012:certificate/abc", "emr:domain": "emr.example.org", "emr:dnsZoneId": "Z1" }, 'config emr:domain: got "emr.example.org"; allowed: unset when emr:certificate is set'],
    ["domain without zone", { ...aws, "emr:domain": "emr.example.org" }, "config emr:dnsZoneId: got null; allowed: the id of the DNS zone"],
    ["not a certificate ARN", { ...aws, "emr:certificate": "my-cert" }, 'config emr:certificate: got "my-cert"; allowed: an ACM certificate ARN'],
    ["domain on azure", { ...baseConfig.azure, "emr:domain": "emr.example.org", "emr:dnsZoneId": "Z1" }, 'config emr:domain: got "emr.example.org"; allowed: unset on Azure'],
    // #47/#48: the one field that is wrong, on its own.
    ["unknown usage field", { ...aws, "emr:usage": json({ natGb: 500 }) }, "config emr:usage.natGb: got 500; allowed: a known usage field (did you mean natProcessedGb?)"],
    ["unknown usage field near nothing", { ...aws, "emr:usage": json({ patients: 10 }) }, "config emr:usage.patients: got 10; allowed: a known usage field: documentsGb, "],
    ["negative usage", { ...aws, "emr:usage": json({ albLcu: 1, internetEgressGb: -50 }) }, "config emr:usage.internetEgressGb: got -50; allowed: a number >= 0"],
    ["usage not an object", { ...aws, "emr:usage": "300" }, 'config emr:usage: got 300; allowed: an object of usage fields and numbers >= 0, e.g. {"internetEgressGb": 300}'],
    // Issue 11: a region name no cloud has is a typo, with the region meant.
    ["AWS region typo", { ...aws, "aws:region": "us-east1" }, 'config aws:region: got "us-east1"; allowed: an AWS region, e.g. us-east-1 (did you mean us-east-1?)'],
    ["AWS region misspelt", { ...aws, "aws:region": "eu-centrl-1" }, 'config aws:region: got "eu-centrl-1"; allowed: an AWS region, e.g. us-east-1 (did you mean eu-central-1?)'],
    ["Azure location on AWS", { ...aws, "aws:region": "westeurope" }, 'config aws:region: got "westeurope"; allowed: an AWS region, e.g. us-east-1'],
    ["AWS GovCloud", { ...aws, "aws:region": "us-gov-west-1" }, 'config aws:region: got "us-gov-west-1"; allowed: an AWS commercial region, e.g. us-east-1 (the GovCloud, China and isolated partitions are not supported)'],
    ["Azure display name", { ...baseConfig.azure, "azure-native:location": "West Europe" }, 'config azure-native:location: got "West Europe"; allowed: an Azure region with availability zones, e.g. eastus (did you mean westeurope?)'],
    ["Azure region without zones", { ...baseConfig.azure, "azure-native:location": "westus" }, 'config azure-native:location: got "westus"; allowed: an Azure region with availability zones, e.g. eastus (westus has no availability zones, and this design spreads every tier over 2 or 3) (did you mean westus2?)'],
    ["AWS region on Azure", { "emr:cloud": "azure", "aws:region": "eastus", "emr:alertEmail": "a@b.org" }, "config azure-native:location: got null; allowed: a region, e.g. eastus (aws:region is set, but emr:cloud is azure)"],
    ["geoRedundant not boolean", { ...aws, "emr:geoRedundant": "yes" }, 'config emr:geoRedundant: got "yes"; allowed: true or false'],
    // Compliance exemptions (issue 12): each field of each entry named on its own.
    ["exemptions not a list", { ...aws, "emr:complianceExemptions": json({ rule: "EMR-AWS-X" }) }, 'config emr:complianceExemptions: got {"rule":"EMR-AWS-X"}; allowed: a list: [{"rule": "EMR-...", "reason": "why the control does not apply", "expires": "YYYY-MM-DD", "resources": ["name", ...] (optional)}]'],
    ["exemption of a deploy rule", { ...aws, "emr:complianceExemptions": json([{ rule: "DEPLOY-AWS-X", reason: "the auditor accepted it in writing", expires: "2027-01-31" }]) }, 'config emr:complianceExemptions[0].rule: got "DEPLOY-AWS-X"; allowed: a compliance rule id, EMR-<CLOUD>-<WHAT> (deploy rules cannot be exempted)'],
    ["exemption without a real reason", { ...aws, "emr:complianceExemptions": json([{ rule: "EMR-AWS-X", reason: "todo", expires: "2027-01-31" }]) }, 'config emr:complianceExemptions[0].reason: got "todo"; allowed: a sentence saying why the control does not apply (at least 20 characters)'],
    ["exemption expiring on no real day", { ...aws, "emr:complianceExemptions": json([{ rule: "EMR-AWS-X", reason: "the auditor accepted it in writing", expires: "2027-02-30" }]) }, 'config emr:complianceExemptions[0].expires: got "2027-02-30"; allowed: a date YYYY-MM-DD: the last day the exemption applies'],
    ["exemption with a misspelt field", { ...aws, "emr:complianceExemptions": json([{ rule: "EMR-AWS-X", reason: "the auditor accepted it in writing", expire: "2027-01-31" }]) }, 'config emr:complianceExemptions[0].expire: got "2027-01-31"; allowed: not a field; the fields are rule, reason, expires, resources (did you mean expires?)'],
];

/** The key a config error names: `config emr:zones: got ...` -> emr:zones (an exemption's index dropped). */
const keyOf = (message: string) => /^config ([^ ]+?)(\[\d+\])?(\.[A-Za-z]+)?: /.exec(message)?.[1] ?? message;

describe("config validation", () => {
    it.each(badConfigs)("%s: one line naming key, value and what is allowed", (_label, raw, message) => {
        let thrown: unknown;
        try {
            validateConfig(raw);
        } catch (e) {
            thrown = e;
        }
        expect(thrown).toBeInstanceOf(ConfigError);
        expect((thrown as Error).message.startsWith(message)).toBe(true);
        expect((thrown as Error).message).not.toContain("\n");
    });

    // The program validates the whole config first (src/index.ts: loadConfig before buildEmr), so a
    // message validateConfig gives (the test above) stops it before anything is declared. Running
    // the program for one bad value of each key proves it for every key that has a check, without
    // running it 60 times for the same line of src/index.ts.
    const firstPerKey = badConfigs.filter(([, , message], i) => badConfigs.findIndex(([, , m]) => keyOf(m) === keyOf(message)) === i);
    it.each(firstPerKey)("%s: the program stops before declaring anything", async (_label, raw, message) => {
        const g = await runStack(raw);
        expect((g.run.error as Error).message.startsWith(message)).toBe(true);
        expect(g.resources).toEqual([]);
    });

    it("applies the documented defaults and maps sizes to the cheapest fitting instance", () => {
        const c = validateConfig(aws);
        expect(c).toMatchObject({
            zones: 2,
            egress: "nat-per-zone",
            networkCidr: "10.20.0.0/16",
            tls: { kind: "self-signed" },
            web: { instanceType: "t4g.large", cpuArch: "arm64", minServers: 2, maxServers: 6 },
            db: { instanceType: "db.t4g.large", storageGb: 100, backupRetentionDays: 35 },
            sharedFiles: { capacityGb: 100, infrequentAfterDays: 30, archiveAfterDays: 90 },
        });
        expect(validateConfig(baseConfig.azure)).toMatchObject({
            web: { instanceType: "Standard_D2ps_v6", cpuArch: "arm64" },
            db: { instanceType: "Standard_D2ds_v4" },
        });
        // x86_64 moves the web servers only: the managed database's class does not depend on it.
        expect(validateConfig({ ...aws, "emr:cpuArch": "x86_64" })).toMatchObject({ web: { instanceType: "t3.large" }, db: { instanceType: "db.t4g.large" } });
        expect(validateConfig({ ...baseConfig.azure, "emr:cpuArch": "x86_64" }).web.instanceType).toBe("Standard_D2s_v5");
        expect(validateConfig({ ...aws, "emr:dbSize": json({ vcpu: 2, memoryGiB: 16 }) }).db.instanceType).toBe("db.r6g.large");
        expect(validateConfig({ ...aws, "emr:cpuArch": "x86_64", "emr:webInstanceType": "m7i.large" }).web.instanceType).toBe("m7i.large");
        expect(validateConfig({ ...aws, "emr:webInstanceType": "m7g.large" }).web.instanceType).toBe("m7g.large");
    });

    it("defaults to the current stable OpenEMR image and its readiness endpoint, and accepts a version tag pinned to a digest", () => {
        expect(validateConfig(aws).web).toMatchObject({ image: "openemr/openemr:8.3.0", healthCheckPath: "/meta/health/readyz" });
        const digest = `openemr/openemr:8.3.0@sha256:${"a".repeat(64)}`;
        expect(validateConfig({ ...aws, "emr:emrImage": digest }).web.image).toBe(digest);
        expect(validateConfig({ ...aws, "emr:emrImage": `openemr/openemr@sha256:${"b".repeat(64)}` }).web.image).toMatch(/@sha256:/);
        // A private mirror (its registry host may carry a port), as ECR or ACR hold a copy.
        for (const mirror of ["mirror.clinic.internal:5000/openemr/openemr:8.3.0", "123456789012.dkr.ecr.us-east-1.amazonaws.com/openemr:8.3.0", "clinic.azurecr.io/openemr/openemr:8.3.0"]) {
            expect(validateConfig({ ...aws, "emr:emrImage": mirror }).web.image).toBe(mirror);
        }
        expect(() => validateConfig({ ...aws, "emr:emrImage": "mirror.clinic.internal:5000/openemr/openemr" })).toThrow(ConfigError);
        expect(() => validateConfig({ ...aws, "emr:emrImage": "openemr/openemr:flex-3.22" })).toThrow(ConfigError);
        expect(() => validateConfig({ ...aws, "emr:emrImage": "openemr/openemr:next" })).toThrow(ConfigError);
    });

    it("overrides only the usage fields given, on top of the chosen profile", () => {
        const usage = validateConfig({ ...aws, "emr:usage": json({ natProcessedGb: 1000 }) }).usage;
        expect(usage).toEqual({ ...usageProfiles.dev, natProcessedGb: 1000 });
        const prod = validateConfig({ ...aws, "emr:usageProfile": "prod", "emr:usage": json({ documentsGb: 50 }) }).usage;
        expect(prod).toEqual({ ...usageProfiles.prod, documentsGb: 50 });
        // The profiles differ where a dev stack really differs: documents held and traffic served.
        expect(usageProfiles.dev.documentsGb).toBeLessThan(usageProfiles.prod.documentsGb / 10);
        expect(usageProfiles.dev.requestsMillions).toBeLessThan(usageProfiles.prod.requestsMillions);
        expect(() => validateConfig({ ...aws, "emr:usageProfile": "staging" })).toThrow('config emr:usageProfile: got "staging"; allowed: one of dev, prod');
    });

    it("reads every TLS source", () => {
        const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000000";
        expect(validateConfig({ ...aws, "emr:certificate": arn }).tls).toEqual({ kind: "certificate", certificate: arn });
        expect(validateConfig({ ...aws, "emr:domain": "emr.example.org", "emr:dnsZoneId": "Z0123" }).tls).toEqual({
            kind: "domain",
            domain: "emr.example.org",
            dnsZoneId: "Z0123",
        });
    });

    it("declares the same defaults in Pulumi.yaml as in the code", () => {
        const declared = projectDefaults(process.cwd());
        const code = Object.fromEntries(
            Object.entries(configDefaults)
                .filter(([, v]) => v !== undefined && typeof v !== "object" || Array.isArray(v))
                .map(([k, v]) => [`emr:${k}`, typeof v === "object" ? JSON.stringify(v) : String(v)]),
        );
        expect(declared).toEqual(code);
    });
});
