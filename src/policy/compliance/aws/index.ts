import type { Rule } from "../../types";

/** Every AWS compliance rule (HIPAA technical safeguards on AWS resource types). */
export const awsComplianceRules: readonly Rule[] = [];
