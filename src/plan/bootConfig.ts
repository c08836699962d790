import type { Plan } from "./plan";

/**
 * Where each cloud's web servers carry their boot configuration, base64-encoded as the APIs take it:
 * - AWS: the launch template's `userData` (src/aws/webServers.ts; @pulumi/aws 7.48.0
 *   ec2/launchTemplate.d.ts: "The base64-encoded user data to provide when launching the instance").
 * - Azure: the scale set's `virtualMachineProfile.osProfile.customData` (src/azure/webServers.ts;
 *   @pulumi/azure-native 3.28.0 types/input.d.ts: "Specifies a base-64 encoded string of custom data").
 */
const carriers: Record<Plan["cloud"], { type: string; read: (inputs: any) => unknown }> = {
    aws: { type: "aws:ec2/launchTemplate:LaunchTemplate", read: (i) => i.userData },
    azure: { type: "azure-native:compute:VirtualMachineScaleSet", read: (i) => i.virtualMachineProfile?.osProfile?.customData },
};

/** The web servers' rendered cloud-config, decoded, one entry per launch template / scale set. */
export function bootConfigs(plan: { cloud: Plan["cloud"]; resources: ReadonlyArray<{ key: string; type: string; name: string; inputs: Record<string, any> }> }): Array<{ name: string; text: string }> {
    const carrier = carriers[plan.cloud];
    return plan.resources
        .filter((r) => r.type === carrier.type)
        .map((r) => {
            const encoded = carrier.read(r.inputs);
            if (typeof encoded !== "string" || encoded === "[secret]") throw new Error(`${r.key} has no readable boot configuration (${String(encoded)})`);
            return { name: r.name, text: Buffer.from(encoded, "base64").toString("utf8") };
        });
}
