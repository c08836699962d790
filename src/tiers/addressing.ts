import type { SubnetRole } from "./contracts";

/**
 * Carves the network CIDR into 16 equal blocks: block `role * 4 + zone` for the zonal subnets of
 * each role, the last blocks for cloud-specific extras (Azure private endpoints). The same layout
 * on both clouds means a subnet's address tells its role and zone.
 */
export const roleBlock: Record<SubnetRole | "endpoints", number> = { edge: 0, app: 1, data: 2, endpoints: 3 };

export function subnetCidr(networkCidr: string, role: SubnetRole | "endpoints", zoneIndex: number): string {
    const [base, prefixText] = networkCidr.split("/");
    const prefix = Number(prefixText);
    const start = base.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
    const blockPrefix = prefix + 4;
    const address = start + (roleBlock[role] * 4 + zoneIndex) * 2 ** (32 - blockPrefix);
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
    return `${octets.join(".")}/${blockPrefix}`;
}
