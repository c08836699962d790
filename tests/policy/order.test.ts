import { describe, expect, it } from "vitest";
import { createdBefore } from "../../src/policy/order";
import { graphOf, resource } from "./fixtures";

describe("creation order", () => {
    const tier = resource("emr:t:Tier", "tier", {}, { custom: false });
    const a = resource("t:x", "a");
    const b = resource("t:x", "b", {}, { dependencies: [a.key] });
    const c = resource("t:x", "c", {}, { dependencies: [b.key] });
    const childOfCustom = resource("t:x", "child", {}, { parent: c.key });
    const childOfComponent = resource("t:x", "member", {}, { parent: tier.key });
    const g = graphOf(tier, a, b, c, childOfCustom, childOfComponent);

    it("follows dependencies transitively", () => {
        expect([...createdBefore(g, c)].sort()).toEqual([a.key, b.key]);
        expect(createdBefore(g, a).size).toBe(0);
    });

    it("puts a custom parent (and what it waits for) before its children, a component parent not", () => {
        expect([...createdBefore(g, childOfCustom)].sort()).toEqual([a.key, b.key, c.key]);
        expect(createdBefore(g, childOfComponent).size).toBe(0);
    });
});
