import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { withPlaceholders, type ConfigPlaceholder } from "./configPlaceholders";
import { mergeConfig, parseConfigKey, readStackConfig } from "./pulumiRules/merge";
import { parseProject, present, type PulumiProject } from "./pulumiRules/project";
import { createConfigValue, isMap, PulumiRefusal } from "./pulumiRules/values";

/** A stack file problem (missing, malformed, refused by the CLI's rules), reported in one line. */
export class StackFileError extends Error {}

function readYaml(path: string): unknown {
    if (!existsSync(path)) throw new StackFileError(`${path} does not exist`);
    try {
        return load(readFileSync(path, "utf8"));
    } catch (e) {
        throw new StackFileError(`${path} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
}

/** Runs one of the CLI's steps; its refusal becomes a StackFileError with the CLI's wording. */
function asCli<T>(prefix: string, step: () => T): T {
    try {
        return step();
    } catch (e) {
        if (e instanceof PulumiRefusal) throw new StackFileError(prefix + e.message);
        throw e;
    }
}

/** Pulumi.yaml as the CLI loads it (src/plan/pulumiRules/project.ts). */
export function loadProject(root: string): PulumiProject {
    const path = join(root, "Pulumi.yaml");
    return asCli("", () => parseProject(readYaml(path), path));
}

/** The defaults Pulumi.yaml declares, as fully qualified keys and the text the program receives. */
export function projectDefaults(root: string): Record<string, string> {
    const project = loadProject(root);
    return Object.fromEntries(
        Object.entries(project.config)
            .filter(([, d]) => present(d.default))
            .map(([key, d]) => [parseConfigKey(project.name, key), createConfigValue(d.default).text]),
    );
}

/**
 * The config `pulumi up -s <stack>` would hand the program, or the CLI's refusal: the stack file
 * merged with Pulumi.yaml under the CLI's own rules, the errors worded as `pulumi up` prints them
 * after "error: " (pkg/cmd/pulumi/operations/up.go:180-205, v3.248.0). Values the plan cannot know
 * (`secure:` ones, keys only the user supplies) are stand-ins, listed in `placeholders`.
 */
export function loadStackConfig(root: string, stack: string): { config: Record<string, string>; placeholders: ConfigPlaceholder[] } {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new StackFileError(`"${stack}" is not a stack name`);
    const project = loadProject(root);
    const file = readYaml(join(root, `Pulumi.${stack}.yaml`)) ?? {};
    if (!isMap(file)) throw new StackFileError(`Pulumi.${stack}.yaml: expected a map with a config: section`);
    // An ESC environment adds config the plan cannot open (config.go:262-288).
    if (file.environment !== undefined) throw new StackFileError(`Pulumi.${stack}.yaml imports an ESC environment, which the offline plan cannot open`);
    const values = asCli("getting stack configuration: ", () => readStackConfig(project.name, file.config));
    const merged = asCli("validating stack config: ", () => mergeConfig(stack, project, values));
    return withPlaceholders(merged);
}
