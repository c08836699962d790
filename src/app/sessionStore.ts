import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * The shared PHP session store, handed to PHP directly: a PHP ini file the boot puts in a
 * directory PHP scans, never the image's REDIS_* variables.
 *
 * Why not the image's REDIS_* variables: in both generations of its entrypoint the image's Redis
 * section is unusable here (tests/app/drill/image/redisSessions.mjs models both):
 * - "release" (openemr/openemr docker/release/openemr.sh @6269a99, configure_redis_sessions)
 *   prints `Configuring Redis sessions: ${redis_path}`, password included, into the serving
 *   container's log, which the servers ship to CloudWatch Logs / Azure Monitor; and when the store
 *   does not answer within 10 s it silently leaves PHP on file sessions;
 * - "devops" (openemr/openemr-devops docker/openemr/8.0.0/openemr.sh @0a01646) builds
 *   `REDIS_PATH="${REDIS_SERVER}:6379"`, so Azure Managed Redis's port 10000 becomes
 *   `host:10000:6379` and every session fails.
 * With REDIS_SERVER unset neither section runs, so nothing is printed and nothing falls back.
 *
 * What PHP gets instead (sessionPhpIni): `session.save_handler = redis` and a save path in
 * phpredis's syntax (phpredis README "PHP Session handler"; redis_session.c @0fe45d2 PS_OPEN_FUNC
 * L446-548): the URL's scheme is the stream transport (`tls://host`, L515-521), its query is
 * parsed by PHP's own query parser (`sapi_module.treat_data(PARSE_STRING, ...)`, L478, which
 * URL-decodes every value: php-src main/php_variables.c php_default_treat_data, php_url_decode),
 * `auth` may be an array with `pass` (L490; library.c redis_extract_auth_info L4382-4425),
 * `stream` an array of SSL context options (L492, redis_sock_set_stream_context), `timeout` the
 * connect timeout in seconds (L485; the default is 86400, which would hang every PHP worker on a
 * store that stops answering). The CA is verified with PHP's defaults (verify_peer and
 * verify_peer_name on: php.net/manual/en/context.ssl.php) against `stream[cafile]`.
 *
 * Both stores' certificates chain to public roots that the servers' own CA bundles hold, which
 * the boot copies next to the ini file: ElastiCache's in-transit certificates to Amazon Trust
 * Services' Amazon Root CA 1 (docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html;
 * openemr-on-ecs openemr_ecs/compute.py @2d68a42 "Download the Amazon Root CA required for
 * ElastiCache Valkey TLS connections"), in AL2023's /etc/pki/tls/certs/ca-bundle.crt; Azure
 * Managed Redis's to DigiCert Global Root G2 (learn.microsoft.com/azure/redis/tls-configuration),
 * in Ubuntu's /etc/ssl/certs/ca-certificates.crt (src/aws/webBoot.ts, src/azure/webBoot.ts sessionCaFile).
 */

/** Where the serving container finds the ini file and the CA (the boot's tmpfs directory, mounted read-only). */
export const sessionDirInContainer = "/etc/emr-php";
/** The ini file PHP scans (only `*.ini` files are read: php-src main/php_ini.c php_init_config). */
export const sessionIniName = "emr-session.ini";
/** The CA bundle the store's certificate must chain to (no `.ini`: PHP's scan skips it). */
export const sessionCaName = "session-ca.pem";
/** phpredis's connect timeout (seconds) for a session: a store that stops answering fails requests in this time. */
export const sessionConnectTimeoutSeconds = 5;

/**
 * The serving container's PHP_INI_SCAN_DIR: the empty element before `:` is PHP's compiled-in scan
 * directory (/etc/php84/conf.d in the image), so the image's own conf.d is still read, then ours
 * (php.net/manual/en/configuration.file.php, "PHP_INI_SCAN_DIR": "If a blank directory is given
 * ... PHP will also scan the directory given at compile time"; php-src main/php_ini.c
 * php_init_config: "empty string means default builtin value to allow "/foo/php.d:" or ":/foo/php.d"").
 */
export const sessionIniScanDir = `:${sessionDirInContainer}`;

/** phpredis's session lock settings (redis.c: PHP_INI_ALL, so an ini file sets them), OpenEMR's numbers (sessionPhpIni). */
export const sessionLocking = { locking_enabled: 1, lock_expire: 60, lock_wait_time: 50_000, lock_retries: 1200 } as const;

/** The session store's secret: where the store is, its password, and the PHP ini built from them. */
export interface SessionSecret {
    host: string;
    port: number;
    password: string;
    /** What the boot writes to the serving container's ini directory (sessionPhpIni). */
    phpIni: string;
}

/** Every byte but a letter or a digit as %XX: nothing left that a URL query, an ini quote or a shell could read otherwise. */
const percentEncode = (value: string) => [...Buffer.from(value, "utf8")].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");

/**
 * The PHP ini for a store. Sessions are locked, as PHP's file handler locks them: phpredis takes
 * a lock key next to the session when it reads it and releases it when PHP closes the session
 * (redis_session.c @0fe45d2: lock_acquire `SET <key>_LOCK <host|pid> NX PX <lock_expire ms>`,
 * retried lock_retries times lock_wait_time µs apart; lock_release EVALSHA, then EVAL, of a
 * compare-and-delete script). Without it two requests of one user race and the last write wins:
 * OpenEMR's own Redis handler for its Sentinel mode adds a lock for exactly that ("Without a lock,
 * concurrent requests for the same session can race and the last write wins, silently discarding
 * earlier changes", openemr/openemr @3c9c9b6 src/Common/Session/Predis/LockingRedisSessionHandler.php),
 * and in OpenEMR the session carries the chart in use (pid, encounter). Its numbers are taken:
 * a lock lives 60 s (DEFAULT_LOCK_TTL_SECONDS, so a crashed request blocks nobody longer), a
 * request waits for it up to 60 s (DEFAULT_LOCK_MAX_WAIT_SECONDS) polling every 50 ms
 * (LOCK_SPIN_WAIT_US). OpenEMR opens its session read-and-close by default (SessionUtil
 * coreSessionStart `$read_only = true`), so a lock is held only for a read or a short write.
 * The save path is double-quoted: inside double quotes PHP's ini scanner
 * treats only `"`, `\`, `$` specially (php-src Zend/zend_ini_scanner.l, <ST_DOUBLE_QUOTES> and
 * zend_ini_escape_string; `${` starts a variable), and the path holds none of them: the host is a
 * DNS name, the password fully percent-encoded (PHP's query parser decodes it back).
 */
export function sessionPhpIni(host: string, port: number, password: string): string {
    if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new Error(`session store host is not a DNS name: ${host}`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`session store port is not a port: ${port}`);
    if (!password) throw new Error("session store password is empty");
    const query = [`auth[pass]=${percentEncode(password)}`, `stream[cafile]=${sessionDirInContainer}/${sessionCaName}`, `timeout=${sessionConnectTimeoutSeconds}`].join("&");
    const locking = Object.entries(sessionLocking).map(([key, value]) => `redis.session.${key} = ${value}`);
    return [`session.save_handler = redis`, `session.save_path = "tls://${host}:${port}?${query}"`, ...locking, ""].join("\n");
}

export const sessionSecretJson = (host: pulumi.Input<string>, port: number, password: pulumi.Input<string>): pulumi.Output<string> =>
    pulumi.secret(
        pulumi.all([host, password]).apply(([h, p]) => JSON.stringify({ host: h, port, password: p, phpIni: sessionPhpIni(h, port, p) } satisfies SessionSecret)),
    );

/**
 * 48 letters and digits, within ElastiCache's AUTH token rules (16-128 printable characters
 * without space, `"`, `/`, `@`: docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html).
 */
export function sessionPassword(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    const generated = new random.RandomPassword(name, { length: 48, special: false, minLower: 1, minUpper: 1, minNumeric: 1 }, { parent });
    return pulumi.secret(generated.result);
}

/** jq over the session secret: the PHP ini file (refused when missing). */
export const sessionIniJq = ".phpIni";

/**
 * Run in the serving container once it is ready (`php -r`, as root, the image's user): PHP opens a
 * session in the store and writes it, with the container's own settings. session_start() reads
 * through the handler (phpredis: connect, TLS, AUTH, GET) and session_write_close() writes
 * (SETEX); a failure in either is only a warning (php-src ext/session/session.c
 * php_session_initialize "Failed to read session data", php_session_save_current_state "Failed to
 * write session data"), so the error handler turns a warning (E_WARNING only: a deprecation
 * elsewhere must not fail a healthy server) into exit 1. The handler must be redis: a PHP that did
 * not read the ini would pass on file sessions. Those warnings quote
 * session.save_path, password included: the boot sends this program's output nowhere (stdout,
 * where the CLI displays errors, and stderr) and turns logging off (an error_log file would keep
 * them), though with the handler set first no warning reaches either. No cookie
 * is involved (session.use_cookies=0: the CLI has no client to send one to).
 */
export const sessionCheckPhp = `set_error_handler(fn() => exit(1), E_WARNING); ini_get("session.save_handler") === "redis" || exit(1); session_start(); $_SESSION["emr"] = 1; session_write_close();`;
