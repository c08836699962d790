/**
 * Every external program the rendered boot (the boot script, its cloud steps and the host-side
 * helpers it starts) calls, and what the boot relies on each to do: the list a boot drill checks
 * it has the real program, or a faithful stand-in, for. Shell builtins (printf, read, echo, test,
 * exec, local...) are not listed. tests/app/cloudInit.test.ts checks the rendered scripts call
 * nothing outside this list.
 */
export interface BootProgram {
    program: string;
    clouds: ("aws" | "azure")[];
    /** What the boot needs from it: the behaviour a stand-in must reproduce. */
    contract: string;
}

const both: ("aws" | "azure")[] = ["aws", "azure"];

export const bootPrograms: BootProgram[] = [
    { program: "grep", clouds: both, contract: "`grep -qsF LINE /etc/fstab`: exit 0 if the fixed string occurs, 1 if not (file may be missing: -s)" },
    { program: "mountpoint", clouds: both, contract: "`mountpoint -q DIR`: exit 0 only if DIR is a mount point" },
    { program: "mount", clouds: both, contract: "`mount DIR`: mounts the fstab entry for DIR through the mount.efs / mount.aznfs helper; fails (32) if DIR does not exist" },
    { program: "mkdir", clouds: both, contract: "`mkdir -p DIR...`" },
    { program: "rm", clouds: both, contract: "`rm -f FILE`, `rm -rf -- DIR...`" },
    { program: "mv", clouds: both, contract: "`mv FILE.part FILE`: atomic rename on the same file system (the local disk, the shared file system's image record)" },
    { program: "install", clouds: both, contract: "`install -d -m MODE DIR`: create a directory with that mode; `install -m MODE SRC DST`: copy SRC (through a symlink) to DST with that mode" },
    { program: "touch", clouds: both, contract: "`touch FILE` (the install marker on the shared file system)" },
    { program: "sleep", clouds: both, contract: "`sleep SECONDS`" },
    { program: "flock", clouds: both, contract: "`flock -w SECONDS 9`: lock fd 9 exclusively, exit 1 after SECONDS without it; the lock ends when the holder exits" },
    { program: "systemctl", clouds: both, contract: "`systemctl daemon-reload`, `systemctl enable --now UNIT` (docker, emr-health.service)" },
    {
        program: "docker",
        clouds: both,
        contract:
            "`pull --quiet IMAGE`, IMAGE a tag or `REPO[:TAG]@sha256:D` (by digest: the manifest or multi-arch index whose content hashes to D, verified, the tag ignored, no tag added: moby distribution/pull_v2.go schema2ManifestDigest, client/image_pull.go getAPITagFromNamedRef); " +
                "`image inspect --format '{{index .RepoDigests 0}}' IMAGE` (prints `REPO@sha256:D`, D the digest of the manifest or multi-arch index a tag pull fetched: moby distribution/pull_v2.go pullTag, pullManifestList; exit 1 for an absent image); " +
                "`run -d --name N [--restart always] [-p 80:80] [--log-driver ... --log-opt ...] [-v SRC:DST[:ro]] [--mount type=bind,source=S,target=T,readonly] [-e K=V] [--env-file F] IMAGE` (IMAGE by tag or digest; prints an id; a --mount bind whose source is missing is an error at create and at every start, never created: moby daemon/volumes.go SkipMountpointCreation); " +
            "`run --rm --env-file F -e ... -v ... --entrypoint /bin/sh IMAGE SCRIPT` (exit status of SCRIPT); `rm -fv N` (an absent N is reported on stderr but is no failure: docker/cli cli/command/container/rm.go skips not-found errors with -f); " +
            "`inspect -f '{{.State.Status}}' N` (running, restarting, exited...); `logs N`; `exec N curl -fsS -m 10 URL` (the readiness check); `exec N php -d K=V... -r CODE` (the container's PHP CLI with its Env; exit status of CODE)",
    },
    { program: "jq", clouds: both, contract: "`jq -er PROGRAM FILE`: print the program's string results one per line; exit non-zero on error(...) or null" },
    { program: "python3", clouds: both, contract: "runs /usr/local/sbin/emr-health.py (standard library only): `check NAME` exits 0 when NAME is ready; `serve` listens on the health port" },
    {
        program: "curl",
        clouds: both,
        contract:
            "`curl -fsS [--retry N --retry-all-errors] [-L -o FILE] [-H HEADER | -H @-] URL`: body on stdout, non-zero on HTTP >= 400; " +
            "`curl -sS --retry N --retry-delay S -o /dev/null -w '%{http_code}' -H @- -X DELETE URL`: prints the status, exit 0 on any HTTP answer, retries only transient failures (timeouts, 408, 429, 5xx)",
    },
    {
        program: "aws",
        clouds: ["aws"],
        contract:
            "`aws secretsmanager get-secret-value --region R --secret-id ARN --query SecretString --output text` (the JSON on stdout); " +
            "`aws secretsmanager tag-resource --region R --secret-id ARN --tags Key=emr-install,Value=complete`",
    },
    { program: "apt-get", clouds: ["azure"], contract: "`apt-get -o DPkg::Lock::Timeout=300 install -y PKG|FILE.deb`, `... update`: wait for the dpkg lock, non-zero on failure" },
    { program: "sed", clouds: ["azure"], contract: "`sed -i 's/^A=.*/A=false/' FILE`" },
    { program: "iptables", clouds: ["azure"], contract: "`iptables -w -N CHAIN`, `-C CHAIN RULE` (exit 0 if present), `-I CHAIN RULE`" },
];
