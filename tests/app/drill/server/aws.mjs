#!/usr/bin/env node
// AWS CLI v2 stand-in for the Secrets Manager calls of a boot script. It calls the Secrets Manager
// JSON API (https://docs.aws.amazon.com/secretsmanager/latest/apireference/) at
// https://secretsmanager.<region>.amazonaws.com/ with X-Amz-Target secretsmanager.<Operation>, over
// this server's network and TLS; the drill's cloud answers as the instance role of the calling
// server and enforces the access rules the stack declares. Output as the CLI prints it:
// --query SecretString --output text prints the string alone; errors print "An error occurred
// (<Code>) when calling the <Operation> operation: <Message>" and exit 254 ("the command was
// successfully parsed and a request was made to the specified service but the service returned an
// error", https://docs.aws.amazon.com/cli/latest/userguide/cli-chap-returncodes.html).
import { readFileSync } from "node:fs";
import { request } from "node:https";

const args = process.argv.slice(2);
const option = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
};
const unimplemented = () => {
    process.stderr.write(`drill: the aws stand-in does not implement "aws ${args.join(" ")}"\n`);
    process.exit(99);
};
if (args[0] !== "secretsmanager") unimplemented();
const operations = { "get-secret-value": "GetSecretValue", "tag-resource": "TagResource", "untag-resource": "UntagResource", "describe-secret": "DescribeSecret" };
const operation = operations[args[1]] ?? unimplemented();
const region = option("--region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
const body = { SecretId: option("--secret-id") };
if (operation === "TagResource") {
    // Shorthand "Key=k,Value=v" (one or more) or JSON.
    const tags = args.slice(args.indexOf("--tags") + 1).filter((a) => !a.startsWith("--"));
    body.Tags = tags.flatMap((t) => (t.startsWith("[") ? JSON.parse(t) : [Object.fromEntries(t.split(",").map((kv) => kv.split("=")))]));
}
if (operation === "UntagResource") body.TagKeys = args.slice(args.indexOf("--tag-keys") + 1).filter((a) => !a.startsWith("--"));

const payload = JSON.stringify(body);
const req = request(
    {
        host: `secretsmanager.${region}.amazonaws.com`,
        method: "POST",
        path: "/",
        ca: readFileSync("/etc/ssl/certs/ca-certificates.crt"),
        headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `secretsmanager.${operation}`, "Content-Length": Buffer.byteLength(payload) },
        timeout: 5000,
    },
    (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => {
            const reply = text ? JSON.parse(text) : {};
            if (res.statusCode !== 200) {
                process.stderr.write(`\nAn error occurred (${reply.__type}) when calling the ${operation} operation: ${reply.message ?? reply.Message}\n`);
                process.exit(254);
            }
            const query = option("--query");
            const value = query ? reply[query] : reply;
            if (value === undefined) return;
            process.stdout.write(option("--output") === "text" && typeof value === "string" ? `${value}\n` : `${JSON.stringify(value, null, 4)}\n`);
        });
    },
);
req.on("error", (error) => {
    process.stderr.write(`\nCould not connect to the endpoint URL: "https://secretsmanager.${region}.amazonaws.com/" (${error.message})\n`);
    process.exit(255);
});
req.end(payload);
