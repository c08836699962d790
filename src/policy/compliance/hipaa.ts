/**
 * HIPAA Security Rule paragraphs (45 CFR Part 164 Subpart C, www.ecfr.gov), named once so every
 * compliance rule, on either cloud, cites them the same way (facts/compliance.md section 5.1).
 */
export const hipaa = {
    /** 164.308(a)(1)(ii)(B) Risk management: measures that reduce risks to a reasonable level. */
    riskManagement: "164.308(a)(1)(ii)(B)",
    /** 164.308(a)(1)(ii)(D) Information system activity review (audit logs, access reports). */
    activityReview: "164.308(a)(1)(ii)(D)",
    /** 164.308(a)(5)(ii)(B) Protection from malicious software. */
    malware: "164.308(a)(5)(ii)(B)",
    /** 164.308(a)(6)(ii) Security incident response and reporting. */
    incidentResponse: "164.308(a)(6)(ii)",
    /** 164.308(a)(7)(ii)(A) Data backup plan: retrievable exact copies of ePHI (required). */
    backup: "164.308(a)(7)(ii)(A)",
    /** 164.308(a)(7)(ii)(B) Disaster recovery plan: restore any loss of data (required). */
    disasterRecovery: "164.308(a)(7)(ii)(B)",
    /** 164.308(a)(7)(ii)(C) Emergency mode operation plan: critical processes continue (required). */
    emergencyMode: "164.308(a)(7)(ii)(C)",
    /** 164.310(d)(2)(iv) Data backup and storage before equipment is moved. */
    backupStorage: "164.310(d)(2)(iv)",
    /** 164.312(a)(1) Access control: only persons or programs granted access rights reach ePHI. */
    accessControl: "164.312(a)(1)",
    /** 164.312(a)(2)(i) Unique user identification (required). */
    uniqueUser: "164.312(a)(2)(i)",
    /** 164.312(a)(2)(ii) Emergency access procedure (required). */
    emergencyAccess: "164.312(a)(2)(ii)",
    /** 164.312(a)(2)(iv) Encryption and decryption of ePHI (addressable). */
    encryptionAtRest: "164.312(a)(2)(iv)",
    /** 164.312(b) Audit controls: record and examine activity in systems holding ePHI. */
    audit: "164.312(b)",
    /** 164.312(c)(1) Integrity: protect ePHI from improper alteration or destruction. */
    integrity: "164.312(c)(1)",
    /** 164.312(c)(2) Mechanism to authenticate ePHI: corroborate it was not altered or destroyed (addressable). */
    authenticate: "164.312(c)(2)",
    /** 164.312(d) Person or entity authentication. */
    authentication: "164.312(d)",
    /** 164.312(e)(1) Transmission security. */
    transmission: "164.312(e)(1)",
    /** 164.312(e)(2)(i) Integrity controls in transit (addressable). */
    transmissionIntegrity: "164.312(e)(2)(i)",
    /** 164.312(e)(2)(ii) Encryption in transit (addressable). */
    transmissionEncryption: "164.312(e)(2)(ii)",
    /** 164.316(b)(2)(i) Documentation kept six years. */
    documentationRetention: "164.316(b)(2)(i)",
} as const;

/** The shortest backup window any rule accepts: a week (cdk-nag RDSInstanceBackupEnabled and checkov CKV_AWS_133 ask for any; trivy AVD-AWS-0077 for more than one day). */
export const minimumBackupDays = 7;
/** The project's floor for how long any log is kept. HIPAA names no figure for audit logs; a year lets the annual risk review (164.308(a)(1)(ii)(A), (D)) read a full year of activity. */
export const minimumLogRetentionDays = 365;
