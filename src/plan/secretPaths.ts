/**
 * The value inside a secret's wrapper, or undefined when `value` is not one. Each side of a
 * deploy wraps secrets its own way: the SDK's mocks hand over `{ [specialSigKey]: specialSecretSig,
 * value }` envelopes (src/plan/capture.ts), a policy pack's remediation sees `@pulumi/policy`'s
 * `Secret` objects (src/policy/pack/stackGraph.ts).
 */
export type SecretUnwrapper = (value: object) => { value: unknown } | undefined;

/**
 * Removes the secret wrappers from a value, noting the dotted path of each (`properties.value`,
 * `rules[0].password`; a wrapper inside another is noted at the same path again). One walk for
 * the plan and the policy pack, so both name the same input the same way.
 */
export function unwrapSecrets(value: any, inside: SecretUnwrapper, secretPaths: string[], path = ""): any {
    if (Array.isArray(value)) return value.map((v, i) => unwrapSecrets(v, inside, secretPaths, `${path}[${i}]`));
    if (value !== null && typeof value === "object") {
        const secret = inside(value);
        if (secret) {
            secretPaths.push(path);
            return unwrapSecrets(secret.value, inside, secretPaths, path);
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v, inside, secretPaths, path ? `${path}.${k}` : k)]));
    }
    return value;
}
