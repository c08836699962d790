import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tierNames } from "../../src/plan/zones";
import { describe, expect, it } from "vitest";
import { defaultUsage } from "../../src/config";
import { catalogFor, estimateCost } from "../../src/plan/cost/estimate";
import { writePlanFiles } from "../../src/plan/report/files";
import { stackPlan } from "./architectureStacks";

/**
 * Renders architecture.html in a real headless browser: Debian's `chromium` package
 * (/usr/bin/chromium; CHROMIUM=<path> picks another binary). Like the cloud-init schema check it
 * runs when asked (CHROMIUM_REQUIRED=1: `npm run diagram:check`, which CI runs), where a missing
 * browser fails it; two browser starts rendering 3.4 MB pages are too slow for every `npm test`.
 */
const chromium = process.env.CHROMIUM ?? "chromium";
const required = process.env.CHROMIUM_REQUIRED === "1";
const found = required ? spawnSync(chromium, ["--version"], { encoding: "utf8" }) : undefined;
const available = !!found && !found.error && found.status === 0;

/**
 * The page's DOM after its scripts ran: --dump-dom prints it once the virtual time budget is spent
 * (Chromium headless: https://developer.chrome.com/docs/chromium/headless). Every host name
 * resolves to nothing and every request goes to a closed proxy port, so the diagram can only be
 * drawn by what the file itself holds. --no-sandbox: CI runs as root in a container.
 */
function renderedDom(file: string): string {
    const result = spawnSync(
        chromium,
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=http://127.0.0.1:9",
            "--virtual-time-budget=30000",
            "--dump-dom",
            pathToFileURL(file).href,
        ],
        { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 90_000 },
    );
    expect(result.error, `could not run ${chromium}`).toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
}

/** The text a reader sees in the drawn diagram: the <svg> Mermaid put into #diagram, tags stripped. */
function diagramText(dom: string): string {
    const svg = /<div id="diagram"><svg[^>]*id="architecture-svg"[\s\S]*?<\/svg><\/div>/.exec(dom)?.[0];
    expect(svg, "no <svg> rendered into #diagram").toBeDefined();
    return svg!.replace(/<style[\s\S]*?<\/style>/g, "").replace(/<br\s*\/?>/g, " ").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

describe.each([
    ["aws-dev", "us-east-1", "AWS"],
    ["azure-dev", "eastus", "Azure"],
])("architecture.html of %s in headless chromium", (stack, region, cloud) => {
    it.skipIf(!required)("draws the diagram offline: zones, database zones, egress, title", async () => {
        expect(available, `CHROMIUM_REQUIRED=1 but "${chromium} --version" failed: install Debian's chromium package`).toBe(true);
        const plan = await stackPlan(stack);
        const dir = mkdtempSync(join(tmpdir(), "emr-architecture-"));
        writePlanFiles(plan, estimateCost(plan, catalogFor(plan.cloud, region), defaultUsage), dir, "2026-12-01");
        const file = join(dir, "architecture.html");
        // Mermaid's bundle is about 3.5 MB; the page adds little to it.
        expect(statSync(file).size).toBeLessThan(4_500_000);

        const dom = renderedDom(file);
        expect(dom).toContain('data-rendered="yes"');
        const text = diagramText(dom);
        expect(text).toContain(`OpenEMR stack ${stack}: ${cloud} ${region}`);
        for (const zone of plan.zones) expect(text).toContain(`zone ${zone}`);
        if (cloud === "Azure") {
            expect(text).toContain("Database primary, zone 1");
            expect(text).toContain("Database standby, zone 2");
            expect(text).toContain("Outbound rule of a Standard load balancer zone-redundant public IP (zones 1, 2, 3)");
        } else {
            expect(text).toContain(`primary in one of zones ${plan.zones.join(", ")}, synchronous standby in the other`);
            expect(text.match(/NAT gateway/g)).toHaveLength(plan.zones.length);
        }
        expect(text).toContain("Shared file system: sites/ and patient documents");
        // The zone-loss table next to it: one row per zone and tier, none down on a dev stack.
        expect(dom.match(/<tr><td>/g)).toHaveLength(plan.zones.length * tierNames.length);
        expect(readFileSync(file, "utf8")).toContain(`<title>OpenEMR stack ${stack}: ${cloud} ${region}</title>`);
    }, 180_000);
});
