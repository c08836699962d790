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
// - with redis.session.locking_enabled (phpredis redis_session.c @0fe45d2; defaults redis.c L113-116):
//   the read first takes the lock (lock_acquire L265-334: `SET PHPREDIS_SESSION:<id>_LOCK
//   <hostname>|<pid> NX PX <ms>`, the expiry lock_expire or else max_execution_time, no PX when 0;
//   +OK takes it, any other reply waits lock_wait_time µs (0: 20000) and tries again, up to
//   lock_retries more times (0: 100; -1: for ever); not taken, the read fails, L778-781), the write
//   first checks it still holds it when lock_expire is set (write_allowed L340-374: GET of the lock
//   key equals the secret, else "Unable to write session: session lock not held"), and the close
//   releases it (lock_release L381-411: EVALSHA of the script's SHA1, then EVAL of the script
//   itself while no reply came back; still held: the warning "Failed to release session lock").
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { connect } from "node:tls";
import { iniSettings } from "./php.mjs";

/** phpredis's release script and its SHA1 (redis_session.c LOCK_RELEASE_LUA_STR / LOCK_RELEASE_SHA_STR). */
export const lockReleaseScript = 'if redis.call("get",KEYS[1]) == ARGV[1] then return redis.call("del",KEYS[1]) else return 0 end';
export const lockReleaseSha = "b70c2384248f88e6b75b9f89241a180f856ad852";

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

/** One RESP reply off the front of `buffer`: [reply, bytes used], or undefined when incomplete. A reply is its line ("+OK", ":1", "-ERR ...") or, for a bulk string, {bulk: data or null}. */
function reply(buffer) {
    const eol = buffer.indexOf("\r\n");
    if (eol < 0) return undefined;
    const line = buffer.subarray(0, eol).toString();
    if (!line.startsWith("$")) return [line, eol + 2];
    const length = Number(line.slice(1));
    if (length < 0) return [{ bulk: null }, eol + 2];
    if (buffer.length < eol + 2 + length + 2) return undefined;
    return [{ bulk: buffer.subarray(eol + 2, eol + 2 + length).toString() }, eol + 2 + length + 2];
}

/** A connection that sends one command at a time and resolves with its reply (phpredis's redis_simple_cmd); rejects on a network failure. */
function client(socket) {
    let buffer = Buffer.alloc(0);
    const waiting = [];
    socket.on("data", (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (let next = reply(buffer); next && waiting.length; next = reply(buffer)) {
            buffer = buffer.subarray(next[1]);
            waiting.shift().resolve(next[0]);
        }
    });
    const fail = (error) => waiting.splice(0).forEach((w) => w.reject(error));
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed")));
    return (...args) =>
        new Promise((resolve, reject) => {
            waiting.push({ resolve, reject });
            socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join("")}`);
        });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const int = (settings, key, fallback) => Number.parseInt(settings[key] ?? fallback, 10) || 0;

async function session(url, id, settings) {
    const auth = typeof url.params.auth === "object" ? url.params.auth : url.params.auth === undefined ? undefined : { pass: url.params.auth };
    const cafile = url.params.stream?.cafile?.replace(/^file:\/\//, "");
    const base = { handler: "redis", host: url.host, port: url.port };
    const options = { host: url.host, port: url.port, servername: url.host, timeout: 3000 };
    let socket;
    try {
        socket = url.scheme === "tls" ? connect({ ...options, ca: cafile ? readFileSync(cafile) : undefined }) : connect(options);
    } catch (error) {
        return { handler: "redis", error: `stream context: ${error.message}` };
    }
    try {
        await new Promise((ready, failed) => {
            socket.once(url.scheme === "tls" ? "secureConnect" : "connect", ready);
            socket.once("error", failed);
            socket.once("timeout", () => failed(new Error("timeout")));
        });
        socket.setTimeout(0);
        const call = client(socket);
        if (auth) {
            const said = await call(...(auth.user ? ["AUTH", auth.user, auth.pass] : ["AUTH", auth.pass]));
            if (said !== "+OK") return { ...base, error: said };
        }
        const key = `PHPREDIS_SESSION:${id}`;
        const lock = { key: `${key}_LOCK`, secret: `${hostname()}|${process.pid}`, held: false };
        const locking = int(settings, "redis.session.locking_enabled", "0") !== 0;
        if (locking) {
            const wait = int(settings, "redis.session.lock_wait_time", "20000") || 20000;
            const retries = int(settings, "redis.session.lock_retries", "100") || 100;
            const expiry = int(settings, "redis.session.lock_expire", "0") || int(settings, "max_execution_time", "0");
            const set = expiry > 0 ? ["SET", lock.key, lock.secret, "NX", "PX", String(expiry * 1000)] : ["SET", lock.key, lock.secret, "NX"];
            for (let i = 0; retries === -1 || i <= retries; i++) {
                if ((await call(...set)) === "+OK") {
                    lock.held = true;
                    break;
                }
                if (retries === -1 || i < retries) await sleep(wait / 1000);
            }
            if (!lock.held) return { ...base, error: "Failed to acquire session lock" };
        }
        const read = await call("GET", key);
        if (typeof read === "string") return { ...base, error: read };
        if (locking && lock.held && int(settings, "redis.session.lock_expire", "0") !== 0) {
            const holder = await call("GET", lock.key);
            lock.held = holder?.bulk === lock.secret;
            if (!lock.held) return { ...base, error: "Unable to write session: session lock not held" };
        }
        const wrote = await call("SETEX", key, String(int(settings, "session.gc_maxlifetime", "1440")), "drill|i:1;");
        if (wrote !== "+OK") return { ...base, error: typeof wrote === "string" ? wrote : "SETEX" };
        for (const [command, script] of [["EVALSHA", lockReleaseSha], ["EVAL", lockReleaseScript]]) {
            if (!lock.held) break;
            if (!String(await call(command, script, "1", lock.key, lock.secret)).startsWith("-")) lock.held = false;
        }
        if (lock.held) return { ...base, error: "Failed to release session lock" };
        return { ...base, written: key, locked: locking };
    } catch (error) {
        return { ...base, error: error.message };
    } finally {
        socket.destroy();
    }
}

/** One session started and written with PHP's settings (`overrides`: php -d); what happened. */
export async function phpSession(id, overrides = {}) {
    const settings = { ...iniSettings(), ...overrides };
    const handler = settings["session.save_handler"] ?? "files";
    if (handler !== "redis") return { handler };
    const first = (settings["session.save_path"] ?? "").split(/[\s,]+/).find(Boolean) ?? "";
    const url = parseUrl(first);
    return url ? session(url, id, settings) : { handler, error: `Failed to parse session.save_path (url was '${first}')` };
}

if (process.argv[1]?.endsWith("/phpSession.mjs")) process.stdout.write(`${JSON.stringify(await phpSession(process.argv[2]))}\n`);
