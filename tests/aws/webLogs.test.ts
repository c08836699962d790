import { beforeAll, describe, expect, it } from "vitest";
import { servingContainer } from "../../src/app/healthCheck";
import { baseConfig, runStack, type Graph } from "../harness";
import { bashFunction, logOptions, serveLogArgs } from "../serveLogArgs";

const userDataOf = (g: Graph) => Buffer.from(g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.userData, "base64").toString("utf8");

// The AWS side of what tests/azure/webLogs.test.ts checks on Azure, at a retention other than the default.
describe("aws web servers' container logs, shipped to a log group with the stack's retention (emr:logRetentionDays 90)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, "emr:logRetentionDays": "90" })).ok();
    });

    it("runs the serving container with Docker's awslogs driver into the container log group, which keeps the stack's retention", () => {
        const group = g.byKey("aws:cloudwatch/logGroup:LogGroup::emr-web-container-logs")!;
        expect(group.inputs.retentionInDays).toBe(90);
        const { driver, opts } = logOptions(serveLogArgs(userDataOf(g), servingContainer));
        expect(driver).toBe("awslogs");
        expect(opts).toMatchObject({ "awslogs-region": "us-east-1", "awslogs-group": group.inputs.name, mode: "non-blocking" });
        expect(opts["awslogs-stream"]).toMatch(new RegExp(`/${servingContainer}$`));
    });

    it("keeps the installer's output on the server", () => {
        const text = userDataOf(g);
        expect(bashFunction(text, "install_emr")).toMatch(/docker run -d --name emr-install --log-driver json-file /);
        expect(text.match(/--log-driver awslogs/g)).toHaveLength(1);
    });
});
