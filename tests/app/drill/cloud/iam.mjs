// IAM's decision on one request against one identity-based policy, per the IAM User Guide:
// - reference_policies_evaluation-logic.html: denied by default; an explicit Deny wins; else any
//   matching Allow allows.
// - reference_policies_elements_action.html / _resource.html: Action and Resource are a string or
//   a list; `*` and `?` wildcards; action names are case-insensitive, ARNs case-sensitive.
// - reference_policies_elements_condition.html: every operator of a Condition must hold (AND),
//   every key of an operator must hold (AND), any of a key's values may match (OR).
// - reference_policies_elements_condition_operators.html: StringEquals is case-sensitive and false
//   when the request lacks the key.
// - reference_policies_condition-single-vs-multi-valued-context-keys.html: ForAllValues is true when
//   every value of the request's key is among the policy's values, "including when the context key
//   in the request is empty or missing".
// Anything else in a policy stops the drill ("does not implement"), so nothing is judged by guess.

const glob = (pattern, caseless) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseless ? "i" : "");
const list = (value) => (Array.isArray(value) ? value : [value]);

function unimplemented(what) {
    throw new Error(`drill: the IAM evaluator does not implement ${what}`);
}

function conditionHolds(condition, context) {
    return Object.entries(condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys).every(([key, values]) => {
            const wanted = list(values).map(String);
            const actual = context[key];
            if (operator === "StringEquals") return actual !== undefined && !Array.isArray(actual) && wanted.includes(String(actual));
            if (operator === "ForAllValues:StringEquals") return list(actual ?? []).every((v) => wanted.includes(String(v)));
            return unimplemented(`the condition operator ${operator}`);
        }),
    );
}

function statementMatches(statement, action, resource, context) {
    for (const element of ["NotAction", "NotResource", "Principal", "NotPrincipal"]) if (statement[element]) unimplemented(element);
    return (
        list(statement.Action).some((a) => glob(a, true).test(action)) &&
        list(statement.Resource).some((r) => glob(r, false).test(resource)) &&
        conditionHolds(statement.Condition, context)
    );
}

/** "allow" or "deny" (explicit or implicit) for `action` on `resource` with the request's context keys. */
export function decide(policy, action, resource, context) {
    const matching = policy.Statement.filter((s) => statementMatches(s, action, resource, context));
    if (matching.some((s) => s.Effect === "Deny")) return "deny";
    return matching.some((s) => s.Effect === "Allow") ? "allow" : "deny";
}

/** The context keys a tagged resource contributes (aws:ResourceTag/k and the service's own <service>:ResourceTag/k). */
export function resourceTagKeys(service, tags) {
    return Object.fromEntries(tags.flatMap(({ Key, Value }) => [[`aws:ResourceTag/${Key}`, Value], [`${service}:ResourceTag/${Key}`, Value]]));
}
