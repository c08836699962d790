/**
 * The server's readiness endpoint: the one place that decides whether this server's OpenEMR is
 * ready, used by the boot script (while it waits) and by the load balancer, the gateway and the
 * Azure health extension (over HTTP on {@link healthPort}).
 *
 * Why a host-side endpoint: the load balancers only match status codes, and OpenEMR answers 200
 * even when it cannot reach its database. The login page prints "Could not connect to server!"
 * and exits without an error status (openemr library/sql.inc.php HelpfulDie), and
 * /meta/health/readyz returns 200 "Even on error ... with error details in body"
 * (openemr/openemr meta/health/index.php, apis/health/index.php). Older images also restrict readyz
 * to the container's own localhost (apis/health/.htaccess: `Require local`). So the host asks the
 * container from inside (`docker exec ... curl`; curl is in the image: docker/release/Dockerfile
 * `apk add ... curl`) and turns the JSON verdict into a status code.
 *
 * Ready means: readyz answered, its JSON says `"status": "ready"` and `"checks": {"database": true}`
 * (src/Health/HealthChecker.php getResultsArray; DatabaseCheck runs `SELECT 1` through OpenEMR's
 * own connection). Not ready: "setup_required" (not installed), "error", a non-JSON page (the
 * database is unreachable and sql.inc.php died mid-bootstrap), no answer. The `installed` check is
 * deliberately not required: a known bug makes it report false on running installs
 * (sql.inc.php reassigns the global `$config`).
 *
 * A database the container cannot reach turns the answer unhealthy only once it has lasted
 * `databaseOutageSeconds` (bootTimings.ts): a failover takes the database from every server at
 * once, and an unhealthy answer then would have the clouds replace every server. The boot's own
 * waits (`check`) stay strict: a server starts serving only when OpenEMR is ready.
 *
 * Answers: 200 `{"ApplicationHealthState":"Healthy"}` or 503 `{"ApplicationHealthState":"Unhealthy"}`.
 * That serves both kinds of caller: the ALB and the gateway match 200, and the Azure health
 * extension v2 (Rich Health States) reads the body (MicrosoftDocs/azure-compute-docs
 * virtual-machine-scale-sets-health-extension.md: Healthy = 2xx with that body; a non-2xx answer
 * is Unknown, which repairs treat like Unhealthy).
 */
/** The host port the load balancers probe (opened from the load balancer's network only). */
export const healthPort = 8080;

export const healthScriptPath = "/usr/local/sbin/emr-health.py";
/** The serving container's name: the one the endpoint asks. */
export const servingContainer = "emr";
export const healthUnitName = "emr-health.service";

/**
 * The readiness program (python3 standard library: python3 ships on both server images, it runs
 * cloud-init itself). `check NAME` exits 0 when container NAME is ready; `serve` answers probes
 * from a verdict refreshed every `pollSeconds` in the background, so probes from many gateway and
 * load-balancer nodes cost one `docker exec` per poll, not one each.
 */
export function healthScript(args: { readinessPath: string; pollSeconds: number; databaseOutageSeconds: number }): string {
    return `#!/usr/bin/env python3
"""emr-health: this server's readiness, from OpenEMR's own readiness check (see src/app/healthCheck.ts)."""
import http.server
import json
import subprocess
import sys
import threading
import time

PORT = ${healthPort}
PATH = ${JSON.stringify(args.readinessPath)}
CONTAINER = ${JSON.stringify(servingContainer)}
POLL = ${args.pollSeconds}
DATABASE_OUTAGE = ${args.databaseOutageSeconds}


def state(container):
    """ready; database (OpenEMR answers but cannot reach its database); down (anything else)."""
    try:
        done = subprocess.run(
            ["docker", "exec", container, "curl", "-fsS", "-m", "10", "http://127.0.0.1" + PATH],
            capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "down"
    if done.returncode != 0:
        return "down"
    try:
        body = json.loads(done.stdout)
    except ValueError:
        # An HTML page with a 2xx: sql.inc.php died mid-bootstrap on the database connection.
        return "database"
    if not isinstance(body, dict):
        return "down"
    checks = body.get("checks")
    if body.get("status") == "ready" and isinstance(checks, dict) and checks.get("database") is True:
        return "ready"
    if isinstance(checks, dict) and checks.get("database") is False:
        return "database"
    return "down"


class Verdict:
    def __init__(self):
        self.state, self.at, self.database_since = "down", 0.0, None

    def poll_forever(self):
        while True:
            current, now = state(CONTAINER), time.monotonic()
            if current != "database":
                self.database_since = None
            elif self.database_since is None:
                self.database_since = now
            self.state, self.at = current, now
            time.sleep(POLL)

    def healthy(self):
        if time.monotonic() - self.at >= 3 * POLL:
            return False
        if self.state == "database":
            # Every server loses the database in a failover; only a longer outage is this server's.
            return time.monotonic() - self.database_since < DATABASE_OUTAGE
        return self.state == "ready"


VERDICT = Verdict()


class Probe(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0] != PATH:
            self.send_error(404)
            return
        healthy = VERDICT.healthy()
        body = json.dumps({"ApplicationHealthState": "Healthy" if healthy else "Unhealthy"}).encode()
        self.send_response(200 if healthy else 503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    if sys.argv[1:2] == ["check"] and len(sys.argv) == 3:
        sys.exit(0 if state(sys.argv[2]) == "ready" else 1)
    if sys.argv[1:] == ["serve"]:
        threading.Thread(target=VERDICT.poll_forever, daemon=True).start()
        http.server.ThreadingHTTPServer(("0.0.0.0", PORT), Probe).serve_forever()
    sys.exit("usage: emr-health.py check CONTAINER | serve")
`;
}

/** The systemd unit that keeps the endpoint up across crashes and reboots. */
export function healthUnit(): string {
    return [
        "[Unit]",
        "Description=EMR readiness endpoint for the load balancer",
        "After=docker.service",
        "Wants=docker.service",
        "",
        "[Service]",
        `ExecStart=/usr/bin/python3 ${healthScriptPath} serve`,
        "Restart=always",
        "RestartSec=5",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
}

/** Bash: exits 0 when the container named by bash word `name` is ready (the same rule the endpoint serves). */
export const readinessCommand = (name: string) => `/usr/bin/python3 ${healthScriptPath} check ${name}`;

/**
 * The folder of OpenEMR's readiness path (`/meta/health` for `/meta/health/readyz`): its health
 * endpoints. Newer images leave them open to any client ("Access restriction should be configured
 * at the infrastructure level", openemr meta/health/.htaccess) and each call loads the whole
 * framework, so both clouds' WAFs refuse the folder to clients; the load balancers ask each
 * server's health port instead.
 */
export const healthFolder = (readinessPath: string) => readinessPath.replace(/\/[^/]*$/, "").toLowerCase();
