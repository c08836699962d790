import { describe, expect, it, vi } from "vitest";
import { ifExists } from "../../src/azure/netFlowLogs";
import { runProgram } from "../../src/plan/capture";
import { Graph } from "../../src/plan/graph";
import { awsMock, azureMock, type CloudMock } from "../../src/plan/mocks";
import { armError } from "../../src/plan/mocks/azure";
import { baseConfig, runStack } from "../harness";

const DEPLOYMENT = "azure-native:resources:DeploymentAtSubscriptionScope";

/** The template's two PUTs: the watcher's resource group, and the watcher inside it. */
const templateOf = (g: Graph) => {
    const t = g.one(DEPLOYMENT).inputs.properties.template;
    const group = t.resources.find((r: any) => r.type === "Microsoft.Resources/resourceGroups");
    const nested = t.resources.find((r: any) => r.type === "Microsoft.Resources/deployments");
    return { group, nested, watcher: nested.properties.template.resources[0] };
};

describe("azure VNet flow logs and the region's Network Watcher", () => {
    it("on a fresh subscription (no watcher, whether or not Azure would add one) creates-or-updates NetworkWatcherRG/NetworkWatcher_<region> first", async () => {
        const g = (await runStack({ ...baseConfig.azure })).ok();
        const { group, nested, watcher } = templateOf(g);
        expect(group).toMatchObject({ name: "NetworkWatcherRG", location: "eastus" });
        expect(nested).toMatchObject({ resourceGroup: "NetworkWatcherRG", properties: { mode: "Incremental" } });
        // Named per stack: azure-dev and azure-prod deploying at once share the region's group.
        expect(nested.name).toBe("network-watcher-eastus-test");
        const prod = templateOf((await runStack({ ...baseConfig.azure }, "clinic-prod.eastus")).ok()).nested;
        expect(prod.name).toBe("network-watcher-eastus-clinic-prod.eastus");
        expect(watcher).toMatchObject({ type: "Microsoft.Network/networkWatchers", name: "NetworkWatcher_eastus", location: "eastus" });
        const flow = g.one("azure-native:network:FlowLog");
        expect(flow.inputs).toMatchObject({ resourceGroupName: "NetworkWatcherRG", networkWatcherName: "NetworkWatcher_eastus", location: "eastus" });
        expect(flow.dependsOn).toContain(g.one(DEPLOYMENT).key);
        // Before the first VNet: Azure's own enablement then finds the watcher and adds none.
        expect(g.one("azure-native:network:VirtualNetwork").dependsOn).toContain(g.one(DEPLOYMENT).key);
    });

    it("where the subscription already has its watcher group elsewhere, keeps that group's location and tags and the watcher's tags", async () => {
        // What azure-native returns for existing ones (getResourceGroup / getNetworkWatcher results).
        const existing: CloudMock = {
            ...azureMock,
            calls: {
                ...azureMock.calls,
                "azure-native:resources:getResourceGroup": ({ resourceGroupName }) => ({ name: resourceGroupName, location: "westus2", tags: { owner: "netops" } }),
                "azure-native:network:getNetworkWatcher": ({ networkWatcherName }) => ({ name: networkWatcherName, location: "eastus", tags: { team: "sec" } }),
            },
        };
        vi.resetModules(); // run the program anew, as runStack does
        const run = await runProgram({ config: { ...baseConfig.azure }, stack: "test", clouds: [awsMock, existing], load: () => import("../../src/index") });
        const g = new Graph(run).ok();
        const { group, watcher } = templateOf(g);
        expect(group).toMatchObject({ name: "NetworkWatcherRG", location: "westus2", tags: { owner: "netops" } });
        expect(watcher).toMatchObject({ name: "NetworkWatcher_eastus", tags: { team: "sec" } });
    });

    it("treats only a 404 as absent and lets every other invoke failure stop the deployment", async () => {
        await expect(ifExists(Promise.reject(armError(404, "ResourceGroupNotFound", "Resource group 'NetworkWatcherRG' could not be found.")))).resolves.toBeUndefined();
        await expect(ifExists(Promise.reject(armError(403, "AuthorizationFailed", "no read")))).rejects.toThrow(/AuthorizationFailed/);
        await expect(ifExists(Promise.resolve({ location: "westus2" }))).resolves.toEqual({ location: "westus2" });
    });
});
