import { describe, expect, it } from "vitest";
import { subscriptionFeatures } from "../../src/azure/platformRequirements";
import { featureRegisteredRule, needsFeature, providerRegisteredRule } from "../../src/policy/deploy/azurePlatform";
import { graphOf, judge, reasons, resource } from "./fixtures";

const vmssType = "azure-native:compute:VirtualMachineScaleSet";
/** The stack's registrar as src/azure/subscriptionRegistration.ts declares it: a dynamic resource. */
const registrar = (features: { namespace: string; feature: string }[], providers: string[] = []) =>
    resource("pulumi-nodejs:dynamic:Resource", "registration", { subscriptionId: "s", features, providers });

describe("DEPLOY-AZ-SUBSCRIPTION-FEATURE-REGISTERED", () => {
    const eah = { namespace: "Microsoft.Compute", feature: "EncryptionAtHost" };
    const machines = (dependencies: string[], encryptionAtHost = true) =>
        resource(vmssType, "servers", { virtualMachineProfile: { securityProfile: { encryptionAtHost } } }, { dependencies });

    it("passes a scale set with encryption at host that waits (through its resource group) for a registrar listing the feature", () => {
        const reg = registrar([eah]);
        const group = resource("azure-native:resources:ResourceGroup", "rg", {}, { dependencies: [reg.key] });
        expect(judge(featureRegisteredRule, graphOf(reg, group, machines([group.key]))).status).toBe("pass");
        const native = resource("azure-native:features:SubscriptionFeatureRegistration", "eah", { providerNamespace: "Microsoft.Compute", featureName: "EncryptionAtHost" });
        expect(judge(featureRegisteredRule, graphOf(native, machines([native.key]))).status).toBe("pass");
        expect(judge(featureRegisteredRule, graphOf(machines([], false))).status).toBe("pass");
    });

    it("fails encryption at host with no registration before it, or a registrar of other features", () => {
        const result = judge(featureRegisteredRule, graphOf(machines([])));
        expect(result.violations.map((v) => v.resourceKey)).toEqual([`${vmssType}::servers`]);
        expect(reasons(result)).toContain("needs the subscription feature Microsoft.Compute/EncryptionAtHost");
        const other = registrar([{ namespace: "Microsoft.Network", feature: "AllowX" }]);
        expect(judge(featureRegisteredRule, graphOf(other, machines([other.key]))).status).toBe("fail");
    });

    it("needs the NFS encryption-in-transit feature only in its preview regions", () => {
        const share = resource("azure-native:storage:FileShare", "sites", { accountName: "files1", enabledProtocols: "NFS" });
        const account = (location: string) => resource("azure-native:storage:StorageAccount", "files", { kind: "FileStorage" }, { outputs: { name: "files1", location } });
        expect(reasons(judge(featureRegisteredRule, graphOf(account("westeurope"), share)))).toContain("Microsoft.Storage/AllowEncryptionInTransitNFS4");
        expect(judge(featureRegisteredRule, graphOf(account("eastus"), share)).status).toBe("pass");
    });

    it("checks every feature of the platform table", () => {
        expect(Object.keys(needsFeature).sort()).toEqual(subscriptionFeatures.map((f) => `${f.namespace}/${f.feature}`).sort());
    });
});

describe("DEPLOY-AZ-PROVIDER-REGISTERED", () => {
    const settings = (dependencies: string[]) => resource("azure-native:monitor:DiagnosticSetting", "logs", {}, { dependencies });

    it("passes a resource that waits for a registrar listing its namespace, and one in a namespace registered by default", () => {
        const reg = registrar([], ["Microsoft.Insights"]);
        expect(judge(providerRegisteredRule, graphOf(reg, settings([reg.key]))).status).toBe("pass");
        expect(judge(providerRegisteredRule, graphOf(resource("azure-native:resources:ResourceGroup", "rg"))).status).toBe("pass");
    });

    it("fails a diagnostic setting created before anything registers Microsoft.Insights", () => {
        const reg = registrar([], ["Microsoft.Network"]);
        expect(reasons(judge(providerRegisteredRule, graphOf(reg, settings([reg.key]))))).toContain("is created in Microsoft.Insights, but waits for nothing that registers");
    });

    it("fails a module the platform table does not know", () => {
        expect(reasons(judge(providerRegisteredRule, graphOf(resource("azure-native:recoveryservices:Vault", "v"))))).toContain('its module "recoveryservices" has no resource provider namespace');
    });
});
