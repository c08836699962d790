import * as pulumi from "@pulumi/pulumi";
import type { Policies } from "@pulumi/policy";
import { complianceRules } from "../compliance";
import { deployRules } from "../deploy";
import { packPolicies } from "./policies";

export { packPolicies, type PackOptions } from "./policies";
export { stackGraph } from "./stackGraph";

/** Today in UTC, YYYY-MM-DD: the day an exemption's `expires` is compared with (src/policy/exemptions.ts). */
const utcToday = () => new Date().toISOString().slice(0, 10);

/**
 * The emr-ha policy pack's policies: every deploy and compliance rule, judged with the exemptions
 * of the stack being deployed (its config as the program reads it: ./exemptions.ts).
 */
export const emrPolicies = (): Policies => packPolicies([...deployRules, ...complianceRules], { config: () => pulumi.runtime.allConfig(), today: utcToday });
