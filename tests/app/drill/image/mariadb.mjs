#!/usr/bin/env node
// The image's MariaDB command-line client (Dockerfile: apk add mariadb-client), for statements a
// boot script sends through `docker run --rm --entrypoint mariadb <image> ...` (e.g. a reset before
// an install). Options as mariadb(1): -h/--host, -P/--port, -u/--user, -p<pw>/--password=<pw>,
// MYSQL_PWD, --ssl-ca=<file> (TLS verified against it), --ssl / --skip-ssl, -e/--execute "<SQL>",
// -f/--force (go on after an error), a database name. Errors print as the client does:
// "ERROR <code> (HY000): <message>" and exit 1.
import { connect } from "./fakeMysql.mjs";

const opts = { host: "localhost", port: 3306, user: process.env.USER ?? "root", password: process.env.MYSQL_PWD ?? "", caFile: undefined, execute: undefined, database: "", force: false };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => args[++i];
    if (a === "-h" || a === "--host") opts.host = next();
    else if (a.startsWith("--host=")) opts.host = a.slice(7);
    else if (a.startsWith("-h") && a.length > 2) opts.host = a.slice(2);
    else if (a === "-P" || a === "--port") opts.port = Number(next());
    else if (a.startsWith("--port=")) opts.port = Number(a.slice(7));
    else if (a === "-u" || a === "--user") opts.user = next();
    else if (a.startsWith("--user=")) opts.user = a.slice(7);
    else if (a.startsWith("-u") && a.length > 2) opts.user = a.slice(2);
    else if (a.startsWith("--password=")) opts.password = a.slice(11);
    else if (a.startsWith("-p") && a.length > 2) opts.password = a.slice(2);
    else if (a.startsWith("--ssl-ca=")) opts.caFile = a.slice(9);
    else if (a === "--ssl-ca") opts.caFile = next();
    else if (a === "--skip-ssl" || a === "--ssl=0") opts.caFile = undefined;
    else if (a === "--ssl" || a === "--ssl-verify-server-cert") continue;
    else if (a === "-e" || a === "--execute") opts.execute = next();
    else if (a.startsWith("--execute=")) opts.execute = a.slice(10);
    else if (a === "-f" || a === "--force") opts.force = true;
    else if (a === "-N" || a === "-B" || a === "-s" || a === "--batch" || a === "--silent" || a === "--skip-column-names") continue;
    else if (!a.startsWith("-")) opts.database = a;
    else {
        process.stderr.write(`drill: the mariadb stand-in does not implement option ${a}\n`);
        process.exit(99);
    }
}
const error = (e) => process.stderr.write(`ERROR ${e.code} (HY000): ${e.message}\n`);
let conn;
try {
    conn = connect({ host: opts.host, port: opts.port, user: opts.user, password: opts.password, database: opts.database, caFile: opts.caFile });
} catch (e) {
    error(e);
    process.exit(1);
}
let failed = false;
for (const statement of (opts.execute ?? "").split(";").map((s) => s.trim()).filter(Boolean)) {
    try {
        for (const row of conn.query(statement)) process.stdout.write(`${Object.values(row).join("\t")}\n`);
    } catch (e) {
        error(e);
        failed = true;
        if (!opts.force) break;
    }
}
process.exit(failed ? 1 : 0);
