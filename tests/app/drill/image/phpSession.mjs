#!/usr/bin/env node
// What a PHP request of the serving container does with its session (globals.php starts one on
// every page), run by the drill inside the container (`docker exec emr node phpSession.mjs <id>`)
// as `php -r 'session_id($id); session_start(); $_SESSION["drill"] = 1; session_write_close();'`
// would, printing one JSON line of what happened (the image's `php` CLI, phpCli.mjs, runs the same
// session through phpSession()):
// - the handler and path are PHP's ini settings (php.mjs);
// - files: the session stays in this container ({"handler":"files"});
// - redis (phpredis redis_session.c @8443769 PS_OPEN_FUNC): the save_path is split at commas and
//   blanks, each URL parsed by php_url_parse_ex (php-src ext/standard/url.c: the port is what
//   follows the host's LAST colon, so "h:10000:6379" is host "h:10000", port 6379), its query by
//   PHP's own query parser (sapi treat_data PARSE_STRING: split at "&", keys with [] make arrays,
//   values URL-decoded by php_url_decode, which also turns "+" into a space); `auth` (a string, or
//   newer phpredis' array with pass and user) is sent as AUTH, `stream` is the TLS context: the
//   peer's certificate must chain to stream[cafile] and name the host (PHP's verify_peer and
//   verify_peer_name default on; a cafile given as a file:// URL is read as that path). Then
//   session_start's read, GET PHPREDIS_SESSION:<id> (PS_READ_FUNC; an error reply fails it), and
//   session_write_close's SETEX PHPREDIS_SESSION:<id> <session.gc_maxlifetime> <data> (PS_WRITE_FUNC),
//   which must answer +OK.
import { readFileSync } from "node:fs";
import { connect } from "node:tls";
import { iniSettings } from "./php.mjs";

/** php_url_decode: "+" is a space, %XX a byte, a malformed % stays as it is. */
const phpUrlDecode = (s) => s.replace(/\+/g, " ").replace(/%([0-9a-fA-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

/** PHP's parse of a query string into nested arrays (only the one level of [] phpredis uses). */
function parseQuery(query) {
    const params = {};
    for (const pair of query.split("&").filter(Boolean)) {
        const [rawKey, ...rest] = pair.split("=");
        const key = phpUrlDecode(rawKey);
        const value = phpUrlDecode(rest.join("="));
        const m = /^([^[]+)\[([^\]]*)\]$/.exec(key);
        if (m) params[m[1]] = { ...(typeof params[m[1]] === "object" ? params[m[1]] : {}), [m[2]]: value };
        else params[key] = value;
    }
    return params;
}

function parseUrl(url) {
    const m = /^([a-z]+):\/\/([^/?#]*)(?:\?(.*))?$/.exec(url);
    if (!m) return undefined;
    const at = m[2].lastIndexOf(":");
    const port = at >= 0 && /^\d{1,5}$/.test(m[2].slice(at + 1)) ? Number(m[2].slice(at + 1)) : 6379;
    return { scheme: m[1], host: at >= 0 ? m[2].slice(0, at) : m[2], port, params: parseQuery(m[3] ?? "") };
}

function session(url, id, lifetime) {
    const auth = typeof url.params.auth === "object" ? url.params.auth : url.params.auth === undefined ? undefined : { pass: url.params.auth };
    const cafile = url.params.stream?.cafile?.replace(/^file:\/\//, "");
    return new Promise((resolve) => {
        const done = (result) => (socket.destroy(), resolve({ handler: "redis", host: url.host, port: url.port, ...result }));
        const options = { host: url.host, port: url.port, servername: url.host, timeout: 3000 };
        let socket;
        try {
            socket = url.scheme === "tls" ? connect({ ...options, ca: cafile ? readFileSync(cafile) : undefined }) : connect(options);
        } catch (error) {
            return resolve({ handler: "redis", error: `stream context: ${error.message}` });
        }
        const commands = [...(auth ? [auth.user ? ["AUTH", auth.user, auth.pass] : ["AUTH", auth.pass]] : []), ["GET", `PHPREDIS_SESSION:${id}`], ["SETEX", `PHPREDIS_SESSION:${id}`, String(lifetime), "drill|i:1;"]];
        const replies = [];
        socket.on("error", (error) => done({ error: error.message }));
        socket.on("timeout", () => done({ error: "timeout" }));
        socket.on(url.scheme === "tls" ? "secureConnect" : "connect", () => {
            socket.write(commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`).join(""));
        });
        socket.on("data", (chunk) => {
            // RESP replies: +OK / -ERR ... lines, and GET's bulk string ($-1 for none, else $<n> then the data).
            const lines = chunk.toString().split("\r\n").filter(Boolean);
            for (let i = 0; i < lines.length; i++) replies.push(lines[i].startsWith("$") && lines[i] !== "$-1" ? `${lines[i]} ${lines[++i]}` : lines[i]);
            if (replies.length >= commands.length) done(replies.every((r) => r === "+OK" || r.startsWith("$")) ? { written: `PHPREDIS_SESSION:${id}` } : { error: replies.join(" ") });
        });
    });
}

/** One session started and written with PHP's settings (`overrides`: php -d); what happened. */
export async function phpSession(id, overrides = {}) {
    const settings = { ...iniSettings(), ...overrides };
    const handler = settings["session.save_handler"] ?? "files";
    if (handler !== "redis") return { handler };
    const first = (settings["session.save_path"] ?? "").split(/[\s,]+/).find(Boolean) ?? "";
    const url = parseUrl(first);
    return url ? session(url, id, Number(settings["session.gc_maxlifetime"] ?? 1440)) : { handler, error: `Failed to parse session.save_path (url was '${first}')` };
}

if (process.argv[1]?.endsWith("/phpSession.mjs")) process.stdout.write(`${JSON.stringify(await phpSession(process.argv[2]))}\n`);
