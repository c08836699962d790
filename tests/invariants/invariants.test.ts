import { beforeAll, describe, expect, it } from "vitest";
import { readModel, type EmrModel } from "../../src/plan/model";
import { simulateZoneLoss, tierNames } from "../../src/plan/zones";
import { baseConfig, runStack } from "../harness";

/**
 * The design's "equivalent multi-AZ EMR" invariants (design.md), checked over the neutral model
 * read from each stack's captured graph. The same assertions run for every cloud and shape.
 */
const stacks = [
    { label: "aws, 2 zones", config: { ...baseConfig.aws }, zones: 2, singleNat: false },
    { label: "aws, 3 zones", config: { ...baseConfig.aws, "emr:zones": "3" }, zones: 3, singleNat: false },
    { label: "aws, single-nat", config: { ...baseConfig.aws, "emr:egress": "single-nat" }, zones: 2, singleNat: true },
    { label: "azure, 2 zones", config: { ...baseConfig.azure }, zones: 2, singleNat: false },
    { label: "azure, 3 zones", config: { ...baseConfig.azure, "emr:zones": "3" }, zones: 3, singleNat: false },
    { label: "azure, single-nat", config: { ...baseConfig.azure, "emr:egress": "single-nat" }, zones: 2, singleNat: true },
];

const alertEmail = "oncall@example.org";

describe.each(stacks)("invariants: $label", ({ config, zones, singleNat }) => {
    let model: EmrModel;
    beforeAll(async () => {
        model = readModel((await runStack({ ...config, "emr:alertEmail": alertEmail })).ok());
    });

    it("1. web subnets, server groups and the load balancer span all configured zones; servers heal and scale", () => {
        expect(model.zones).toHaveLength(zones);
        expect(model.loadBalancers).toHaveLength(1);
        for (const lb of model.loadBalancers) expect(lb.zones).toEqual(model.zones);
        expect(model.serverGroups).toHaveLength(1);
        for (const sg of model.serverGroups) {
            expect(sg.zones).toEqual(model.zones);
            expect(sg.replacesUnhealthy && sg.autoscales && sg.capacityOwnedByAutoscaler).toBe(true);
        }
    });

    it("2. losing any one zone leaves every tier serving (single-nat: egress is reported lost)", () => {
        const natZones = model.egress.flatMap((e) => (e.placement.kind === "zonal" ? [e.placement.zone] : []));
        for (const zone of model.zones) {
            const outcomes = simulateZoneLoss(model, zone);
            expect(outcomes.map((o) => o.tier)).toEqual([...tierNames]);
            const failed = outcomes.filter((o) => !o.survives).map((o) => o.tier);
            // The cheap egress mode must not hide its single point of failure.
            expect(failed).toEqual(singleNat && natZones.includes(zone) ? ["egress"] : []);
            expect(outcomes.find((o) => o.tier === "database")!.rpo).toBe("0");
        }
    });

    it("3. only the load balancer is reachable from the internet; the database lives in data subnets", () => {
        expect(model.publicEndpoints).toEqual(model.loadBalancers.map((lb) => lb.key));
        for (const sg of model.serverGroups) expect(sg.publicIp).toBe(false);
        for (const db of model.databases) {
            expect(db.public).toBe(false);
            expect(db.inDataSubnets).toBe(true);
        }
        for (const store of model.stores) expect(store.public).toBe(false);
    });

    it("4. everything is encrypted at rest with customer keys, TLS >= 1.2 in transit, the database requires TLS", () => {
        expect(model.unencrypted).toEqual([]);
        for (const store of model.stores) {
            expect(store.encrypted).toBe(true);
            expect(store.customerManagedKey).toBe(true);
            expect(store.tlsOnly).toBe(true);
        }
        for (const lb of model.loadBalancers) {
            expect(Number(lb.minTlsVersion)).toBeGreaterThanOrEqual(1.2);
            expect(lb.httpRedirectsToHttps).toBe(true);
            expect(lb.firewall?.managedRuleSets.length).toBeGreaterThanOrEqual(2);
            expect(lb.firewall?.rateLimit && lb.firewall.blocks).toBe(true);
        }
        expect(model.databases).toHaveLength(1);
        for (const db of model.databases) {
            expect(db.encrypted && db.customerManagedKey).toBe(true);
            expect(db.requiresTls).toBe(true);
        }
    });

    it("5. backups: 35-day point-in-time restore; documents on the shared file system, backed up off the zone, alarmed, deletion guarded", () => {
        for (const db of model.databases) {
            expect(db.backupRetentionDays).toBe(35);
            expect(db.automaticFailover).toBe(true);
            expect(db.deletionProtection && db.backupsOutliveDeletion && db.protect).toBe(true);
        }
        // One store: the file system every server mounts where OpenEMR writes documents.
        expect(model.stores).toHaveLength(1);
        for (const store of model.stores) {
            expect(store).toMatchObject({ holdsDocuments: true, backedUpOffZone: true, protect: true, capacityAlarm: true, backupFailureAlarm: true });
            expect(store.placement.kind).not.toBe("zonal");
        }
    });

    it("6. audit logs everywhere with a set retention; alarms on web, db and storage notify the on-call address", () => {
        expect(model.audit.flowLogRetentionDays).toBe(365);
        expect(model.audit.loadBalancerAccessLogs).toBe(true);
        expect(model.audit.databaseAuditLogRetentionDays).toBe(365);
        expect(model.audit.controlPlaneTrail).toBe(true);
        expect(model.audit.logRetentionDays.every((d) => typeof d === "number" && d >= 30)).toBe(true);
        for (const tier of ["web", "db", "storage"] as const) {
            expect(model.alarms.filter((a) => a.tier === tier).length).toBeGreaterThan(0);
        }
        for (const alarm of model.alarms) expect(alarm.notifies).toEqual([alertEmail]);
    });

    it("8. sessions survive the loss of any one zone: a zone-redundant store, TLS and a password, private, used by every server", () => {
        expect(model.sessionStores).toHaveLength(1);
        for (const store of model.sessionStores) {
            expect(store).toMatchObject({ tls: true, auth: true, encrypted: true, public: false, usedByServers: true });
            expect(store.placement.kind).toBe("zone-redundant");
        }
        for (const zone of model.zones) {
            const sessions = simulateZoneLoss(model, zone).find((o) => o.tier === "sessions")!;
            expect(sessions.survives, zone).toBe(true);
            expect(sessions.rpo, zone).not.toMatch(/every session/);
        }
        expect(model.alarms.filter((a) => a.tier === "sessions").length).toBeGreaterThanOrEqual(3);
        expect(model.publicEndpoints).not.toContain(model.sessionStores[0].key);
    });

    it("7. secrets are generated, secret in state, customer-encrypted, and fetched at boot by the servers", () => {
        expect(model.secrets.length).toBeGreaterThan(0);
        for (const secret of model.secrets) {
            expect(secret.generated && secret.secretInState && secret.encryptedWithCustomerKey).toBe(true);
        }
        for (const sg of model.serverGroups) {
            expect(sg.fetchesSecretAtBoot).toBe(true);
            expect(sg.bootConfigHasSecret).toBe(false);
        }
    });
});
