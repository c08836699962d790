import type { ConfigMap } from "./pulumiRules/merge";

/** A config value the offline plan stood in for; listed in the report and plan.json. */
export interface ConfigPlaceholder {
    key: string;
    /** What the plan used instead: never a real value, and labelled as such. */
    plannedWith: string;
    /** not-set: only the user can supply it; encrypted: a `secure:` value the plan cannot decrypt. */
    reason: "not-set" | "encrypted";
    /** What happens on `pulumi up` and what the user does about it. */
    action: string;
}

/**
 * Keys only the user can supply, and the stand-in the plan uses so a fresh clone still plans.
 * The address is under `.invalid`, the top-level domain RFC 2606 section 2 reserves for names
 * that must never resolve, so no mail can leave for it. It exists only inside the plan: stack files
 * never carry it, and `pulumi up` never sees it (src/config/validate.ts requires the real key).
 */
export const userSuppliedKeys: Record<string, { placeholder: string; command: string }> = {
    "emr:alertEmail": {
        placeholder: "set-emr-alertEmail@placeholder.invalid",
        command: "pulumi config set emr:alertEmail <on-call address>",
    },
};

/** What the program gets for a `secure:` value of a key without a stand-in: it says what it is. */
export const secureStandIn = "[secure value: not decrypted by the offline plan]";

/**
 * The config the plan hands the program: the merged stack config as text, with `secure:` values
 * and missing user-supplied keys replaced by labelled stand-ins, and the list of those.
 */
export function withPlaceholders(merged: ConfigMap): { config: Record<string, string>; placeholders: ConfigPlaceholder[] } {
    const config: Record<string, string> = {};
    const placeholders: ConfigPlaceholder[] = [];
    for (const [key, value] of merged) {
        if (!value.secure) {
            config[key] = value.text;
            continue;
        }
        config[key] = userSuppliedKeys[key]?.placeholder ?? secureStandIn;
        placeholders.push({ key, plannedWith: config[key], reason: "encrypted", action: "none: `pulumi up` decrypts it and uses the real value" });
    }
    for (const [key, { placeholder, command }] of Object.entries(userSuppliedKeys)) {
        if (key in config) continue;
        config[key] = placeholder;
        placeholders.push({ key, plannedWith: placeholder, reason: "not-set", action: `\`pulumi up\` stops on this stack until it is set: ${command}` });
    }
    return { config, placeholders };
}
