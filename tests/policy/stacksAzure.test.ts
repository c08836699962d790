import { beforeAll, describe, expect, it } from "vitest";
import { grantedCreates } from "../../src/azure/platformRequirements";
import { Graph } from "../../src/plan/graph";
import { runRules } from "../../src/policy/engine";
import { deployRules } from "../../src/policy/deploy";
import { grantPropagationRule } from "../../src/policy/deploy/azureAccess";
import { sleepType } from "../../src/policy/order";
import { repairGraceRule } from "../../src/policy/deploy/azureCompute";
import { mysqlVersionedKeyRule } from "../../src/policy/deploy/azureData";
import { flowLogWatcherRule, nsgPluralFieldsRule } from "../../src/policy/deploy/azureNetwork";
import { providerRegisteredRule } from "../../src/policy/deploy/azurePlatform";
import { lockOverPrunedSnapshotsRule } from "../../src/policy/deploy/azureStorage";
import { judge, reasons } from "./fixtures";
import { ruleViolations, capturedStack, withInputs } from "./stacks";

let dev: Graph;
beforeAll(async () => {
    dev = await capturedStack("azure-dev");
}, 60_000);

describe("deploy rules on the real azure-dev graph", () => {
    it("judge the real resources: the Azure and shared rules apply, the AWS ones do not", () => {
        const results = runRules(deployRules, dev);
        expect(results.filter((r) => r.cloud === "aws").every((r) => r.status === "not-applicable")).toBe(true);
        const applied = results.filter((r) => r.status !== "not-applicable").map((r) => r.id);
        for (const id of ["DEPLOY-ANY-BOOT-MOUNT-POINT-EXISTS", "DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY", "DEPLOY-AZ-FLOWLOG-WATCHER-EXISTS", "DEPLOY-AZ-GRANT-PROPAGATION-WAIT", "DEPLOY-AZ-VMSS-REPAIR-GRACE-COVERS-BOOT"]) {
            expect(applied).toContain(id);
        }
    });

    it("catch a service tag put back into a plural prefix field of the real data subnet's NSG", () => {
        const key = "azure-native:network:NetworkSecurityGroup::emr-net-data-nsg";
        expect(judge(nsgPluralFieldsRule, dev).violations.map((v) => v.resourceKey)).not.toContain(key);
        const broken = withInputs(dev, key, (inputs) => {
            const [first, ...rest] = inputs.securityRules;
            inputs.securityRules = [{ ...first, sourceAddressPrefix: undefined, sourceAddressPrefixes: ["VirtualNetwork", "10.20.64.0/20"] }, ...rest];
        });
        const found = judge(nsgPluralFieldsRule, broken).violations.filter((v) => v.resourceKey === key);
        expect(found.map((v) => v.reason)).toEqual([expect.stringContaining('securityRules[0] "web-to-mysql": sourceAddressPrefixes holds "VirtualNetwork", a service tag')]);
    });

    it("catch a repair grace shorter than the boot on the real scale set, with Binary Health States", () => {
        const key = "azure-native:compute:VirtualMachineScaleSet::emr-web-servers";
        const broken = withInputs(dev, key, (inputs) => {
            // Binary Health States (1.0) have no Initializing grace of their own: repairs' grace alone protects a booting server.
            for (const e of inputs.virtualMachineProfile.extensionProfile.extensions) e.typeHandlerVersion = "1.0";
            inputs.automaticRepairsPolicy.gracePeriod = "PT30M";
        });
        expect(reasons(judge(repairGraceRule, broken))).toContain('automaticRepairsPolicy.gracePeriod "PT30M"');
    });

    it("catch the real flow log once nothing makes sure its watcher exists", () => {
        expect(judge(flowLogWatcherRule, dev).status).toBe("pass");
        const run = structuredClone(dev.run);
        const creators = new Set(run.resources.filter((r) => /resources:Deployment|network:NetworkWatcher$/.test(r.type)).map((r) => r.key));
        expect(creators.size).toBeGreaterThan(0);
        run.resources = run.resources.filter((r) => !creators.has(r.key));
        for (const r of run.resources) r.dependencies = r.dependencies.filter((k) => !creators.has(k));
        expect(reasons(judge(flowLogWatcherRule, new Graph(run)))).toContain('networkWatcherName "NetworkWatcher_eastus" in resourceGroupName "NetworkWatcherRG"');
    });

    it("catch every create the Azure program says Azure checks against a grant (grantedCreates), once its waits are gone", () => {
        const run = structuredClone(dev.run);
        const sleeps = new Set(run.resources.filter((r) => r.type === sleepType).map((r) => r.key));
        expect(sleeps.size).toBeGreaterThan(0);
        run.resources = run.resources.filter((r) => !sleeps.has(r.key));
        for (const r of run.resources) r.dependencies = r.dependencies.filter((k) => !sleeps.has(k));
        const caught = [...new Set(judge(grantPropagationRule, new Graph(run)).violations.map((v) => v.resourceKey))].sort();
        const declared = grantedCreates.flatMap((c) => dev.ofType(c.type).filter((r) => c.applies(r.inputs)).map((r) => r.key)).sort();
        expect(declared.length).toBeGreaterThan(0);
        expect(caught).toEqual(declared);
    });

    it("catch a resource provider left out of the subscription registration", () => {
        const registrar = dev.resources.find((r) => r.type.startsWith("pulumi-nodejs:dynamic") && Array.isArray(r.inputs.providers))!;
        expect(judge(providerRegisteredRule, dev).status).toBe("pass");
        const broken = withInputs(dev, registrar.key, (inputs) => (inputs.providers = inputs.providers.filter((p: string) => p !== "Microsoft.Insights")));
        const reasonsByKey = judge(providerRegisteredRule, broken).violations;
        expect(reasonsByKey.length).toBeGreaterThan(0);
        expect(reasonsByKey.every((v) => v.reason.startsWith("is created in Microsoft.Insights"))).toBe(true);
        expect(reasonsByKey.map((v) => v.resourceKey)).toContain(dev.ofType("azure-native:monitor:DiagnosticSetting")[0].key);
    });

    it("catch the real MySQL server named by a versionless key identifier", () => {
        const key = "azure-native:dbformysql:Server::emr-db-mysql";
        expect(judge(mysqlVersionedKeyRule, dev).status).toBe("pass");
        const broken = withInputs(dev, key, (inputs) => (inputs.dataEncryption.primaryKeyURI = inputs.dataEncryption.primaryKeyURI.replace(/\/[^/]+$/, "")));
        expect(reasons(judge(mysqlVersionedKeyRule, broken))).toMatch(/dataEncryption\.primaryKeyURI is "https:\/\/[^"]+\/keys\/emr-data", a key identifier without a version/);
    });

    it("catch the database's delete lock moved up to the resource group, over the share whose snapshots the workflow prunes", () => {
        const lock = dev.ofType("azure-native:authorization:ManagementLockByScope");
        expect(lock).toHaveLength(1);
        expect(judge(lockOverPrunedSnapshotsRule, dev).status).toBe("pass");
        const group = dev.ofType("azure-native:resources:ResourceGroup")[0].outputs.id;
        const broken = withInputs(dev, lock[0].key, (inputs) => {
            inputs.scope = group;
        });
        expect(reasons(judge(lockOverPrunedSnapshotsRule, broken))).toMatch(new RegExp(`^CanNotDelete lock on ${group} covers ${group}/providers/Microsoft.Storage/storageAccounts/[^/]+/fileServices/default/shares/[^,]+, whose expired snapshots azure-native:logic:Workflow::`));
    });
});

describe.each(["azure-dev", "azure-prod"])("%s", (stack) => {
    it("every deploy rule passes", async () => {
        const graph = stack === "azure-dev" ? dev : await capturedStack(stack);
        expect(ruleViolations(graph)).toEqual([]);
    });
});
