export * from "./types";
export { ConfigError } from "./errors";
export { loadConfig } from "./load";
export { validateConfig, configDefaults, type RawConfig } from "./validate";
export { instanceCatalog, instanceChoices, instanceFor } from "./sizes";
export { defaultUsage, usageProfiles, usageProfileNames, type UsageProfileName } from "./usage";
