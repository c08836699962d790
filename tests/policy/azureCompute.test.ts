import { dump } from "js-yaml";
import { describe, expect, it } from "vitest";
import { healthPort, healthScript, healthScriptPath } from "../../src/app/healthCheck";
import { isoDurationSeconds, repairGraceRule, richHealthNeedsJsonRule } from "../../src/policy/deploy/azureCompute";
import { bootWaitSeconds } from "../../src/policy/deploy/bootTiming";
import { base64, graphOf, judge, reasons, resource } from "./fixtures";

const vmssType = "azure-native:compute:VirtualMachineScaleSet";
const health = (typeHandlerVersion: string, settings: Record<string, unknown> = {}) => ({
    name: "health",
    publisher: "Microsoft.ManagedServices",
    type: "ApplicationHealthLinux",
    typeHandlerVersion,
    settings: { protocol: "http", port: 80, requestPath: "/interface/login/login.php", ...settings },
});
const scaleSet = (extensions: unknown[], extra: Record<string, unknown> = {}) =>
    resource(vmssType, "servers", { virtualMachineProfile: { extensionProfile: { extensions } }, ...extra });

describe("DEPLOY-AZ-VMSS-HEALTH-RICH-NEEDS-JSON", () => {
    /** Custom data that installs the real readiness endpoint (src/app/healthCheck.ts) serving `path`. */
    const withEndpoint = (path: string) => ({
        osProfile: { customData: base64(`#cloud-config\n${dump({ write_files: [{ path: healthScriptPath, content: healthScript({ readinessPath: path, pollSeconds: 10, databaseOutageSeconds: 300 }) }] })}`) },
    });
    const scaleSetWith = (extension: unknown, profile: Record<string, unknown> = {}) =>
        resource(vmssType, "servers", { virtualMachineProfile: { ...profile, extensionProfile: { extensions: [extension] } } });
    const readiness = { port: healthPort, requestPath: "/meta/health/readyz" };

    it("passes Rich Health States on the readiness endpoint the custom data installs", () => {
        expect(judge(richHealthNeedsJsonRule, graphOf(scaleSetWith(health("2.0", readiness), withEndpoint("/meta/health/readyz")))).status).toBe("pass");
    });

    it("passes Binary Health States (1.0) on an HTML page, and TCP probes on 2.0", () => {
        expect(judge(richHealthNeedsJsonRule, graphOf(scaleSet([health("1.0")]))).status).toBe("pass");
        expect(judge(richHealthNeedsJsonRule, graphOf(scaleSet([health("2.0", { protocol: "tcp", requestPath: undefined })]))).status).toBe("pass");
    });

    it("fails Rich Health States probing OpenEMR's HTML login page", () => {
        const text = reasons(judge(richHealthNeedsJsonRule, graphOf(scaleSet([health("2.0")]))));
        expect(text).toContain('extensionProfile.extensions[0] "health": typeHandlerVersion 2.x (Rich Health States) probes port 80 requestPath "/interface/login/login.php"');
        expect(text).toContain(`port 80 is not the readiness endpoint's port ${healthPort}`);
    });

    it("fails a path the endpoint does not serve, and custom data without the endpoint", () => {
        const otherPath = reasons(judge(richHealthNeedsJsonRule, graphOf(scaleSetWith(health("2.0", readiness), withEndpoint("/health/ready")))));
        expect(otherPath).toContain(`requestPath "/meta/health/readyz" is not the path ${healthScriptPath} serves ("/health/ready")`);
        const none = { osProfile: { customData: base64("#cloud-config\npackages: [jq]\n") } };
        expect(reasons(judge(richHealthNeedsJsonRule, graphOf(scaleSetWith(health("2.0", readiness), none))))).toContain(`writes no ${healthScriptPath}`);
    });

    it("judges a standalone scale-set extension resource by its port", () => {
        expect(judge(richHealthNeedsJsonRule, graphOf(resource("azure-native:compute:VirtualMachineScaleSetExtension", "health", health("2.0")))).status).toBe("fail");
        expect(judge(richHealthNeedsJsonRule, graphOf(resource("azure-native:compute:VirtualMachineScaleSetExtension", "health", health("2.0", readiness))))).toMatchObject({ status: "pass" });
    });
});

describe("DEPLOY-AZ-VMSS-REPAIR-GRACE-COVERS-BOOT", () => {
    const repairs = (gracePeriod: string) => ({ automaticRepairsPolicy: { enabled: true, gracePeriod, repairAction: "Replace" } });
    const minutes = (s: number) => `PT${Math.ceil(s / 60)}M`;

    it("passes a repair grace between the boot wait and PT90M", () => {
        expect(bootWaitSeconds).toBeLessThanOrEqual(90 * 60);
        expect(judge(repairGraceRule, graphOf(scaleSet([health("1.0")], repairs(minutes(bootWaitSeconds))))).status).toBe("pass");
    });

    it("fails a repair grace shorter than the boot wait, naming the value", () => {
        const result = judge(repairGraceRule, graphOf(scaleSet([health("1.0")], repairs("PT30M"))));
        expect(reasons(result)).toContain(`safe from automatic repairs for 1800 s (automaticRepairsPolicy.gracePeriod "PT30M"), less than the ${bootWaitSeconds} s`);
    });

    it("counts a Rich Health grace as protection, up to its 14400 s ceiling", () => {
        expect(judge(repairGraceRule, graphOf(scaleSet([health("2.0", { gracePeriod: bootWaitSeconds })], repairs("PT10M")))).status).toBe("pass");
        expect(reasons(judge(repairGraceRule, graphOf(scaleSet([health("2.0", { gracePeriod: 20000 })], repairs("PT10M")))))).toContain("settings.gracePeriod 20000 s exceeds 14400 s");
    });

    it("fails a repair grace Azure rejects (over PT90M)", () => {
        expect(reasons(judge(repairGraceRule, graphOf(scaleSet([health("1.0")], repairs("PT2H")))))).toContain('automaticRepairsPolicy.gracePeriod "PT2H" is outside PT10M-PT90M');
    });

    it("is silent without automatic repairs", () => {
        expect(judge(repairGraceRule, graphOf(scaleSet([health("1.0")]))).status).toBe("pass");
    });

    it.each([
        ["PT85M", 5100],
        ["PT1H30M", 5400],
        ["P1DT1S", 86401],
        ["PT", NaN],
        ["85m", NaN],
    ])("ISO 8601 %s -> %s s", (text, seconds) => expect(isoDurationSeconds(text)).toBe(seconds));
});
