#!/bin/bash
# One simulated web server, run by the drill (host/world.ts) as
#   unshare --mount --net --pid --uts --fork --kill-child --propagation private \
#       server.sh <serverDir> <worldDir> <assetsDir> <distro> <hostname>
# so everything below is private to this server: its mounts, its network (its own 127.0.0.1, its
# own docker0 and iptables), its host name and its processes (when our PID 1 dies, the kernel kills
# every process of the server and its containers, and drops its mounts).
#
# The root file system is an overlay: this machine's root under a writable upper dir that starts
# as the distro's base layer (the drill's assets). The boot script may write anywhere (/etc/fstab,
# /usr/local/sbin, /etc/systemd/system, /var/lib/docker...) as on a VM, and every write lands in
# <serverDir>/upper. /run and /tmp are fresh tmpfs (systemd mounts /run as tmpfs on AL2023 and
# Ubuntu). The world (the share standing for EFS / Azure Files, the fake database) and the assets
# appear under /.drill, the one path no real image has.
set -euo pipefail
server_dir=$1 world_dir=$2 assets_dir=$3 distro=$4
root="$server_dir/root"

hostname "$5"
# The distro layer is copied into the upper dir: overlayfs refuses a lower layer inside another (ELOOP).
cp -a "$assets_dir/distro/$distro/." "$server_dir/upper/"
mount -t overlay overlay -o "lowerdir=/,upperdir=$server_dir/upper,workdir=$server_dir/work" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t sysfs sysfs "$root/sys"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mkdir -p "$root/.drill/host" "$root/.drill/world" "$root/.drill/assets"
# The machine's pristine root, read-only: the base layer of every container (node, sh, curl).
mount --bind / "$root/.drill/host"
mount -o remount,bind,ro "$root/.drill/host"
mount --bind "$world_dir" "$root/.drill/world"
mount --bind "$assets_dir" "$root/.drill/assets"
ip link set lo up

# The drill plugs eth0 (our link to the cloud) from outside, then lets us boot.
while [ ! -e "$server_dir/plugged" ]; do sleep 0.01; done
exec chroot "$root" /bin/bash -c '/.drill/bin/cloud-init.py /var/lib/cloud/instance/user-data.txt; exec sleep infinity'
