// The fake MySQL server behind the database host name: a state folder (reached by containers at
// /.drill/mysql/<host>) holding server.json (port, reachable, require_secure_transport, the CA its
// certificate chains to, the admin login), users/, and databases/<db>/<table>.json. The rules and
// messages are MySQL 8.0's (https://dev.mysql.com/doc/mysql-errors/8.0/en/):
//  2005 Unknown MySQL server host, 2002 Can't connect, 2026 SSL connection error (the client's CA
//  file does not hold the server's CA), 3159 insecure transport with require_secure_transport=ON
//  (RDS/Azure MySQL with TLS required), 1045 Access denied (also for a REQUIRE SSL user without
//  TLS), 1049 Unknown database, 1007 database exists, 1396 Operation CREATE USER failed, 1050
//  Table already exists, 1146 Table doesn't exist, 1142 command denied. DDL commits at once
//  (implicit commit), so a killed installer leaves the tables it created, as on a real server.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from "node:fs";

export class MysqlError extends Error {
    constructor(code, message) {
        super(`${message}`);
        this.code = code;
    }
}

const root = (host) => `/.drill/mysql/${host}`;
const userFile = (host, user, from) => `${root(host)}/users/${user}@${from}.json`;
const quoteless = (s) => s.replace(/^[`'"]|[`'"]$/g, "");

export function connect({ host, port = 3306, user, password, database = "", caFile }) {
    const dir = root(host);
    if (!existsSync(`${dir}/server.json`)) throw new MysqlError(2005, `Unknown MySQL server host '${host}' (-2)`);
    const server = JSON.parse(readFileSync(`${dir}/server.json`, "utf8"));
    if (!server.reachable || Number(port) !== server.port) throw new MysqlError(2002, `Can't connect to MySQL server on '${host}:${port}' (110)`);
    const tls = Boolean(caFile);
    if (tls && !(existsSync(caFile) && readFileSync(caFile, "utf8").includes(server.caPem.trim()))) {
        throw new MysqlError(2026, "SSL connection error: error:0A000086:SSL routines::certificate verify failed");
    }
    if (server.requireSecureTransport && !tls) throw new MysqlError(3159, "Connections using insecure transport are prohibited while --require_secure_transport=ON.");
    const account = user === server.admin.user ? { password: server.admin.password, admin: true } : existsSync(userFile(host, user, "%")) ? JSON.parse(readFileSync(userFile(host, user, "%"), "utf8")) : undefined;
    if (!account || account.password !== password || (account.requireSsl && !tls)) {
        throw new MysqlError(1045, `Access denied for user '${user}'@'10.0.0.10' (using password: ${password ? "YES" : "NO"})`);
    }
    if (database && !existsSync(`${dir}/databases/${database}`)) throw new MysqlError(1049, `Unknown database '${database}'`);
    if (database && !account.admin && !(account.grants ?? []).includes(database)) {
        throw new MysqlError(1044, `Access denied for user '${user}'@'%' to database '${database}'`);
    }
    return new Connection(host, user, account, database);
}

class Connection {
    constructor(host, user, account, database) {
        Object.assign(this, { host, user, account, database });
        this.dir = root(host);
    }

    alive() {
        const server = JSON.parse(readFileSync(`${this.dir}/server.json`, "utf8"));
        if (!server.reachable) throw new MysqlError(2013, "Lost connection to MySQL server during query");
    }

    tables() {
        const dir = `${this.dir}/databases/${this.database}`;
        return existsSync(dir) ? readdirSync(dir).map((f) => f.replace(/\.json$/, "")) : [];
    }

    /**
     * The drill's fault: server.json `stallDdlAfterTables: N` holds every CREATE TABLE once the
     * database has N tables (a database slow to take DDL), so a scenario can kill an installer
     * mid-install for certain; it resumes when the fault is lifted.
     */
    async ddlGate() {
        for (;;) {
            const { stallDdlAfterTables } = JSON.parse(readFileSync(`${this.dir}/server.json`, "utf8"));
            if (stallDdlAfterTables === undefined || stallDdlAfterTables === null || this.tables().length < stallDdlAfterTables) return;
            await new Promise((r) => setTimeout(r, 20));
        }
    }

    /** CREATE TABLE: exclusive create, so two installers racing see "already exists" as MySQL does. */
    createTable(name, rows = []) {
        this.alive();
        try {
            const fd = openSync(`${this.dir}/databases/${this.database}/${name}.json`, "wx");
            writeFileSync(fd, JSON.stringify(rows));
            closeSync(fd);
        } catch (error) {
            if (error.code === "EEXIST") throw new MysqlError(1050, `Table '${name}' already exists`);
            throw new MysqlError(1146, `Table '${this.database}.${name}' doesn't exist`);
        }
    }

    rows(table) {
        this.alive();
        const path = `${this.dir}/databases/${this.database}/${table}.json`;
        if (!existsSync(path)) throw new MysqlError(1146, `Table '${this.database}.${table}' doesn't exist`);
        return JSON.parse(readFileSync(path, "utf8"));
    }

    insert(table, row) {
        const rows = this.rows(table);
        if (rows.some((r) => r.id === row.id)) throw new MysqlError(1062, `Duplicate entry '${row.id}' for key '${table}.PRIMARY'`);
        writeFileSync(`${this.dir}/databases/${this.database}/${table}.json`, JSON.stringify([...rows, row]));
    }

    /** The statements the installer and the mariadb client send, with MySQL's effects and errors. */
    query(sql) {
        this.alive();
        const s = sql.trim().replace(/;$/, "");
        let m;
        if (/^(SET |SELECT 1$|FLUSH PRIVILEGES$|START TRANSACTION$|COMMIT$)/i.test(s)) return [];
        if ((m = /^SHOW DATABASES$/i.exec(s))) return readdirSync(`${this.dir}/databases`).map((d) => ({ Database: d }));
        if ((m = /^SELECT COUNT\(\*\) FROM information_schema\.tables WHERE table_schema = '([^']*)' AND table_name = '([^']*)'$/i.exec(s))) {
            return [{ "COUNT(*)": existsSync(`${this.dir}/databases/${m[1]}/${m[2]}.json`) ? 1 : 0 }];
        }
        if ((m = /^SELECT COUNT\(\*\) FROM `?([A-Za-z0-9_]+)`?\.`?([A-Za-z0-9_]+)`?$/i.exec(s))) {
            const path = `${this.dir}/databases/${m[1]}/${m[2]}.json`;
            if (!existsSync(path)) throw new MysqlError(1146, `Table '${m[1]}.${m[2]}' doesn't exist`);
            if (!this.account.admin && !(this.account.grants ?? []).includes(m[1])) throw new MysqlError(1142, `SELECT command denied to user '${this.user}'@'%' for table '${m[2]}'`);
            return [{ "COUNT(*)": JSON.parse(readFileSync(path, "utf8")).length }];
        }
        this.requireAdmin(s);
        if ((m = /^create database (\S+)/i.exec(s))) {
            if (existsSync(`${this.dir}/databases/${quoteless(m[1])}`)) throw new MysqlError(1007, `Can't create database '${quoteless(m[1])}'; database exists`);
            mkdirSync(`${this.dir}/databases/${quoteless(m[1])}`, { recursive: true });
            return [];
        }
        if ((m = /^drop database (if exists )?(\S+)/i.exec(s))) {
            const dir = `${this.dir}/databases/${quoteless(m[2])}`;
            if (!existsSync(dir) && !m[1]) throw new MysqlError(1008, `Can't drop database '${quoteless(m[2])}'; database doesn't exist`);
            rmSync(dir, { recursive: true, force: true });
            return [];
        }
        if ((m = /^SELECT user FROM mysql\.user WHERE user = '([^']*)' AND host = '([^']*)'$/i.exec(s))) {
            return existsSync(userFile(this.host, m[1], m[2])) ? [{ user: m[1] }] : [];
        }
        if ((m = /^CREATE USER '([^']*)'@'([^']*)' IDENTIFIED BY '([^']*)'( REQUIRE SSL)?$/i.exec(s))) {
            if (existsSync(userFile(this.host, m[1], m[2]))) throw new MysqlError(1396, `Operation CREATE USER failed for '${m[1]}'@'${m[2]}'`);
            writeFileSync(userFile(this.host, m[1], m[2]), JSON.stringify({ password: m[3], requireSsl: Boolean(m[4]), grants: [] }));
            return [];
        }
        if ((m = /^ALTER USER '([^']*)'@'([^']*)' IDENTIFIED BY '([^']*)'$/i.exec(s))) {
            const file = userFile(this.host, m[1], m[2]);
            writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), password: m[3] }));
            return [];
        }
        if ((m = /^DROP USER (IF EXISTS )?'([^']*)'@'([^']*)'$/i.exec(s))) {
            if (!existsSync(userFile(this.host, m[2], m[3])) && !m[1]) throw new MysqlError(1396, `Operation DROP USER failed for '${m[2]}'@'${m[3]}'`);
            rmSync(userFile(this.host, m[2], m[3]), { force: true });
            return [];
        }
        if ((m = /^GRANT ALL PRIVILEGES ON `?([^`.]+)`?\.\* TO '([^']*)'@'([^']*)'$/i.exec(s))) {
            const file = userFile(this.host, m[2], m[3]);
            const account = JSON.parse(readFileSync(file, "utf8"));
            writeFileSync(file, JSON.stringify({ ...account, grants: [...new Set([...account.grants, m[1]])] }));
            return [];
        }
        throw new MysqlError(1064, `You have an error in your SQL syntax (the drill's fake MySQL does not know: ${s.slice(0, 60)})`);
    }

    requireAdmin(statement) {
        if (!this.account.admin) throw new MysqlError(1227, `Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation (${statement.split(" ")[0]})`);
    }
}
