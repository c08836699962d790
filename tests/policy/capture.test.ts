import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { describe, expect, it } from "vitest";
import { runProgram } from "../../src/plan/capture";
import { awsMock, azureMock } from "../../src/plan/mocks";

describe("capture: what each resource waits for", () => {
    it("records dependsOn, components expanded, and resources behind an Output whose value hides them", async () => {
        const run = await runProgram({
            config: {},
            stack: "deps",
            clouds: [awsMock, azureMock],
            load: async () => {
                const tier = new pulumi.ComponentResource("emr:test:Tier", "tier");
                new random.RandomString("member", { length: 8 }, { parent: tier });
                const grant = new random.RandomString("grant", { length: 8 });
                const identity = new random.RandomString("identity", { length: 8 });
                // The value is the identity's alone; the grant travels only as the Output's dependency.
                const identityAfterGrant = pulumi.all([identity.result, grant.result]).apply(([id]) => id);
                new random.RandomString("consumer", { length: 8, keepers: { identity: identityAfterGrant } }, { dependsOn: [tier] });
                return {};
            },
        });
        const consumer = run.resources.find((r) => r.name === "consumer")!;
        expect(consumer.dependsOn).toEqual(["emr:test:Tier::tier"]);
        expect([...consumer.dependencies].sort()).toEqual([
            "random:index/randomString:RandomString::grant",
            "random:index/randomString:RandomString::identity",
            "random:index/randomString:RandomString::member",
        ]);
    });
});
