#!/bin/bash
# One simulated web server, run by the drill as
#   unshare --mount --net --pid --fork --propagation private server.sh <serverDir> <worldDir>
# so everything below is private to this server: its mounts, its network (its own 127.0.0.1:80,
# its own docker0) and its processes (killing our PID 1 kills every process of the server).
#
# The server's root file system is an overlay over this machine's root: the boot script may write
# anywhere (/etc/fstab, /usr/local/sbin, /etc/systemd/system, /var/lib/docker...) exactly as on a
# VM, and every write lands in <serverDir>/upper, never on this machine. /run and /tmp are fresh
# tmpfs as on AL2023/Ubuntu (systemd mounts /run as tmpfs). The world's folders (the share standing
# for EFS/Azure Files, the fake database) appear under /.drill, the one path no real image has.
set -euo pipefail
server_dir=$1
world_dir=$2
root="$server_dir/root"

mount -t overlay overlay -o "lowerdir=/,upperdir=$server_dir/upper,workdir=$server_dir/work" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t sysfs sysfs "$root/sys"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mkdir -p "$root/.drill/host" "$root/.drill/world"
# The machine's pristine root, read-only: the lower layer of every container's image (node, sh, curl).
mount --bind / "$root/.drill/host"
mount -o remount,bind,ro "$root/.drill/host"
mount --bind "$world_dir" "$root/.drill/world"
ip link set lo up

# The drill plugs eth0 (our link to the cloud) from outside, then lets us boot.
while [ ! -e "$server_dir/plugged" ]; do sleep 0.01; done
exec chroot "$root" /bin/bash -c 'node /.drill/bin/cloud-init.mjs /var/lib/cloud/instance/user-data.txt; exec sleep infinity'
