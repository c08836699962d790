import { beforeAll, describe, expect, it } from "vitest";
import { Graph } from "../../src/plan/graph";
import { runRules } from "../../src/policy/engine";
import { deployRules } from "../../src/policy/deploy";
import { grantPropagationRule, sleepType } from "../../src/policy/deploy/azureAccess";
import { repairGraceRule } from "../../src/policy/deploy/azureCompute";
import { mysqlVersionedKeyRule } from "../../src/policy/deploy/azureData";
import { flowLogWatcherRule, nsgPluralFieldsRule } from "../../src/policy/deploy/azureNetwork";
import { judge, reasons, resource } from "./fixtures";
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

    it("pass the real flow log once it waits for a watcher the program creates", () => {
        const run = structuredClone(dev.run);
        const flow = run.resources.find((r) => r.type === "azure-native:network:FlowLog")!;
        const watcher = resource("azure-native:network:NetworkWatcher", "watcher", { resourceGroupName: flow.inputs.resourceGroupName, networkWatcherName: flow.inputs.networkWatcherName });
        run.resources.push(watcher);
        flow.dependencies.push(watcher.key);
        expect(judge(flowLogWatcherRule, new Graph(run)).status).toBe("pass");
    });

    it("pass the real grants once every consumer waits for a sleep that waits for its grant", () => {
        const consumers = judge(grantPropagationRule, dev).violations.map((v) => v.resourceKey);
        const run = structuredClone(dev.run);
        for (const grant of run.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment")) {
            const wait = resource(sleepType, `${grant.name}-wait`, { createDuration: "600s" }, { dependencies: [grant.key] });
            run.resources.push(wait);
            for (const c of run.resources.filter((r) => consumers.includes(r.key))) c.dependencies.push(wait.key);
        }
        expect(judge(grantPropagationRule, new Graph(run)).status).toBe("pass");
    });

    it("pass the real MySQL server with a versioned key identifier", () => {
        const key = "azure-native:dbformysql:Server::emr-db-mysql";
        const fixed = withInputs(dev, key, (inputs) => (inputs.dataEncryption.primaryKeyURI = `${inputs.dataEncryption.primaryKeyURI.replace(/\/[0-9a-f]{32}$/, "")}/0123456789abcdef0123456789abcdef`));
        expect(judge(mysqlVersionedKeyRule, fixed).status).toBe("pass");
    });
});

describe.each(["azure-dev", "azure-prod"])("%s", (stack) => {
    // TODO(lead): flip to `it` once branch `azfix` is merged. Failing on this branch (main with
    // awsfix, boot and loader merged), each a finding of azure-deploy-review.md that azfix fixes:
    // DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY (#2), DEPLOY-AZ-FLOWLOG-WATCHER-EXISTS (#3),
    // DEPLOY-AZ-ENCRYPTION-AT-HOST-FEATURE (#4), DEPLOY-AZ-RSV-CMK-SUPPORTED (#5),
    // DEPLOY-AZ-GRANT-PROPAGATION-WAIT (#6), DEPLOY-AZ-MYSQL-CMK-VERSIONED-KEY (section 4) and the
    // warning DEPLOY-AZ-APPGW-V2-PERFORMANCE-LOG (#18).
    it.fails("every deploy rule passes", async () => {
        const graph = stack === "azure-dev" ? dev : await capturedStack(stack);
        expect(ruleViolations(graph)).toEqual([]);
    });
});
