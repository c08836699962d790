/**
 * The one typed, cloud-neutral view of a stack's configuration. Everything a tier needs is here,
 * already validated and with defaults applied; nothing below src/config reads pulumi.Config.
 */
export const clouds = ["aws", "azure"] as const;
export type Cloud = (typeof clouds)[number];

/** `nat-per-zone` survives the loss of any zone; `single-nat` is the cheap dev mode that does not. */
export const egressModes = ["nat-per-zone", "single-nat"] as const;
export type EgressMode = (typeof egressModes)[number];

/** A neutral machine size; each cloud maps it to its cheapest current instance that fits. */
export interface Size {
    vcpu: number;
    memoryGiB: number;
}

/** How the load balancer gets its certificate. Plain HTTP is never an option. */
export type TlsSource =
    /** An existing certificate: an ACM ARN on AWS, a Key Vault secret id on Azure. */
    | { kind: "certificate"; certificate: string }
    /** A domain to issue a certificate for (DNS-validated in `dnsZoneId`). */
    | { kind: "domain"; domain: string; dnsZoneId: string }
    /** Dev only: a generated self-signed certificate, announced with a loud warning. */
    | { kind: "self-signed" };

export interface WebConfig {
    size: Size;
    /** The instance type the size maps to on this stack's cloud (or the override). */
    instanceType: string;
    /** The servers' CPU architecture; `instanceType` and the OS image follow it. */
    cpuArch: CpuArch;
    minServers: number;
    maxServers: number;
    /** The EMR container image, pinned by version tag and/or digest. */
    image: string;
    /** OpenEMR's readiness endpoint; the load balancers probe it through each server's health port. */
    healthCheckPath: string;
}

export interface DbConfig {
    size: Size;
    instanceType: string;
    storageGb: number;
    backupRetentionDays: number;
}

/** The web servers' CPU architecture. The OpenEMR image, both OS images and the mount helpers ship both. */
export const cpuArchs = ["arm64", "x86_64"] as const;
export type CpuArch = (typeof cpuArchs)[number];

/**
 * The shared file system: OpenEMR's `sites/` tree, and with it the patient documents, which
 * OpenEMR writes under `sites/<site>/documents` (openemr/openemr library/globals.inc.php sets
 * OE_SITE_DIR; documents are stored under "$OE_SITE_DIR/documents"). Where a cloud bills the
 * capacity it provisions (Azure Premium Files), `capacityGb` is that capacity; where storage grows
 * on its own (AWS EFS), it is the size an alarm watches. The tier days move files not read for
 * that long to cheaper classes where the file system has them (EFS Infrequent Access, Archive).
 */
export interface SharedFilesConfig {
    capacityGb: number;
    infrequentAfterDays: number;
    archiveAfterDays: number;
}

/**
 * A compliance rule the stack knowingly does not meet (issue 12): which rule, why, until when, and
 * optionally only for some resources (by name). Shown in every report; after `expires` it no
 * longer applies and the rule fails again, so an exemption is reviewed, not forgotten.
 */
export interface ComplianceExemption {
    /** A compliance rule id, e.g. EMR-AZ-STORAGE-GEO-REPLICATED (deploy rules cannot be exempted: the cloud would still refuse). */
    rule: string;
    reason: string;
    /** The last day it applies, YYYY-MM-DD (UTC). */
    expires: string;
    /** Resource names (or `type::name` keys) it covers; absent: every resource the rule names. */
    resources?: string[];
}

export type { UsageAssumptions } from "./usage";
import type { UsageAssumptions } from "./usage";

export interface EmrConfig {
    cloud: Cloud;
    /** `aws:region` or `azure-native:location`, read from the provider's own key. */
    region: string;
    zones: 2 | 3;
    networkCidr: string;
    egress: EgressMode;
    /** Client networks allowed to reach the load balancer. */
    allowedCidrs: string[];
    tls: TlsSource;
    web: WebConfig;
    db: DbConfig;
    sharedFiles: SharedFilesConfig;
    /** Copy documents and backups to a second region (GZRS / geo backup on Azure). */
    geoRedundant: boolean;
    logRetentionDays: number;
    alertEmail: string;
    /** Monthly usage the cost estimate assumes (the resources cannot tell it). */
    usage: UsageAssumptions;
    complianceExemptions: ComplianceExemption[];
}
