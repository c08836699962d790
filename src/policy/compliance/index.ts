import type { Rule } from "../types";
import { awsComplianceRules } from "./aws";
import { azureComplianceRules } from "./azure";

/**
 * Every compliance rule: what HIPAA's technical safeguards (45 CFR 164.312) and contingency plan
 * (164.308(a)(7)) ask of the resources a stack declares, per cloud.
 */
export const complianceRules: readonly Rule[] = [...awsComplianceRules, ...azureComplianceRules];
