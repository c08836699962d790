// The Docker stand-in's log drivers, the ones a boot names (src/app: json-file for the installer,
// awslogs on AWS and syslog on Azure for the serving container):
// - options are checked when the container is created, as moby's logger.ValidateLogOpts does: the
//   generic `mode` / `max-buffer-size` (docs.docker.com/engine/logging/configure/) and the dual
//   logging cache's `cache-*` (docs.docker.com/engine/logging/dual-logging/) for every driver, then
//   the driver's own keys; an unknown one is "unknown log opt '<key>' for <driver> log driver";
// - syslog (moby daemon/logger/syslog/syslog.go): `syslog-address` unix:// or unixgram:// must
//   exist when the container is created (parseAddress: `os.Stat(url.Path)`), the facility is a
//   name or 0-23 (parseFacility), the default tag is the container's short id; each line goes to
//   the socket as `<tag>` at the facility, stdout at info, stderr at err. Forwarded here by
//   util-linux logger(1), one per stream (node has no unix datagram socket);
// - awslogs: `awslogs-group` is required (docs.docker.com/engine/logging/drivers/awslogs). With
//   mode=non-blocking the driver creates its stream in the background and drops what it cannot
//   send, so a container starts whatever CloudWatch says; the drill does not carry the lines to
//   CloudWatch (see the drill2 report).
// Every driver also keeps the local cache `docker logs` reads (the json lines dockerState writes).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { DockerError } from "./dockerError.mjs";

const generic = ["mode", "max-buffer-size", "cache-disabled", "cache-max-size", "cache-max-file", "cache-compress"];
const driverKeys = {
    "json-file": ["max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag"],
    syslog: ["syslog-address", "syslog-facility", "syslog-tag", "syslog-tls-ca-cert", "syslog-tls-cert", "syslog-tls-key", "syslog-tls-skip-verify", "syslog-format", "tag", "labels", "env"],
    awslogs: ["awslogs-region", "awslogs-endpoint", "awslogs-group", "awslogs-stream", "awslogs-create-group", "awslogs-create-stream", "awslogs-datetime-format", "awslogs-multiline-pattern", "awslogs-credentials-endpoint", "awslogs-force-flush-interval-seconds", "awslogs-max-buffered-events", "awslogs-format", "tag"],
};
const facilities = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"];

function syslogSocket(address) {
    const m = /^(unix|unixgram):\/\/(.+)$/.exec(address ?? "");
    if (!m) throw new DockerError(`the docker stand-in does not implement syslog-address ${address}`, 99, "drill: ");
    if (!existsSync(m[2])) throw new DockerError(`stat ${m[2]}: no such file or directory`);
    return m[2];
}

/** moby's checks at create time; throws the daemon's error. */
export function validateLogConfig({ Type, Config }) {
    const keys = driverKeys[Type];
    if (!keys) throw new DockerError(`the docker stand-in does not implement the ${Type} log driver`, 99, "drill: ");
    for (const key of Object.keys(Config)) if (!generic.includes(key) && !keys.includes(key)) throw new DockerError(`unknown log opt '${key}' for ${Type} log driver`);
    if (Type === "syslog") {
        syslogSocket(Config["syslog-address"]);
        const facility = Config["syslog-facility"] ?? "daemon";
        if (!facilities.includes(facility) && !(/^\d+$/.test(facility) && Number(facility) <= 23)) throw new DockerError("invalid syslog facility");
    }
    if (Type === "awslogs" && !Config["awslogs-group"]) throw new DockerError("must specify a value for log opt 'awslogs-group'");
}

/** Where a running container's lines go besides the local cache: a function (stream, line), and a closer. */
export function openLogSink(container) {
    const { Type, Config } = container.HostConfig.LogConfig;
    if (Type !== "syslog") return { write: () => {}, close: () => {} };
    const tag = Config.tag ?? Config["syslog-tag"] ?? container.Id.slice(0, 12);
    const facility = Config["syslog-facility"] ?? "daemon";
    const socket = syslogSocket(Config["syslog-address"]);
    const forwarder = (level) => spawn("logger", ["--socket", socket, "--tag", tag, "--priority", `${facility}.${level}`], { stdio: ["pipe", "ignore", "ignore"] });
    const streams = { stdout: forwarder("info"), stderr: forwarder("err") };
    return {
        write: (stream, line) => streams[stream].stdin.write(`${line}\n`),
        close: () => Object.values(streams).forEach((child) => child.stdin.end()),
    };
}
