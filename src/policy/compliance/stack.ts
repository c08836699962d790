import type { StackRule } from "../types";
import { clientTls, dataEncrypted, databaseTls, firewallBlocks, noDefaultAdmin, noSecretInBoot, onlyLoadBalancerPublic, secretsCustomerKey, storeTls } from "./stackAccess";
import { alarmsNotify, auditTrail, backupsCoverData, dataProtected, databaseZoneRedundant, logRetention, webMultiZone } from "./stackContinuity";

/**
 * The cloud-neutral compliance rules: each judges the neutral model of the stack (src/plan/model,
 * read by each cloud's reader from the resources' own inputs), so one rule holds AWS and Azure to
 * the same control. HIPAA references are to 45 CFR Part 164 (facts/compliance.md section 5.1):
 * 164.312 technical safeguards, 164.308(a)(7) contingency plan.
 */
export const stackComplianceRules: readonly StackRule[] = [
    onlyLoadBalancerPublic,
    noSecretInBoot,
    noDefaultAdmin,
    secretsCustomerKey,
    dataEncrypted,
    databaseTls,
    storeTls,
    clientTls,
    firewallBlocks,
    auditTrail,
    logRetention,
    backupsCoverData,
    dataProtected,
    databaseZoneRedundant,
    webMultiZone,
    alarmsNotify,
];
