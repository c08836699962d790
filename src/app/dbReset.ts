/**
 * Resetting a half-built install before every install attempt (openemr-boot-review.md D4). The
 * installer is not idempotent: once the app user or the database exists, the next attempt fails
 * for ever ("Table ... already exists", openemr-devops#337), so the lock holder first drops what an
 * earlier attempt left behind.
 *
 * It runs in the OpenEMR image itself (its `mariadb` client: docker/release/Dockerfile
 * `apk add ... mariadb-client`) over TLS with full server verification against the same CA file
 * the installer gets. It refuses to drop a database that holds patients: an install that never
 * finished has none, so a lost marker on the shared file system can never cost patient data.
 * POSIX sh: the image's /bin/sh is busybox ash.
 */
export const dbResetScriptPath = "/usr/local/sbin/emr-db-reset.sh";

/** Where the reset container finds the script and the CA. */
export const dbResetMounts = { script: "/emr-db-reset.sh", ca: "/emr-db-ca.pem" } as const;

/**
 * The reset script. Reads MYSQL_HOST, MYSQL_PORT, MYSQL_DATABASE, MYSQL_ROOT_USER/PASS and
 * MYSQL_USER from its environment (the installer's own env file). Exit 3 = refused (patients found).
 */
export function dbResetScript(): string {
    return `#!/bin/sh
# emr-db-reset: drops a half-built OpenEMR database and app user, never one with patients.
set -eu
sql() {
    MYSQL_PWD="$MYSQL_ROOT_PASS" mariadb --ssl --ssl-ca=${dbResetMounts.ca} --ssl-verify-server-cert \\
        -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_ROOT_USER" --batch --skip-column-names -e "$1"
}
case "$MYSQL_DATABASE$MYSQL_USER" in *[!A-Za-z0-9_]*) echo "emr-db-reset: unexpected database or user name" >&2; exit 2 ;; esac
tables=$(sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$MYSQL_DATABASE' AND table_name = 'patient_data'")
if [ "$tables" != 0 ]; then
    patients=$(sql "SELECT COUNT(*) FROM \\\`$MYSQL_DATABASE\\\`.patient_data")
    if [ "$patients" != 0 ]; then
        echo "emr-db-reset: refusing to reset: $MYSQL_DATABASE holds $patients patients" >&2
        exit 3
    fi
fi
sql "DROP DATABASE IF EXISTS \\\`$MYSQL_DATABASE\\\`; DROP USER IF EXISTS '$MYSQL_USER'@'%'"
echo "emr-db-reset: database $MYSQL_DATABASE and user $MYSQL_USER are clear"
`;
}
