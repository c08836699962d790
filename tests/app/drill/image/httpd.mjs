// Apache + PHP of the image (`exec /usr/sbin/httpd -D FOREGROUND`), as far as a boot and a load
// balancer see them:
// - start-up: openemr.conf L65-66 (SSLCertificateFile /etc/ssl/certs/webserver.cert.pem,
//   SSLCertificateKeyFile /etc/ssl/private/webserver.key.pem); a missing or empty file stops Apache:
//   "AH00526: Syntax error on line 65 of /etc/apache2/conf.d/openemr.conf: SSLCertificateFile: file
//   '/etc/ssl/certs/webserver.cert.pem' does not exist or is empty" (openemr-devops#545); then it
//   listens on 0.0.0.0:80 (Dockerfile: sed 's/^Listen 80$/Listen 0.0.0.0:80/').
// - /interface/login/login.php (openemr/openemr interface/login/login.php @003367c): $ignoreAuth,
//   globals.php -> library/sql.inc.php (@012c093): no connection -> HelpfulDie("Could not connect to
//   server!") which echoes an error page and exit(1): HTTP 200 all the same; a failing query
//   (half-built schema) -> HelpfulDie("query failed: ...") -> 200 too; else the login form, 200.
//   An unconfigured site ($config 0) is sent to setup.php (index.php's rule).
// - 8.x only, /meta/health/livez and /meta/health/readyz (meta/health/index.php @2143ef0): not
//   installed -> {"status":"setup_required","checks":{"installed":false}}; installed ->
//   globals.php (so an unreachable database ends in HelpfulDie's page, 200) then HealthChecker
//   (src/Health/HealthChecker.php @351cfa2): {"status":"ready","checks":{"database":<bool>,...}}
//   -- "status" stays "ready" whatever the checks say; every answer is 200. Access: the first
//   version (apis/health/.htaccess @351cfa2) had "Require local" (403 to anyone else; Apache
//   mod_authz_host: local = 127.0.0.0/8, ::1, or the connection's own address); the later
//   meta/health/.htaccess (@fbbede6) leaves it to the infrastructure. The drill applies the
//   stricter rule, so a boot that passes here passes with either image.
// - 7.0.3 has no meta/health: 404.
import { existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "./fakeMysql.mjs";
import { imageConfig, readSqlconf } from "./imageConfig.mjs";

const sites = "/var/www/localhost/htdocs/openemr/sites";
const certificate = "/etc/ssl/certs/webserver.cert.pem";
const key = "/etc/ssl/private/webserver.key.pem";
const nonEmpty = (path) => existsSync(path) && statSync(path).size > 0;

for (const [directive, file, line] of [["SSLCertificateFile", certificate, 65], ["SSLCertificateKeyFile", key, 66]]) {
    if (!nonEmpty(file)) {
        process.stderr.write(`AH00526: Syntax error on line ${line} of /etc/apache2/conf.d/openemr.conf:\n${directive}: file '${file}' does not exist or is empty\n`);
        process.exit(1);
    }
}

function helpfulDie(conf, statement, sqlError) {
    return `Check that you can ping the server ${conf.host}.<p><h2><font color='red'>Query Error</font></h2><p><font color='red'>ERROR:</font> ${statement}</p><p>Error: <font color='red'>${sqlError}</font></p>`;
}

/** globals.php's database part: the connection sql.inc.php makes with sqlconf.php's login. */
function bootstrap() {
    const conf = readSqlconf(`${sites}/default/sqlconf.php`);
    const caFile = existsSync(`${sites}/default/documents/certificates/mysql-ca`) ? `${sites}/default/documents/certificates/mysql-ca` : undefined;
    try {
        return { conf, db: connect({ host: conf.host, port: conf.port, user: conf.login, password: conf.pass, database: conf.dbase, caFile }) };
    } catch (error) {
        return { conf, die: helpfulDie(conf, "Could not connect to server!", error.message) };
    }
}

function loginPage() {
    const conf = readSqlconf(`${sites}/default/sqlconf.php`);
    if (conf.config !== 1) return [302, "text/html", "", { Location: "/setup.php?site=default" }];
    const { db, die } = bootstrap();
    if (die) return [200, "text/html", die];
    try {
        db.rows("globals");
        db.rows("users");
    } catch (error) {
        return [200, "text/html", helpfulDie(conf, "query failed: SELECT gl_name, gl_value FROM globals", error.message)];
    }
    return [200, "text/html", "<html><head><title>OpenEMR Login</title></head><body><form method='POST' action='../main/main_screen.php?auth=login&site=default'><input name='authUser'><input name='clearPass' type='password'></form></body></html>"];
}

function readyz() {
    const conf = readSqlconf(`${sites}/default/sqlconf.php`);
    if (conf.config !== 1) return [200, "application/json", JSON.stringify({ status: "setup_required", checks: { installed: false } })];
    const { db, die } = bootstrap();
    if (die) return [200, "text/html", die];
    let database = true;
    try {
        db.rows("globals");
    } catch {
        database = false;
    }
    return [200, "application/json", JSON.stringify({ status: "ready", checks: { database, filesystem: true, session: true, oauth_keys: true, cache: true } })];
}

const isLocal = (socket) => /^(127\.|::1$|::ffff:127\.)/.test(socket.remoteAddress) || socket.remoteAddress === socket.localAddress;

const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    let answer;
    if (path === "/interface/login/login.php") answer = loginPage();
    else if (imageConfig().health && path.startsWith("/meta/health/")) {
        if (!isLocal(req.socket)) answer = [403, "text/html", "<title>403 Forbidden</title><p>You don't have permission to access this resource.</p>"];
        else if (path.endsWith("/livez")) answer = [200, "application/json", JSON.stringify({ status: "alive" })];
        else if (path.endsWith("/readyz")) answer = readyz();
        else answer = [404, "application/json", JSON.stringify({ error: "Not found", message: "Valid endpoints are /livez and /readyz" })];
    } else answer = [404, "text/html", "<title>404 Not Found</title>"];
    const [status, type, body, headers = {}] = answer;
    res.writeHead(status, { "Content-Type": type, ...headers });
    res.end(body);
});
server.listen(80, "0.0.0.0");
