/**
 * ARM over HTTPS with the deployer's token, for the stack's dynamic providers
 * (subscriptionRegistration.ts, skuPreflight.ts). This module imports nothing on purpose: Pulumi
 * serializes each dynamic provider with the functions it calls (@pulumi/pulumi
 * runtime/closure/createClosure.ts: a local module is captured by value), so whatever this file
 * pulled in would travel with every provider into the engine's dynamic-provider host.
 */

/** The ARM calls the dynamic providers make, so tests can stand in for ARM. */
export interface Arm {
    get(path: string): Promise<any>;
    post(path: string): Promise<any>;
}

/** ARM (https://management.azure.com) with a bearer token, through Node's fetch. */
export function armClient(token: string): Arm {
    const call = async (method: "GET" | "POST", path: string) => {
        const response = await fetch(`https://management.azure.com${path}`, {
            method,
            headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        });
        const body = await response.text();
        if (!response.ok) throw new Error(`${method} ${path.split("?")[0]}: HTTP ${response.status} ${body}`);
        return body ? JSON.parse(body) : {};
    };
    return { get: (path) => call("GET", path), post: (path) => call("POST", path) };
}
