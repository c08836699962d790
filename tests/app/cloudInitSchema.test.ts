import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sampleCloudInits } from "./renderSamples";

/**
 * Validates the rendered user data with cloud-init's own schema checker. It needs the `cloud-init`
 * package (Debian), so it runs only when CI asks for it: CLOUD_INIT_SCHEMA=1.
 */
const enabled = process.env.CLOUD_INIT_SCHEMA === "1";

describe("rendered cloud-init passes `cloud-init schema`", () => {
    const dir = mkdtempSync(join(tmpdir(), "emr-cloud-init-"));
    for (const [cloud, text] of Object.entries(sampleCloudInits())) {
        const file = join(dir, `${cloud}.yaml`);
        writeFileSync(file, text);

        it.skipIf(!enabled)(cloud, () => {
            const result = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
            expect(result.error, "is the cloud-init package installed?").toBeUndefined();
            expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
            expect(result.stdout).toContain("Valid");
        });
    }
});
