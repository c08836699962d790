import * as dbformysql from "@pulumi/azure-native/dbformysql";
import type * as pulumi from "@pulumi/pulumi";
import { serverParameters } from "./dbSettings";

/**
 * The server parameters of dbSettings.ts, applied strictly one after another: a flexible server
 * rejects a parameter update while another is in progress (ServerBusy), so each Configuration
 * depends on the previous one. Returns them in order; the last one done means all are.
 */
export function dbParameters(name: string, server: dbformysql.Server, resourceGroupName: pulumi.Input<string>): dbformysql.Configuration[] {
    const applied: dbformysql.Configuration[] = [];
    for (const [parameter, value] of serverParameters) {
        const previous = applied[applied.length - 1];
        applied.push(
            new dbformysql.Configuration(
                `${name}-${parameter.replace(/_/g, "-")}`,
                { resourceGroupName, serverName: server.name, configurationName: parameter, value, source: "user-override" },
                { parent: server, dependsOn: previous ? [previous] : [] },
            ),
        );
    }
    return applied;
}
