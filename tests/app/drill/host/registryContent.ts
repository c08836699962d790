import { createHash } from "node:crypto";

/**
 * What the drill's Docker Hub holds for openemr/openemr, laid out as a registry stores it
 * (opencontainers/image-spec: image-index.md, manifest.md, config.md; distribution-spec "Pulling
 * manifests"): every tag is a multi-arch OCI image index listing one image manifest per platform
 * (linux/amd64 and linux/arm64, as the 8.x tags are published), each manifest naming its config
 * blob and its layer by digest; a digest is the sha256 of the exact bytes served. Each tag has
 * several builds, as OpenEMR rebuilds release tags (openemr-devops .github/release-targets.yml):
 * the tag points at the first, and a republish (a push of a rebuild under the same tag) moves it
 * to the next, while every build stays retrievable by digest.
 *
 * The one liberty: a layer is not a tarball blob but a directory of the drill's assets, named by
 * the descriptor's annotation `drill.layer.dir` (descriptors may carry annotations: image-spec
 * descriptor.md); the Docker stand-in copies it where dockerd would extract the tarball. Builds
 * of one tag share that directory and differ in their config (its `created` date), so each build
 * has its own image ID (the config's digest), as a real rebuild does.
 */
export const mediaTypes = {
    index: "application/vnd.oci.image.index.v1+json",
    manifest: "application/vnd.oci.image.manifest.v1+json",
    config: "application/vnd.oci.image.config.v1+json",
    layer: "application/vnd.oci.image.layer.v1.tar+gzip",
};

/** How many builds of each tag the registry holds: the first, then the rebuilds republishes push in turn. */
export const buildsPerTag = 3;
const architectures = ["amd64", "arm64"];

/** The image's runtime settings, as its Dockerfile sets them (ENV, CMD, WORKDIR, VOLUME). */
export interface ImageSettings {
    Env: string[];
    Entrypoint: string[] | null;
    Cmd: string[];
    WorkingDir: string;
    Volumes: string[];
}

export interface RegistryContent {
    repositories: Record<string, { tags: Record<string, string>; manifests: Record<string, { mediaType: string; body: string }>; blobs: Record<string, string> }>;
    /** "repo:tag" -> the index digest of each build, in push order (tags point at the first). */
    builds: Record<string, string[]>;
}

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

/** The registry content for `repo`, one entry per tag: its layer directory (as a server sees it) and its settings. */
export function registryContent(repo: string, images: { tag: string; layerDir: string; settings: ImageSettings }[]): RegistryContent {
    const manifests: Record<string, { mediaType: string; body: string }> = {};
    const blobs: Record<string, string> = {};
    const tags: Record<string, string> = {};
    const builds: Record<string, string[]> = {};
    const descriptor = (body: string, mediaType: string) => ({ mediaType, digest: sha256(body), size: Buffer.byteLength(body) });
    const putManifest = (document: object, mediaType: string) => {
        const body = JSON.stringify(document);
        manifests[sha256(body)] = { mediaType, body };
        return descriptor(body, mediaType);
    };
    for (const { tag, layerDir, settings } of images) {
        const layer = { ...descriptor(`drill layer ${layerDir}`, mediaTypes.layer), annotations: { "drill.layer.dir": layerDir } };
        builds[`${repo}:${tag}`] = [];
        for (let build = 0; build < buildsPerTag; build++) {
            const platformManifests = architectures.map((architecture) => {
                const config = JSON.stringify({
                    created: new Date(Date.UTC(2026, 7, 23 + build)).toISOString(),
                    architecture,
                    os: "linux",
                    config: { ...settings, Volumes: Object.fromEntries(settings.Volumes.map((v) => [v, {}])) },
                    rootfs: { type: "layers", diff_ids: [layer.digest] },
                });
                blobs[sha256(config)] = config;
                const manifest = { schemaVersion: 2, mediaType: mediaTypes.manifest, config: descriptor(config, mediaTypes.config), layers: [layer] };
                return { ...putManifest(manifest, mediaTypes.manifest), platform: { architecture, os: "linux" } };
            });
            const index = putManifest({ schemaVersion: 2, mediaType: mediaTypes.index, manifests: platformManifests }, mediaTypes.index);
            builds[`${repo}:${tag}`].push(index.digest);
        }
        tags[tag] = builds[`${repo}:${tag}`][0];
    }
    return { repositories: { [repo]: { tags, manifests, blobs } }, builds };
}

/** The image ID (config digest) a linux/`architecture` server gets from index `digest` of `repo`. */
export function imageIdOf(content: Pick<RegistryContent, "repositories">, repo: string, digest: string, architecture = "amd64"): string | undefined {
    const { manifests } = content.repositories[repo] ?? { manifests: {} };
    const index = manifests[digest] && JSON.parse(manifests[digest].body);
    const entry = index?.manifests?.find((m: any) => m.platform.architecture === architecture && m.platform.os === "linux");
    return entry && JSON.parse(manifests[entry.digest].body).config.digest;
}
