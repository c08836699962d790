// `php auto_configure.php -f <CONFIGURATION>`: OpenEMR's installer as the image runs it.
// Settings: openemr-devops docker/openemr/7.0.3/auto_configure.php L5-21 defaults (iuser 'admin',
// iuserpass 'pass', root 'root', login/pass 'openemr', dbname 'openemr', loginhost 'localhost'),
// overridden by each key=value word ($value = explode("=")[1]), 'BLANK' meaning empty; a failed
// install throws "ERROR: <error_message>" (L44: PHP Fatal error, non-zero exit).
// Steps: openemr/openemr library/classes/Installer.class.php @007b04b, quick_install():
//  1. validate login, iuser (no space), iuserpass, pass;
//  2. root_database_connection(), then try user_database_connection() (login/pass/dbname);
//     only if that fails: create_database(), create_database_user() (CREATE USER ... REQUIRE SSL
//     when FORCE_DATABASE_SSL_CONNECT=1; ALTER USER if it exists), grant_privileges();
//  3. user_database_connection(), load_dumpfiles() (sql/database.sql: CREATE TABLE after CREATE
//     TABLE; one that exists fails "Table 'x' already exists" and the install stops there);
//  4. write_configuration_file() (sites/<site>/sqlconf.php with $config = 1) BEFORE
//  5. add_version_info(), insert_globals(), add_initial_user() (users_secure: password_hash of
//     iuserpass), install_gacl(), ...
// connect_to_database() uses TLS (MYSQLI_CLIENT_SSL with the CA) whenever
// sites/<site>/documents/certificates/mysql-ca exists.
import { createHash } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { connect } from "./fakeMysql.mjs";
import { imageConfig, sleepScaled } from "./imageConfig.mjs";

const sites = "/var/www/localhost/htdocs/openemr/sites";

export function parseSettings(words) {
    const settings = { iuser: "admin", iuname: "Administrator", iuserpass: "pass", igroup: "Default", server: "localhost", loginhost: "localhost", port: "3306", root: "root", rootpass: "BLANK", login: "openemr", pass: "openemr", dbname: "openemr", site: "default" };
    for (const word of words) {
        const [key, value = ""] = word.split("=");
        settings[key] = value;
    }
    for (const key of Object.keys(settings)) if (settings[key] === "BLANK") settings[key] = "";
    return settings;
}

/** The schema tables database.sql creates, in its order (a sample: the drill keeps the shape, not all 250). */
export const schemaTables = ["addresses", "amendments", "contact", "globals", "groups", "patient_data", "users", "users_secure", "version"];

/** Runs quick_install; resolves with the debug message or throws Error("ERROR: ..."). */
export async function quickInstall(settings) {
    const s = settings;
    // The drill's record of install attempts (start, and done once quick_install returned true).
    const journal = (line) => writeFileSync(`/.drill/mysql/${s.server}/installs.log`, `${line} ${hostname()}\n`, { flag: "a" });
    journal("start");
    if (!s.login) throw new Error(`ERROR: login is invalid: '${s.login}'`);
    if (s.iuser.includes(" ")) throw new Error(`ERROR: Initial user is invalid: '${s.iuser}'`);
    if (!s.iuserpass) throw new Error(`ERROR: The password for the user is invalid: '${s.iuserpass}'`);
    if (!s.pass) throw new Error(`ERROR: The password for the new database account is invalid: '${s.pass}'`);
    const caFile = existsSync(`${sites}/${s.site}/documents/certificates/mysql-ca`) ? `${sites}/${s.site}/documents/certificates/mysql-ca` : undefined;
    const as = (user, password, database) => connect({ host: s.server, port: s.port, user, password, database, caFile });
    const fail = (error) => {
        throw new Error(`ERROR: ${error.message}`);
    };
    const sql = (conn, statement) => {
        try {
            return conn.query(statement);
        } catch (error) {
            throw new Error(`ERROR: unable to execute SQL: '${statement}' due to: ${error.message}`);
        }
    };
    let root;
    try {
        root = as(s.root, s.rootpass);
    } catch (error) {
        fail({ message: `unable to connect to sql server because of: (${error.code}) ${error.message}` });
    }
    let user;
    try {
        user = as(s.login, s.pass, s.dbname);
    } catch {
        user = undefined;
    }
    if (!user) {
        sql(root, `create database ${s.dbname} character set utf8mb4 collate utf8mb4_general_ci`);
        const exists = sql(root, `SELECT user FROM mysql.user WHERE user = '${s.login}' AND host = '${s.loginhost}'`).length > 0;
        if (exists) sql(root, `ALTER USER '${s.login}'@'${s.loginhost}' IDENTIFIED BY '${s.pass}'`);
        else sql(root, `CREATE USER '${s.login}'@'${s.loginhost}' IDENTIFIED BY '${s.pass}'${process.env.FORCE_DATABASE_SSL_CONNECT === "1" ? " REQUIRE SSL" : ""}`);
        sql(root, `GRANT ALL PRIVILEGES ON ${s.dbname}.* TO '${s.login}'@'${s.loginhost}'`);
    }
    try {
        user = as(s.login, s.pass, s.dbname);
    } catch (error) {
        fail({ message: `unable to connect to database as user: '${s.login}' (${error.message})` });
    }
    for (const table of schemaTables) {
        await sleepScaled(imageConfig().tableMs);
        await user.ddlGate();
        try {
            user.createTable(table);
        } catch (error) {
            throw new Error(`ERROR: unable to execute SQL: 'CREATE TABLE \`${table}\` (...)' due to: ${error.message}`);
        }
    }
    writeFileSync(
        `${sites}/${s.site}/sqlconf.php`,
        `<?php\n//  OpenEMR\n//  MySQL Config\n\n$host\t= '${s.server}';\n$port\t= '${s.port}';\n$login\t= '${s.login}';\n$pass\t= '${s.pass}';\n$dbase\t= '${s.dbname}';\n$db_encoding\t= 'utf8mb4';\n\n$config = 1; /////////////\n?>\n`,
    );
    await sleepScaled(imageConfig().tableMs);
    user.insert("version", { id: 1, v_major: imageConfig().tag.split(".")[0] });
    user.insert("globals", { id: 1, gl_name: "language_default", gl_value: "English (Standard)" });
    user.insert("users", { id: 1, username: s.iuser, lname: s.iuname });
    // password_hash(PASSWORD_DEFAULT) is bcrypt; the drill stores a SHA-256 so it can tell which password it was.
    user.insert("users_secure", { id: 1, username: s.iuser, password: createHash("sha256").update(s.iuserpass).digest("hex") });
    journal("done");
    return "Creating Main tables...\nOK";
}
