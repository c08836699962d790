import { beforeAll, describe, expect, it } from "vitest";
import { readModel, type EmrModel } from "../../src/plan/model";
import { baseConfig, runStack } from "../harness";

/** One neutral config, built on both clouds: the neutral facts must come out the same. */
const neutral = {
    "emr:zones": "3",
    "emr:minServers": "3",
    "emr:maxServers": "9",
    "emr:backupRetentionDays": "21",
    "emr:alertEmail": "pager@clinic.example",
};

const facts = (m: EmrModel, outputs: Record<string, unknown>) => ({
    zones: m.zones.length,
    loadBalancerZones: m.loadBalancers.map((lb) => lb.zones.length),
    servers: m.serverGroups.map((s) => ({ min: s.min, max: s.max, zones: s.zones.length, replacesUnhealthy: s.replacesUnhealthy, autoscales: s.autoscales })),
    database: m.databases.map((d) => ({ zones: d.placement.kind === "zone-redundant" ? d.placement.zones.length >= 2 : false, failover: d.automaticFailover, retention: d.backupRetentionDays, tls: d.requiresTls })),
    minTls: m.loadBalancers.map((lb) => lb.minTlsVersion),
    waf: m.loadBalancers.map((lb) => !!lb.firewall && lb.firewall.rateLimit && lb.firewall.blocks),
    alertAddresses: [...new Set(m.alarms.flatMap((a) => a.notifies))],
    // The documents are a folder of the shared file system (the one OpenEMR writes them to), written
    // as an NFS path: an EFS id's root, or the Azure share's source.
    documentsPath: [`${outputs.sharedFileSystem}:/sites/default/documents`, `${outputs.sharedFileSystem}/sites/default/documents`].includes(String(outputs.documentsPath)) &&
        (String(outputs.documentsPath).match(/:\//g) ?? []).length === 1,
    // Names with a value: an output the mocks leave undefined is no output at all.
    outputs: Object.keys(outputs).filter((k) => outputs[k] !== undefined && outputs[k] !== "").sort(),
});

describe("the same neutral config on AWS and Azure", () => {
    const built: Record<string, ReturnType<typeof facts>> = {};
    beforeAll(async () => {
        for (const cloud of ["aws", "azure"] as const) {
            const g = (await runStack({ ...baseConfig[cloud], ...neutral })).ok();
            built[cloud] = facts(readModel(g), g.run.outputs);
        }
    });

    it("yields the same zones, scaling bounds, database HA and retention, TLS floor, WAF, alert address and outputs", () => {
        expect(built.azure).toEqual(built.aws);
        expect(built.aws).toMatchObject({
            zones: 3,
            servers: [{ min: 3, max: 9, zones: 3 }],
            database: [{ failover: true, retention: 21, tls: true }],
            minTls: ["1.2"],
            waf: [true],
            alertAddresses: ["pager@clinic.example"],
            documentsPath: true,
            outputs: ["adminPasswordSecret", "alertTopic", "backupTarget", "dbEndpoint", "documentsPath", "sharedFileSystem", "url", "zones"],
        });
    });
});
