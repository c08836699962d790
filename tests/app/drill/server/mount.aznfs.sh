#!/bin/bash
# /sbin/mount.aznfs stand-in, as util-linux mount calls it for an fstab entry of type aznfs:
#   mount.aznfs <account>.file.core.windows.net:/<account>/<share> <mountpoint> -o <options>
# Follows Azure/AZNFS-mount (850eebf): src/mount.aznfs.c execs /opt/microsoft/aznfs/mountscript.sh
# with the same argv; mountscript.sh (l.111-144 get_version_from_mount_options) requires vers=,
# maps vers=4,minorversion=1 to 4.1 and hands over to nfsv4mountscript.sh, which starts stunnel
# (TLS, accept port in 20049-21049, l.19-20) and runs (l.681)
#   mount -t nfs -o "$MOUNT_OPTIONS,port=$stunnel_port" "127.0.0.1:${nfs_dir}" "$mount_point"
# It never creates the mount point. As with efs-utils, the TLS tunnel leads to the world's share;
# its state file names the account host the port leads to.
set -u
share=$1 mountpoint=$2
shift 2
options=
while [ $# -gt 0 ]; do
    case $1 in -o) options=$2; shift 2 ;; *) shift ;; esac
done
vers= minor=
IFS=, read -ra opts <<< "$options"
mount_options=
for o in "${opts[@]}"; do
    case $o in
        vers=*) vers=${o#vers=} ;;
        minorversion=*) minor=${o#minorversion=} ;;
        _netdev|"") continue ;;
    esac
    mount_options+="${mount_options:+,}$o"
done
if [ -z "$vers" ]; then
    echo "Missing version in mount options. Example: 'vers=3'." >&2
    exit 1
fi
[ -n "$minor" ] && vers="$vers.$minor"
if [ "$vers" != 4.1 ] && [ "$vers" != 3 ]; then
    echo "NFS version is not supported by mount helper: $vers!" >&2
    exit 1
fi
host=${share%%:*}
nfs_dir=${share#*:}
if ! [[ $host =~ ^[a-z0-9]{3,24}\.file\.core\.windows\.net$ ]]; then
    echo "Share to be mounted must be of the form 'account.file.core.windows.net:/account/container' for vers=$vers" >&2
    exit 1
fi
port=$((20049 + RANDOM % 1000))
mkdir -p /etc/stunnel/microsoft/aznfs/nfsv4_fileShare
echo "$host" > "/etc/stunnel/microsoft/aznfs/nfsv4_fileShare/tunnel.$port"
mount -t nfs -o "$mount_options,port=$port" "127.0.0.1:$nfs_dir" "$mountpoint"
