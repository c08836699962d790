#!/bin/bash
# /sbin/mount.efs stand-in, as util-linux mount calls it for an fstab entry of type efs:
#   mount.efs <fs-id>:<path> <mountpoint> -o <options>
# Follows aws/efs-utils (def6e74):
# - src/mount_efs/__init__.py parse_arguments (l.98-136): fsname=$1, mountpoint=$2, options after -o;
#   match_device (dns_resolver.py:245) accepts a file system id matching ^fs-[0-9a-f]+$
#   (constants.py:198).
# - main (l.139-): with "tls" it mounts through a local proxy (mount_utils.py:260 mount_with_proxy):
#   efs-proxy listens on 127.0.0.1:<tlsport> and mount_nfs (mount_utils.py:49-72) runs
#   ["/sbin/mount.nfs4", "127.0.0.1:<path>", <mountpoint>, "-o", <nfs options>] with
#   get_nfs_mount_options (mount_options.py:57-111): nfsvers=4.1, rsize/wsize=1048576, hard,
#   timeo=600, retrans=2, noresvport, port=<tlsport>; non-NFS options (tls, iam, _netdev) are dropped.
# - efs-utils never creates the mount point (its only os.makedirs is for its own state directories,
#   file_utils.py:42); a failing mount.nfs4 is reported by fatal_error with its stderr and exit code.
# The proxy is this machine's share (the world's folder), so the "proxy" is a state file naming the
# file system the port leads to, as efs-utils keeps one per mount in /var/run/efs.
set -u
device=$1 mountpoint=$2
shift 2
options=
while [ $# -gt 0 ]; do
    case $1 in -o) options=$2; shift 2 ;; *) shift ;; esac
done
fs_id=${device%%:*}
path=${device#*:}
[ "$path" = "$device" ] && path=/
if ! [[ $fs_id =~ ^fs-[0-9a-f]+$ ]]; then
    echo "Invalid device $device: the file system id must match fs-[0-9a-f]+" >&2
    exit 1
fi
nfs_options=nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport
IFS=, read -ra opts <<< "$options"
for o in "${opts[@]}"; do
    case $o in tls|iam|_netdev|noauto|defaults|"") ;; *) nfs_options+=",$o" ;; esac
done
port=$((20049 + RANDOM % 1000))
mkdir -p /var/run/efs
echo "$fs_id" > "/var/run/efs/$fs_id.${mountpoint//\//.}.$port"
exec /sbin/mount.nfs4 "127.0.0.1:$path" "$mountpoint" -o "$nfs_options,port=$port"
