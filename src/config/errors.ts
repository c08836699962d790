import * as pulumi from "@pulumi/pulumi";

/**
 * A bad stack setting. It extends RunError so `pulumi up` prints the one-line message without a
 * stack trace, and it is thrown before any resource is declared.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly key: string,
        readonly value: unknown,
        readonly allowed: string,
    ) {
        super(`config ${key}: got ${JSON.stringify(value)}; allowed: ${allowed}`);
        this.name = "ConfigError";
    }
}
