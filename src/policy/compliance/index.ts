import type { Rule } from "../types";
import { awsComplianceRules } from "./aws";
import { azureComplianceRules } from "./azure";
import { stackComplianceRules } from "./stack";

/**
 * Every compliance rule: what HIPAA's technical safeguards (45 CFR 164.312) and contingency plan
 * (164.308(a)(7)) ask of the resources a stack declares: the cloud-neutral rules over the stack's
 * model first, then each cloud's rules over its resource types.
 */
export const complianceRules: readonly Rule[] = [...stackComplianceRules, ...awsComplianceRules, ...azureComplianceRules];
