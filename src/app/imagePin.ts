/**
 * One build of OpenEMR per stack, by digest, even when `emr:emrImage` names only a tag. OpenEMR
 * rebuilds release tags (openemr/openemr-devops .github/release-targets.yml; `openemr/openemr:8.5.0`
 * was seen republished within a week, and the first container of the new build upgraded the
 * database unannounced), so servers that pull the same tag on different days would run different
 * builds against one sites/ and one database. The boot therefore keeps a record on the shared file
 * system, `$IMAGE_RECORD`, one line per configured image: `<configured> <repo@sha256:digest>
 * <time> <server>`. The first server to take the install lock with a configured image records
 * the build it pulled; every later server pulls and runs the recorded digest, never the tag.
 * A line per configured image, not one record: a server still booting with the previous
 * `emr:emrImage` (a repair during a rollout) cannot re-point the new image's line, and a rollback
 * to an earlier image gets back the very build the stack ran with it.
 *
 * What Docker records on a pull (moby v28.5.2 @89c5e8f; the same on master):
 * - a pull by tag adds the reference `repo@<manifestDigest>` (distribution/pull_v2.go:418-440,
 *   addDigestReference), and for a multi-arch tag manifestDigest is the digest of the manifest
 *   list / OCI index itself (pullManifestList, :705-764, returns manifestListDigest), not of the
 *   platform's manifest: `docker image inspect` lists it in RepoDigests (daemon/images/
 *   image_inspect.go:31-38; sorted, reference/store.go:261-277). The containerd image store
 *   reports `name@<target digest>`, the index too (daemon/containerd/image_inspect.go:137-177).
 *   So one recorded digest serves amd64 and arm64 servers alike: each pulls its own platform's
 *   image from the index (docs.docker.com/reference/cli/docker/image/pull/ "Pull an image by
 *   digest (immutable identifier)": "guarantee that the image you're using is always the same").
 * - a configured `tag@sha256:<digest>` is recorded as itself: Docker pulls and resolves it by the
 *   digest alone (client/image_pull.go:55-58; reference/store.go:224-235).
 * - `docker run repo@sha256:<digest>` runs that image (docs.docker.com/engine/containers/run/
 *   "Image references": `docker run IMAGE[:TAG][@DIGEST]`).
 *
 * Reading the record on NFS (EFS, Azure Files). The read before the lock is only a hint (it picks
 * what to pull while queueing). Under the lock the record is opened with O_CREAT first: a client
 * may answer a plain lookup of a file it saw missing from its cache for up to acdirmax (nfs(5)
 * "Directory entry caching": negative LOOKUP results are cached until the directory's cached
 * mtime changes), but it cannot create a file without asking the server; the open that follows
 * revalidates the file (nfs(5) "Close-to-open cache consistency"). The record is only ever
 * replaced whole, under the lock, by a rename of a complete copy (rename(2) is atomic), so no
 * reader sees half a line.
 */
/** The record's name in the shared directory: beside the install marker and lock, outside sites/. */
export const imageRecordName = ".emr-image";

/** Whether "$1" names an image by digest (repo[:tag]@sha256:<64 hex>); says so when not. */
export const digestRef = `[[ $1 =~ @sha256:[a-f0-9]{64}$ ]] || { log "not a digest reference: '$1'"; return 1; }`;

/** Prints the reference recorded for "$IMAGE", or nothing. A last line without its newline still counts. */
export const recordedImage = `local configured pinned
[ -f "$IMAGE_RECORD" ] || return 0
while read -r configured pinned _ || [ -n "$configured" ]; do
    if [ "$configured" = "$IMAGE" ]; then digest_ref "$pinned" || return 1; echo "$pinned"; return 0; fi
done < "$IMAGE_RECORD"`;

/** Prints the digest reference of what this server pulled for "$IMAGE". */
export const pulledImage = `case $IMAGE in
    *@sha256:*) echo "$IMAGE" ;;
    *) docker image inspect --format '{{index .RepoDigests 0}}' "$IMAGE" ;;
esac`;

/** Adds the line of "$IMAGE" to the record: a complete copy written aside, then renamed over it. */
export const recordImage = `local line
{
    while IFS= read -r line || [ -n "$line" ]; do echo "$line"; done < "$IMAGE_RECORD"
    printf '%s %s %(%Y-%m-%dT%H:%M:%S%z)T %s\\n' "$IMAGE" "$RUN_IMAGE" -1 "$HOSTNAME"
} > "$IMAGE_RECORD.part"
mv "$IMAGE_RECORD.part" "$IMAGE_RECORD"`;

/**
 * Under the install lock: settles RUN_IMAGE, the reference every container of this server runs.
 * If another server recorded another build of "$IMAGE" while this one pulled (the tag was
 * republished meanwhile), this one pulls the recorded build now. The pull counts against the
 * reset deadline (set when the lock is taken), so a holder stays within its critical section
 * (src/app/bootTimings.ts resetSeconds); a server that runs out of it exits and its replacement
 * pulls the recorded digest before queueing.
 */
export const pinImage = `local recorded
: >> "$IMAGE_RECORD"
recorded=$(recorded_image)
if [ -z "$RUN_IMAGE" ]; then RUN_IMAGE=$(pulled_image); digest_ref "$RUN_IMAGE"; fi
if [ -z "$recorded" ]; then
    record_image
    log "recorded $RUN_IMAGE for $IMAGE"
elif [ "$recorded" != "$RUN_IMAGE" ]; then
    log "$IMAGE is recorded as $recorded, not $RUN_IMAGE: pulling it"
    RUN_IMAGE=$recorded
    retry_until "$RESET_DEADLINE" docker pull --quiet "$RUN_IMAGE"
fi`;
