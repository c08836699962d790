import { PolicyPack } from "@pulumi/policy";
import { emrPolicies } from "../src/policy/pack";

// Starts the analyzer server the Pulumi CLI talks to (@pulumi/policy 1.21.0 policy.js:51-64). The
// policies live in src/policy/pack, which tests import without starting it.
new PolicyPack("emr-ha", { policies: emrPolicies() });
