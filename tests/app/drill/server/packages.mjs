// The distro package manager as cloud-init's `packages:` uses it: only names the real distro has,
// and each installs the stand-ins of the programs the boot script then calls. A server's base image
// hides these programs (overlay whiteouts laid by host/serverRoot.ts) until their package is in.
// Package names and contents, per distro:
// - Amazon Linux 2023: `dnf install docker` (https://docs.aws.amazon.com/linux/al2023/ug/docker.html);
//   `dnf install amazon-efs-utils` (https://docs.aws.amazon.com/efs/latest/ug/installing-amazon-efs-utils.html),
//   which ships /sbin/mount.efs and Requires nfs-utils (aws/efs-utils amazon-efs-utils.spec:54,155);
//   jq is in the AL2023 repository; the AWS CLI v2, curl and python3 are preinstalled.
// - Ubuntu 24.04: docker.io, nfs-common (/sbin/mount.nfs, /sbin/mount.nfs4), jq, curl
//   (https://packages.ubuntu.com/noble/); iptables and python3 are preinstalled on the cloud image.
import { copyFileSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { dirname, resolve } from "node:path";

const bin = "/.drill/bin";
const link = (target, path) => {
    mkdirSync(dirname(path), { recursive: true });
    rmSync(path, { force: true });
    symlinkSync(target, path);
};
/** Brings back a program of this machine that the base image hid (see host/serverRoot.ts): its
 * real file, symlinks (e.g. Debian's alternatives) followed inside this machine's root. */
const unhide = (path) => {
    let real = path;
    while (lstatSync(`/.drill/host${real}`).isSymbolicLink()) real = resolve(dirname(real), readlinkSync(`/.drill/host${real}`));
    copyFileSync(`/.drill/host${real}`, path);
};

const docker = () => {
    link(`${bin}/docker.mjs`, "/usr/bin/docker");
    link(`${bin}/dockerd.mjs`, "/usr/bin/dockerd");
    mkdirSync("/usr/lib/systemd/system", { recursive: true });
    // The unit moby ships (contrib/init/systemd/docker.service), reduced to what the drill runs.
    link(`${bin}/docker.service`, "/usr/lib/systemd/system/docker.service");
};
const nfsClient = () => {
    link(`${bin}/mount.nfs.sh`, "/usr/sbin/mount.nfs");
    link(`${bin}/mount.nfs.sh`, "/usr/sbin/mount.nfs4");
};

const distros = {
    amzn: {
        docker: () => {
            docker();
            // AL2023's minimal image has no iptables; the docker package pulls in iptables-nft.
            for (const tool of ["xtables-nft-multi", "iptables", "iptables-save", "iptables-restore"]) unhide(`/usr/sbin/${tool}`);
        },
        "amazon-efs-utils": () => {
            link(`${bin}/mount.efs.sh`, "/usr/sbin/mount.efs");
            nfsClient();
        },
        jq: () => unhide("/usr/bin/jq"),
    },
    ubuntu: {
        "docker.io": docker,
        "nfs-common": nfsClient,
        jq: () => unhide("/usr/bin/jq"),
        curl: () => {},
    },
};

export function distroId() {
    return /^ID="?([a-z]+)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))[1];
}

/** Installs one package; returns what happened, for the log. */
export function installPackage(name) {
    const install = distros[distroId()][name];
    if (!install) return `FAILED: no package ${name} in ${distroId()}`;
    try {
        install();
    } catch (error) {
        return `FAILED: ${error.message}`;
    }
    return "installed";
}

/** apt-get install for packages from a repository added at boot (Ubuntu only). */
export const extraRepositoryPackages = {
    // Azure/AZNFS-mount packaging: the aznfs .deb installs /sbin/mount.aznfs (src/mount.aznfs.c),
    // which execs /opt/microsoft/aznfs/mountscript.sh, and /opt/microsoft/aznfs/data/config.
    aznfs: () => {
        link(`${bin}/mount.aznfs.sh`, "/usr/sbin/mount.aznfs");
        mkdirSync("/opt/microsoft/aznfs/data", { recursive: true });
        copyFileSync(`${bin}/aznfs-config`, "/opt/microsoft/aznfs/data/config");
    },
};
