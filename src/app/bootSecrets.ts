/**
 * The secrets the first install reads, the JSON each cloud stores them as (the contract between
 * the tiers that write them and the boot script, their only machine reader), and how the boot
 * script turns them into the installer's environment.
 *
 * Three secrets, so that each can be granted and revoked on its own:
 * - the database administrator login (creates the app user and the schema, once);
 * - the app login OpenEMR connects with (the installer writes it into sites/default/sqlconf.php);
 * - OpenEMR's first administrator, whose password the operator reads for the first login.
 * The servers can read all three only while an install can still happen; the serving containers
 * never see any of them (they read sqlconf.php from the shared sites/).
 */

/** A database login in the field names RDS itself uses for its secrets (username, password, host, port). */
export interface DbLoginSecret {
    username: string;
    password: string;
    host: string;
    port: number;
    /** The app login only: the database OpenEMR's install creates. */
    dbname?: string;
}

/** OpenEMR's first administrator (the installer's `iuser` / `iuserpass`). */
export interface EmrAdminSecret {
    username: string;
    password: string;
}

/** Which secret each installer variable comes from, and which field. */
export const installerEnv = {
    MYSQL_ROOT_USER: ["dbAdmin", "username"],
    MYSQL_ROOT_PASS: ["dbAdmin", "password"],
    MYSQL_USER: ["dbApp", "username"],
    MYSQL_PASS: ["dbApp", "password"],
    OE_USER: ["emrAdmin", "username"],
    OE_PASS: ["emrAdmin", "password"],
} as const;

export type InstallSecret = (typeof installerEnv)[keyof typeof installerEnv][0];

/** The install secrets a cloud names for the boot script (ARNs on AWS, Key Vault secret URLs on Azure). */
export type InstallSecretRefs = Record<InstallSecret, string>;

/**
 * jq program for one secret: prints `VAR=value` docker --env-file lines for the variables that
 * secret feeds. It refuses empty values and any whitespace, `=`, quote or backslash: the image's
 * openemr.sh passes the settings on word-split (8.0.0 `php auto_configure.php ... -f ${CONFIGURATION}`;
 * the newer `read -r -a config_args <<< "${CONFIGURATION}"`), auto_configure.php splits each on
 * `=` (`explode("=", $argv[$i])`) and the installer writes the app password between single quotes
 * into sqlconf.php. The generated passwords never contain any of these (src/app/dbLogins.ts).
 */
export function secretToEnvLines(secret: InstallSecret): string {
    const fields = Object.entries(installerEnv)
        .filter(([, [from]]) => from === secret)
        .map(([env, [, field]]) => `${env}: .${field}`);
    return [
        `{${fields.join(", ")}}`,
        `to_entries[]`,
        `if (.value | type) == "string" and (.value | test("^[^\\\\s='\\"\\\\\\\\]+$")) then "\\(.key)=\\(.value)" else error("install secret: \\(.key) is missing or holds a character the installer cannot pass") end`,
    ].join(" | ");
}
