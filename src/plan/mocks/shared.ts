import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/**
 * The mock layer shared by the tests and the offline plan: it stands in for the Pulumi engine and
 * the cloud providers, answering every resource with realistic ids and computed outputs (ARNs,
 * endpoints, zone names, Azure resource ids and names) and every data-source call it knows. An
 * unknown call throws, so a new data source cannot silently come back empty.
 */
export const mockAccountId = "123456789012";
export const mockSubscriptionId = "00000000-0000-4000-8000-000000000000";
export const mockTenantId = "11111111-1111-4111-8111-111111111111";

export const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);

/** The per-cloud knowledge of the mock: ids and computed outputs for resources, answers to calls. */
export interface CloudMock {
    /** Resource types (token prefix) this cloud answers. */
    prefix: string;
    resource(args: pulumi.runtime.MockResourceArgs, region: string): { id: string; state: Record<string, unknown> };
    calls: Record<string, (inputs: Record<string, any>, region: string) => Record<string, unknown>>;
}

