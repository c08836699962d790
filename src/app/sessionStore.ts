import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * The shared PHP session store, as the OpenEMR image consumes it. The image configures PHP's
 * phpredis session handler from its own environment (REDIS_SERVER, REDIS_PASSWORD, REDIS_TLS), in
 * the two generations of its entrypoint the 8.x line shipped:
 *
 * - "devops" (openemr/openemr-devops docker/openemr/8.0.0/openemr.sh @0a01646, the section
 *   `if [ "${REDIS_SERVER}" != "" ] && [ ! -f /etc/php-redis-configured ]`): the port is fixed,
 *   `REDIS_PATH="${REDIS_SERVER}:6379"`; a password alone gives `?auth[pass]=${REDIS_PASSWORD}`;
 *   `REDIS_TLS=yes` gives `tls://...&stream[cafile]=file:///var/www/localhost/htdocs/openemr/
 *   sites/default/documents/certificates/redis-ca`; it writes `session.save_handler = redis` and
 *   `session.save_path = "<path>"` to /etc/php${PHP_VERSION_ABBR}/conf.d/redis-session.ini, checks
 *   both with `php -r ini_get(...)` and exits 1 on a mismatch.
 * - "release" (openemr/openemr docker/release/openemr.sh @00239a7 and @6269a99,
 *   configure_redis_sessions): `IFS=: read -r redis_host redis_port _ <<< "${REDIS_SERVER}"`,
 *   port defaulting to 6379, so REDIS_SERVER may be `host:port`; `wait_for_redis` tries `nc -z`
 *   for 10 s and, when the store does not answer, leaves PHP on file sessions with only a warning
 *   ("Redis at ... not available, using file sessions"); it writes conf.d/99-redis-sessions.ini.
 *   It joins the query parameters with `\&` inside double quotes (`get_connector="\&"`, a left-over
 *   of the 7.x sed replacement), which bash keeps as a backslash followed by `&`, so the value
 *   before each `\&` (the password, with REDIS_TLS) gets a trailing backslash.
 *
 * Both generations copy /root/certs/redis/redis-ca into sites/default/documents/certificates/
 * (only when absent there), the CA file the TLS path names.
 *
 * What the boot therefore passes (sessionEnvLines; src/app/bootScript.ts writeSessionEnv):
 * - REDIS_SERVER: the host alone on 6379 (both generations), `host:port` otherwise (release only);
 * - REDIS_PASSWORD: the password followed by `&emr=`: the parameter after the password is then a
 *   dummy one, which absorbs the release generation's stray backslash (`auth[pass]=<pw>&emr=\&stream...`)
 *   and is empty in the devops generation (`auth[pass]=<pw>&emr=&stream...`); phpredis reads only
 *   the parameters it knows (auth, stream, timeout, ...). The password is percent-encoded for that
 *   query string (sessionEnvLines);
 * - REDIS_TLS=yes, and the OS's CA bundle as redis-ca (both stores' certificates chain to public
 *   roots: Amazon Root CA 1 for ElastiCache, as openemr-on-ecs fetches for its Valkey,
 *   openemr_ecs/compute.py @2d68a42 "Download the Amazon Root CA required for ElastiCache Valkey
 *   TLS connections"; DigiCert roots for Azure Managed Redis).
 * REDIS_USERNAME is not used: with it the release generation would append the backslash to the
 * user name, which no dummy parameter can absorb.
 */

/** The port on which both image generations reach the store without a port in REDIS_SERVER. */
export const imageDefaultRedisPort = 6379;

/** The session store's secret: where the store is, its password, and the serving container's env-file lines built from them. */
export interface SessionSecret {
    host: string;
    port: number;
    password: string;
    /** What the boot hands the serving container as a docker --env-file (sessionEnvLines). */
    imageEnv: string;
}

/**
 * The image's variables for a store (see above). The password is percent-encoded: phpredis parses
 * the save path's query with PHP's own query parser, which URL-decodes every value (php-src
 * main/php_variables.c php_default_treat_data: `php_url_decode`), so an Azure access key's `+`, `/`
 * and `=` reach the store unchanged (encodeURIComponent leaves letters and digits, the AWS token's
 * alphabet, as they are). The host must be a DNS name: it becomes part of a URL and an env line.
 */
export function sessionEnvLines(host: string, port: number, password: string): string {
    if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new Error(`session store host is not a DNS name: ${host}`);
    if (!password) throw new Error("session store password is empty");
    const server = port === imageDefaultRedisPort ? host : `${host}:${port}`;
    return [`REDIS_SERVER=${server}`, `REDIS_PASSWORD=${encodeURIComponent(password)}&emr=`, "REDIS_TLS=yes", ""].join("\n");
}

export const sessionSecretJson = (host: pulumi.Input<string>, port: number, password: pulumi.Input<string>): pulumi.Output<string> =>
    pulumi.secret(
        pulumi.all([host, password]).apply(([h, p]) => JSON.stringify({ host: h, port, password: p, imageEnv: sessionEnvLines(h, port, p) } satisfies SessionSecret)),
    );

/**
 * 48 letters and digits: query-string, ini-quote and shell safe (see above), within ElastiCache's
 * AUTH token rules (16-128 printable characters without space, `"`, `/`, `@`:
 * docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html).
 */
export function sessionPassword(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    const generated = new random.RandomPassword(name, { length: 48, special: false, minLower: 1, minUpper: 1, minNumeric: 1 }, { parent });
    return pulumi.secret(generated.result);
}


/** jq over the session secret: the serving container's env-file lines (refused when missing). */
export const sessionEnvJq = ".imageEnv";

/**
 * Run inside the serving container once it is ready: true when PHP's session handler is the
 * store's, as both generations write it (conf.d/redis-session.ini or conf.d/99-redis-sessions.ini,
 * a line `session.save_handler = redis`). The release generation falls back to file sessions when
 * the store does not answer at start; such a server must not serve (it would log users out again).
 */
export const sessionHandlerCheck = `grep -qsx "session.save_handler = redis" /etc/php*/conf.d/*.ini`;
