#!/bin/bash
# /sbin/mount.nfs and /sbin/mount.nfs4 stand-in (nfs-utils), called by efs-utils, by AZNFS through
# util-linux mount -t nfs, or directly:  mount.nfs[4] <host>:<path> <mountpoint> -o <options>
# Follows nfs-utils utils/mount/mount.c main(): progname is argv[0]'s basename; the mount point must
# exist and be a directory (chk_mountpoint), else utils/mount/error.c mount_error prints
# "<progname>: mount point <dir> does not exist" (ENOENT) or "... is not a directory" (ENOTDIR).
# Exit status 32, as measured with Debian bookworm's nfs-common 2.6.2-4+deb12u1 /sbin/mount.nfs4
# on a missing directory (the same release line as Ubuntu 24.04's nfs-common 2.6.4).
# The mount itself: the tunnel port (port=) leads to the file system the mount helper registered
# (see mount.efs.sh, mount.aznfs.sh), which is the world's shared folder; it is bind-mounted, so
# every server sees the same files and flock(2) on it is a real lock shared by all of them.
set -u
progname=$(basename "$0")
spec=$1 mountpoint=$2
shift 2
options=
while [ $# -gt 0 ]; do
    case $1 in -o) options+="${options:+,}$2"; shift 2 ;; *) shift ;; esac
done
if [ ! -e "$mountpoint" ]; then
    echo "$progname: mount point $mountpoint does not exist" >&2
    exit 32
fi
if [ ! -d "$mountpoint" ]; then
    echo "$progname: mount point $mountpoint is not a directory" >&2
    exit 32
fi
port=$(tr , '\n' <<< "$options" | sed -n 's/^port=//p' | tail -n 1)
remote=$(cat /var/run/efs/*."$port" /etc/stunnel/microsoft/aznfs/nfsv4_fileShare/tunnel."$port" 2>/dev/null | head -n 1)
export_dir="/.drill/world/shares/$remote${spec#*:}"
if [ -z "$remote" ] || [ ! -d "$export_dir" ]; then
    echo "$progname: mounting $spec failed, reason given by server: No such file or directory" >&2
    exit 32
fi
exec mount --bind "$export_dir" "$mountpoint"
