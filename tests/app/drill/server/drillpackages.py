"""The distro package manager as cloud-init's `packages:` and apt-get use it: only names the real
distro has, and each installs the stand-ins of the programs the boot script then calls. A
server's base layer hides these programs (overlay whiteouts, host/assets.ts) until their package
is in. Package names and contents, per distro:
- Amazon Linux 2023: `dnf install docker` (docs.aws.amazon.com/linux/al2023/ug/docker.html), which
  pulls in iptables-nft; `dnf install amazon-efs-utils`
  (docs.aws.amazon.com/efs/latest/ug/installing-amazon-efs-utils.html), which ships /sbin/mount.efs
  and Requires nfs-utils (aws/efs-utils amazon-efs-utils.spec); jq is in the AL2023 repository;
  the AWS CLI v2, curl and python3 are preinstalled.
- Ubuntu 24.04: docker.io, nfs-common (/sbin/mount.nfs, /sbin/mount.nfs4), jq, curl, rsyslog
  (packages.ubuntu.com/noble/); iptables, python3, curl and rsyslog are preinstalled on the cloud image.
- packages.microsoft.com (Ubuntu, once its repository is added): aznfs, which installs
  /sbin/mount.aznfs (Azure/AZNFS-mount src/mount.aznfs.c) and /opt/microsoft/aznfs/data/config,
  where a noninteractive install sets AUTO_UPDATE_AZNFS=true (packaging/aznfs/DEBIAN/postinst).
"""
import os
import shutil

BIN = "/.drill/bin"
MICROSOFT_LIST = "/etc/apt/sources.list.d/microsoft-prod.list"


def _link(target, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.remove(path)
    os.symlink(target, path)


def _unhide(path):
    """Brings back a program of this machine that the base layer hid: its real file."""
    real = os.path.realpath("/.drill/host" + path)
    shutil.copyfile(real, path)
    shutil.copymode(real, path)


def _docker():
    _link(f"{BIN}/docker", "/usr/bin/docker")
    _link(f"{BIN}/dockerd.mjs", "/usr/bin/dockerd")
    # The unit moby ships (contrib/init/systemd/docker.service), reduced to what the drill runs.
    _link(f"{BIN}/docker.service", "/usr/lib/systemd/system/docker.service")


def _nfs_client():
    _link(f"{BIN}/mount.nfs.sh", "/usr/sbin/mount.nfs")
    _link(f"{BIN}/mount.nfs.sh", "/usr/sbin/mount.nfs4")


def _amzn_docker():
    _docker()
    for tool in ["xtables-nft-multi", "iptables", "iptables-save", "iptables-restore"]:
        if os.path.lexists("/.drill/host/usr/sbin/" + tool):
            _unhide("/usr/sbin/" + tool)


def _efs_utils():
    _link(f"{BIN}/mount.efs.sh", "/usr/sbin/mount.efs")
    _nfs_client()


def _aznfs():
    _link(f"{BIN}/mount.aznfs.sh", "/usr/sbin/mount.aznfs")
    os.makedirs("/opt/microsoft/aznfs/data", exist_ok=True)
    shutil.copyfile(f"{BIN}/aznfs-config", "/opt/microsoft/aznfs/data/config")


DISTROS = {
    "amzn": {"docker": _amzn_docker, "amazon-efs-utils": _efs_utils, "jq": lambda: _unhide("/usr/bin/jq")},
    # curl and rsyslog come with Canonical's cloud image (rsyslog's forwarding is not modelled:
    # the drill reads what journald received, server/journald.py).
    "ubuntu": {"docker.io": _docker, "nfs-common": _nfs_client, "jq": lambda: _unhide("/usr/bin/jq"), "curl": lambda: None, "rsyslog": lambda: None},
}
MICROSOFT = {"aznfs": _aznfs}


def distro():
    with open("/etc/os-release") as f:
        for line in f:
            if line.startswith("ID="):
                return line.split("=", 1)[1].strip().strip('"')
    return ""


def install(name):
    """Installs one package; returns what happened, for the log."""
    known = dict(DISTROS.get(distro(), {}))
    if os.path.exists(MICROSOFT_LIST):
        known.update(MICROSOFT)
    if name not in known:
        return f"FAILED: no package {name} in {distro()}"
    known[name]()
    return "installed"


if __name__ == "__main__":
    import sys

    print(install(sys.argv[1]))
