import type { Rule } from "../../types";
import { auditRules } from "./audit";
import { backupRules } from "./backup";
import { balancerRules } from "./balancer";
import { computeRules } from "./compute";
import { databaseRules } from "./database";
import { keyRules } from "./keys";
import { networkRules } from "./network";
import { awsSessionComplianceRules } from "./session";
import { storageRules } from "./storage";

/**
 * Every AWS compliance rule (HIPAA technical safeguards and contingency plan on AWS resource types),
 * one file per concern. The cloud-neutral `EMR-*` rules over the plan model live beside them.
 */
export const awsComplianceRules: readonly Rule[] = [...databaseRules, ...storageRules, ...keyRules, ...backupRules, ...networkRules, ...computeRules, ...balancerRules, ...auditRules, ...awsSessionComplianceRules];
