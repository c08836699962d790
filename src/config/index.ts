export * from "./types";
export { ConfigError } from "./errors";
export { loadConfig } from "./load";
export { validateConfig, configDefaults, type RawConfig } from "./validate";
export { instanceCatalog, instanceFor } from "./sizes";
export { defaultUsage } from "./usage";
