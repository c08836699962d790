// The session store (ElastiCache for Valkey, cluster mode off, transit encryption required and an
// AUTH token: src/aws/sessionTier.ts; Azure Managed Redis, Encrypted client protocol with an
// access key: src/azure/sessionTier.ts), as a client in the VPC / VNet meets it: TLS on the
// store's port (6379 / 10000) with a certificate for its host name that chains to the world's
// public root (Amazon Root CA 1 and DigiCert in the real worlds), then RESP
// (valkey.io/topics/protocol: arrays of bulk strings, or an inline command line). Before AUTH
// every command but AUTH, HELLO and QUIT answers "-NOAUTH Authentication required."
// (valkey.io/commands/auth); `AUTH <password>` or `AUTH default <password>` with the token/key
// answers +OK, anything else "-WRONGPASS invalid username-password pair or user is disabled.".
// Then what PHP's session handler sends (phpredis redis_session.c @8443769: GET, SETEX with
// session.gc_maxlifetime, DEL on PHPREDIS_SESSION:<id>), PING, and its session lock
// (image/phpSession.mjs): SET with NX and PX (valkey.io/commands/set: NX sets only an absent key
// and answers a nil bulk otherwise; PX gives it a life in milliseconds, after which it is absent),
// and the release script through EVALSHA and EVAL (valkey.io/commands/evalsha: a script not in the
// server's script cache answers "-NOSCRIPT No matching script. Please use EVAL."; EVAL caches the
// script under its SHA1). The one script the drill's store runs is phpredis's compare-and-delete;
// any other is refused loudly, so the drill cannot come to rely on scripts it does not model. The
// script cache lives in the process, as a server's does. The keys live in cloud.json
// sessionStore.data with the name of the server that wrote them, so the drill can see which
// server's sessions reached the store. Down (sessionStore.up false, set through the control
// socket) it closes its listening socket: a connection is refused, as a stopped node's port is.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:tls";

/**
 * A certificate for `host`, issued by the world's root (host/pki.ts), made with openssl as the drill's PKI is.
 * The serial file is this world's own: worlds start in parallel and share the root, and openssl
 * rewrites its serial file in place (a reader between the truncate and the write fails with
 * "Unable to load number", as CI did). With -CAcreateserial and no file, openssl 3 draws a random
 * serial (openssl-x509(1), -CAserial / -CAcreateserial).
 */
function certificateFor(host, tlsDir, dir) {
    const ssl = (...args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "store.key.pem", "-out", "store.csr", "-subj", "/CN=drill session store"); // a CN holds 64 characters at most (RFC 5280 ub-common-name); the name is in the SAN
    execFileSync("sh", ["-c", `printf 'subjectAltName=DNS:%s\\n' "$0" > store.ext`, host], { cwd: dir });
    ssl("x509", "-req", "-in", "store.csr", "-CA", `${tlsDir}/root.cert.pem`, "-CAkey", `${tlsDir}/root.key.pem`, "-CAserial", "store.srl", "-CAcreateserial", "-days", "2", "-extfile", "store.ext", "-out", "store.cert.pem");
    return { key: readFileSync(`${dir}/store.key.pem`), cert: readFileSync(`${dir}/store.cert.pem`) };
}

/** Splits complete RESP commands off `buffer`: [commands, rest]. */
function parse(buffer) {
    const commands = [];
    let at = 0;
    for (;;) {
        const eol = buffer.indexOf("\r\n", at);
        if (eol < 0) break;
        if (buffer[at] !== 0x2a) {
            commands.push(buffer.subarray(at, eol).toString().trim().split(/\s+/).filter(Boolean));
            at = eol + 2;
            continue;
        }
        const count = Number(buffer.subarray(at + 1, eol).toString());
        const args = [];
        let p = eol + 2;
        for (let i = 0; i < count; i++) {
            const lineEnd = buffer.indexOf("\r\n", p);
            if (lineEnd < 0) return [commands, buffer.subarray(at)];
            const length = Number(buffer.subarray(p + 1, lineEnd).toString());
            if (buffer.length < lineEnd + 2 + length + 2) return [commands, buffer.subarray(at)];
            args.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + length).toString());
            p = lineEnd + 2 + length + 2;
        }
        commands.push(args);
        at = p;
    }
    return [commands, buffer.subarray(at)];
}

const bulk = (value) => (value === undefined ? "$-1\r\n" : `$${Buffer.byteLength(value)}\r\n${value}\r\n`);

/** Starts the store of `state.sessionStore` ({address, host, port, password, up}); returns a switch for its listener. */
/** phpredis's lock release script (redis_session.c LOCK_RELEASE_LUA_STR), the only one this store runs. */
const lockRelease = 'if redis.call("get",KEYS[1]) == ARGV[1] then return redis.call("del",KEYS[1]) else return 0 end';
const sha1 = (text) => createHash("sha1").update(text).digest("hex");

export function sessionStore(state, tlsDir, dir, who, save, record) {
    const store = state.sessionStore;
    store.data ??= {};
    const scripts = new Set();
    /** The live entry under `key`: one whose PX life has run out is gone. */
    const live = (key) => {
        const entry = store.data[key];
        if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) delete store.data[key];
        return store.data[key];
    };
    /** EVAL / EVALSHA of the release script: DEL the key if it holds the secret; the integer reply. */
    const release = ([keys, key, secret]) => {
        if (keys !== "1") return "-ERR the drill's store runs the lock release script with one key\r\n";
        if (live(key)?.value !== secret) return ":0\r\n";
        delete store.data[key];
        save();
        return ":1\r\n";
    };
    const server = createServer(certificateFor(store.host, tlsDir, dir), (socket) => {
        const caller = who(socket.remoteAddress.replace(/^::ffff:/, ""));
        let authenticated = false;
        let pending = Buffer.alloc(0);
        socket.on("error", () => undefined);
        socket.on("data", (chunk) => {
            const [commands, rest] = parse(Buffer.concat([pending, chunk]));
            pending = rest;
            for (const [name = "", ...args] of commands) {
                const command = name.toUpperCase();
                let reply;
                if (command === "QUIT") reply = "+OK\r\n";
                else if (command === "AUTH") {
                    const [user, password] = args.length === 1 ? ["default", args[0]] : args;
                    authenticated = user === "default" && password === store.password;
                    reply = authenticated ? "+OK\r\n" : "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
                    record(`${caller} REDIS AUTH ${authenticated ? "ok" : "refused"}`);
                } else if (!authenticated) reply = "-NOAUTH Authentication required.\r\n";
                else if (command === "PING") reply = "+PONG\r\n";
                else if (command === "GET") reply = bulk(live(args[0])?.value);
                else if (command === "SET") {
                    const [key, value, ...options] = args;
                    const flags = options.map((o) => o.toUpperCase());
                    const px = flags.indexOf("PX");
                    const ms = px >= 0 ? Number(options[px + 1]) : undefined;
                    const known = flags.every((f, i) => ["NX", "PX"].includes(f) || flags[i - 1] === "PX");
                    if (!known || (ms !== undefined && !(ms > 0))) reply = "-ERR syntax error\r\n";
                    else if (flags.includes("NX") && live(key)) reply = "$-1\r\n";
                    else {
                        store.data[key] = { value, by: caller, ...(ms ? { expiresAt: Date.now() + ms } : {}) };
                        save();
                        reply = "+OK\r\n";
                    }
                } else if (command === "EVAL") {
                    const [script, ...rest] = args;
                    if (script !== lockRelease) reply = "-ERR the drill's store runs only phpredis's session lock release script\r\n";
                    else {
                        scripts.add(sha1(script));
                        reply = release(rest);
                    }
                } else if (command === "EVALSHA") {
                    const [sha, ...rest] = args;
                    reply = scripts.has(sha.toLowerCase()) ? release(rest) : "-NOSCRIPT No matching script. Please use EVAL.\r\n";
                }
                else if (command === "SETEX") {
                    store.data[args[0]] = { value: args[2], by: caller };
                    save();
                    reply = "+OK\r\n";
                } else if (command === "DEL") {
                    const had = args[0] in store.data;
                    delete store.data[args[0]];
                    save();
                    reply = `:${had ? 1 : 0}\r\n`;
                } else reply = `-ERR unknown command '${name}', with args beginning with: \r\n`;
                socket.write(reply);
                if (command === "QUIT") socket.end();
            }
        });
    });
    const listen = () => new Promise((ready) => server.listen(store.port, store.address, ready));
    return {
        ready: store.up ? listen() : Promise.resolve(),
        /** Brings the store up or down (closing the listener: new connections are refused). */
        async set(up) {
            if (up && !server.listening) await listen();
            if (!up && server.listening) server.close(); // stops accepting at once; open connections end on their own
            store.up = up;
            save();
        },
    };
}
