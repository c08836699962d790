import type { Rule } from "../../types";

/** Every Azure compliance rule (HIPAA technical safeguards on azure-native resource types). */
export const azureComplianceRules: readonly Rule[] = [];
