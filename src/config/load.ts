import * as pulumi from "@pulumi/pulumi";
import type { EmrConfig } from "./types";
import { validateConfig } from "./validate";

/**
 * Reads the whole stack config once and validates it. Called first thing in src/index.ts, so a
 * bad value stops `pulumi up` (and the offline plan) before any resource is declared.
 */
export function loadConfig(): EmrConfig {
    const config = validateConfig(pulumi.runtime.allConfig());
    if (config.tls.kind === "self-signed") {
        pulumi.log.warn(
            "emr: no emr:certificate or emr:domain is set, so the load balancer uses a generated SELF-SIGNED " +
                "certificate. Browsers will warn; use it for a dev stack only, never with patient data.",
        );
    }
    return config;
}
