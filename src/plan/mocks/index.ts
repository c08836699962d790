import type * as pulumi from "@pulumi/pulumi";
import { awsMock } from "./aws";
import { azureMock } from "./azure";
import { hex, type CloudMock } from "./shared";

export { awsMock, azureMock };
export * from "./shared";

/** Stand-ins for the helper providers (random, tls): deterministic, clearly fake values. */
export const helperMock: CloudMock = {
    prefix: "",
    resource({ type, name, inputs }) {
        const state: Record<string, unknown> = { ...inputs };
        switch (type) {
            case "random:index/randomPassword:RandomPassword":
            case "random:index/randomString:RandomString":
                state.result = `mock-${hex(name, Math.max(8, (inputs.length ?? 16) - 5))}`;
                break;
            case "tls:index/privateKey:PrivateKey":
                state.privateKeyPem = "-----BEGIN PRIVATE KEY-----\nMOCK\n-----END PRIVATE KEY-----\n";
                state.publicKeyOpenssh = `ssh-rsa AAAAMOCK${hex(name, 16)} mock`;
                break;
            case "tls:index/selfSignedCert:SelfSignedCert":
                state.certPem = "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n";
                break;
        }
        return { id: `${name}-${hex(name, 8)}`, state };
    },
    calls: {},
};

/** Builds the Pulumi mocks for a region from the cloud mocks (first matching prefix wins). */
export function createMocks(region: string, clouds: CloudMock[]): pulumi.runtime.Mocks {
    const all = [...clouds, helperMock];
    return {
        newResource(args) {
            if (!args.custom) return { id: undefined, state: {} };
            const mock = all.find((m) => args.type.startsWith(m.prefix))!;
            return mock.resource(args, region);
        },
        call({ token, inputs }) {
            for (const mock of all) {
                const answer = mock.calls[token];
                if (answer) return answer(inputs, region);
            }
            throw new Error(`mocks: no answer for data source ${token}; add one to src/plan/mocks.ts`);
        },
    };
}
