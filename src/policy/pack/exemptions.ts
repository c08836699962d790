import type { RawConfig } from "../../config/defaults";
import { ConfigError } from "../../config/errors";
import { Reader } from "../../config/reader";
import type { ComplianceExemption } from "../../config/types";
import { applyExemptions, UnknownExemptionError } from "../exemptions";
import type { Rule, RuleResult } from "../types";

/**
 * The stack's exemptions as the pack sees them: emr:complianceExemptions read from the stack config
 * the program itself reads, by the program's own reader (src/config/validate.ts reads the key with
 * Reader.exemptions too), with no second copy in policy config.
 *
 * How that config reaches the pack: the engine passes the stack's decrypted config, stack and
 * project names to every analyzer (pulumi v3.248.0 pkg/engine/update.go:889-901,
 * PolicyAnalyzerOptions); the Node.js language host that starts a policy pack puts them in the
 * pack's environment as PULUMI_CONFIG (JSON), PULUMI_NODEJS_STACK and PULUMI_NODEJS_PROJECT
 * before it spawns run-policy-pack (sdk/nodejs/cmd/pulumi-language-nodejs/main.go:1648-1680); the
 * SDK's `pulumi.runtime.allConfig()` reads PULUMI_CONFIG (@pulumi/pulumi 3.248.0
 * runtime/config.js:23, 34-38, 91-93; runtime/state.js:65), exactly as it does for the program.
 *
 * A problem (a value the program would refuse, or a rule id no compliance rule has) is returned,
 * not thrown: the pack reports it as one mandatory violation and judges the rules with no
 * exemption, so nothing is waived by a broken list.
 */
export function stackExemptions(config: RawConfig, rules: readonly Rule[], today: string): { exemptions: ComplianceExemption[]; problem?: string } {
    try {
        const exemptions = new Reader(config).exemptions("complianceExemptions");
        // applyExemptions refuses an id that names no compliance rule (with a suggestion).
        applyExemptions(rules.map(unjudged), exemptions, today);
        return { exemptions };
    } catch (e) {
        if (e instanceof ConfigError || e instanceof UnknownExemptionError) return { exemptions: [], problem: e.message };
        throw e;
    }
}

/** A rule's result before any graph is judged: enough for applyExemptions to know the rule ids and categories. */
const unjudged = (rule: Rule): RuleResult => ({
    id: rule.id,
    title: rule.title,
    cloud: rule.cloud,
    severity: rule.severity,
    source: rule.source,
    status: "not-applicable",
    violations: [],
    covered: [],
    category: rule.category,
});
