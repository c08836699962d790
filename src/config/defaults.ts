/** Raw stack config as Pulumi hands it over: fully qualified keys, string values (JSON for objects). */
export type RawConfig = Readonly<Record<string, string>>;

export const ns = "emr";

/** Retention periods both CloudWatch Logs (a fixed list) and Log Analytics (30 to 730 days) accept. */
export const logRetentionChoices = [30, 60, 90, 120, 150, 180, 365, 400, 545] as const;

/**
 * The ages at which a file may move to a cheaper class: the values EFS lifecycle policies accept
 * (AWS::EFS::FileSystem LifecyclePolicy TransitionToIA / TransitionToArchive: AFTER_1_DAY ...
 * AFTER_365_DAYS; @pulumi/aws 7.48 types/input.d.ts FileSystemLifecyclePolicy). Capacity: Azure
 * Premium file shares take 100 GiB to 100 TiB (learn.microsoft.com/azure/storage/files/
 * storage-files-scale-targets, "Maximum size of a file share: 100 TiB" for SSD shares).
 */
/**
 * The shared file system's capacity, GiB: what an Azure premium (provisioned v1) share accepts,
 * 100 GiB to 100 TiB (@pulumi/azure-native 3.28.0 storage/fileShare.d.ts shareQuota; premium floor
 * 100 GiB). The config checks it, and so does the deploy rule DEPLOY-AZ-FILES-PREMIUM-QUOTA.
 */
export const premiumShareQuota = { min: 100, max: 102400 } as const;

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
    // release sweep", 2026-08-23; the fix release named by CVE-2026-40507/-40508). The 8.x images
    // are built multi-arch (openemr-devops .github/workflows/build-800.yml: 8.0.0 for
    // linux/amd64,linux/arm64); the workflow of 8.3.0 itself was not in the sources, so
    // `docker buildx imagetools inspect openemr/openemr:8.3.0` is the check before an Arm deploy
    // (an image without arm64 fails the servers' pull: set emr:cpuArch x86_64). No index digest
    // from a verifiable source was found, so the tag is pinned and the fleet pins the digest it
    // pulls (src/app/imagePin.ts); `tag@sha256:<index digest>` is accepted too.
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
    complianceExemptions: [],
} as const;

export type Key = keyof typeof configDefaults;
export const knownKeys = Object.keys(configDefaults).map((k) => `${ns}:${k}`);

