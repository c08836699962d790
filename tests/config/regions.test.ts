import { describe, expect, it } from "vitest";
import { Region } from "@pulumi/aws/types/enums";
import { awsRegions, azureRegionsWithoutZones, azureZonalRegions } from "../../src/config/regions";
import { didYouMean, editDistance } from "../../src/config/suggest";
import { validateConfig } from "../../src/config";
import { baseConfig } from "../harness";

describe("the regions a stack may name", () => {
    it("are the AWS commercial regions the installed provider knows: an upgrade that adds one fails here until it is listed", () => {
        const commercial = Object.values(Region).filter((r) => !/^(us-gov|cn|us-iso[a-z]*|eu-isoe|eusc)-/.test(r));
        expect([...awsRegions].sort()).toEqual(commercial.sort());
    });

    it("keep Azure's zonal and zoneless lists apart", () => {
        expect(azureZonalRegions.filter((r) => (azureRegionsWithoutZones as readonly string[]).includes(r))).toEqual([]);
    });

    it.each([
        ["aws", "aws:region", awsRegions],
        ["azure", "azure-native:location", azureZonalRegions],
    ] as const)("every listed %s region is accepted", (cloud, key, regions) => {
        for (const region of regions) expect(validateConfig({ ...baseConfig[cloud], [key]: region }).region).toBe(region);
    });
});

describe("did you mean", () => {
    it("finds the name meant: a typo, swapped letters, a display name, an abbreviation", () => {
        expect(didYouMean("us-east1", awsRegions)).toBe("us-east-1");
        expect(didYouMean("eu-wset-1", awsRegions)).toBe("eu-west-1");
        expect(didYouMean("West Europe", azureZonalRegions)).toBe("westeurope");
        expect(didYouMean("natGb", ["natProcessedGb", "internetEgressGb"])).toBe("natProcessedGb");
    });

    it("suggests nothing for a name near nothing", () => {
        expect(didYouMean("colour", ["cloud", "zones"])).toBeUndefined();
        expect(didYouMean("mars-north-1", awsRegions)).toBeUndefined();
    });

    it("counts a swap of neighbours as one edit", () => {
        expect(editDistance("zoens", "zones")).toBe(1);
        expect(editDistance("kitten", "sitting")).toBe(3);
    });
});
