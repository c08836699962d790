import type { Rule } from "../../types";
import { auditRules } from "./audit";
import { computeRules } from "./compute";
import { mysqlRules } from "./data";
import { gatewayRules } from "./gateway";
import { keyRules } from "./keys";
import { networkRules } from "./network";
import { azureSessionComplianceRules } from "./session";
import { storageRules } from "./storage";

/** Every Azure compliance rule (HIPAA technical safeguards on azure-native resource types). */
export const azureComplianceRules: readonly Rule[] = [...mysqlRules, ...storageRules, ...keyRules, ...computeRules, ...networkRules, ...gatewayRules, ...auditRules, ...azureSessionComplianceRules];
