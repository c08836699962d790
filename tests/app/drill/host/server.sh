#!/bin/bash
# One simulated web server, run by the drill (host/world.ts) as
#   unshare --mount --net --pid --uts --fork --kill-child --propagation private \
#       server.sh <serverDir> <worldDir> <assetsDir> <distro> <hostname> <cloudPid> <n>
# so everything below is private to this server: its mounts, its network (its own 127.0.0.1, its
# own docker0 and iptables), its host name and its processes (when our PID 1 dies, the kernel kills
# every process of the server and its containers, and drops its mounts).
#
# The root file system is an overlay: this machine's root under a writable upper dir that starts
# as the distro's base layer (the drill's assets). The boot script may write anywhere (/etc/fstab,
# /usr/local/sbin, /etc/systemd/system...) as on a VM, and every write lands in
# <serverDir>/upper. /run and /tmp are fresh tmpfs (systemd mounts /run as tmpfs on AL2023 and
# Ubuntu). The world (the share standing for EFS / Azure Files, the fake database) and the assets
# appear under /.drill, the one path no real image has.
set -euo pipefail
server_dir=$1 world_dir=$2 assets_dir=$3 distro=$4 cloud=$6 n=$7
root="$server_dir/root"

hostname "$5"
# The distro layer is copied into the upper dir: overlayfs refuses a lower layer inside another (ELOOP).
cp -a "$assets_dir/distro/$distro/." "$server_dir/upper/"
mount -t overlay overlay -o "lowerdir=/,upperdir=$server_dir/upper,workdir=$server_dir/work" "$root"
mount -t proc proc "$root/proc"
# A /dev of its own (as systemd gives a VM), so the server's sockets (/dev/log) never land in this
# machine's: the device nodes and links a boot uses, laid out once in the assets.
mount -t tmpfs -o mode=0755,nosuid tmpfs "$root/dev"
cp -a "$assets_dir/dev/." "$root/dev/"
mount -t sysfs sysfs "$root/sys"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
# root's own home, as on a fresh VM: not this machine's dotfiles (its ~/.bashrc sets up pyenv...).
mount -t tmpfs -o mode=0700 tmpfs "$root/root"
# The drill's own programs (the distro layer's links point into this repository) stay where they
# are, wherever the repository was cloned: a clone under /tmp or /root would otherwise vanish
# under the fresh tmpfs mounts above.
drill_src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root$drill_src"
mount --bind "$drill_src" "$root$drill_src"
mkdir -p "$root/.drill/host" "$root/.drill/world" "$root/.drill/assets"
# The machine's pristine root, read-only: the base layer of every container (node, sh, curl).
mount --bind / "$root/.drill/host"
mount -o remount,bind,ro "$root/.drill/host"
mount --bind "$world_dir" "$root/.drill/world"
# The run's assets are every world's: read-only, as the cloud sees them (host/world.ts).
mount --bind "$assets_dir" "$root/.drill/assets"
mount -o remount,bind,ro "$root/.drill/assets"
# Docker's data root on the VM's disk (not the overlay root: container layers are overlay upper dirs).
mkdir -p "$server_dir/docker" "$root/var/lib/docker"
mount --bind "$server_dir/docker" "$root/var/lib/docker"
# Our NIC on the cloud's subnet, as a VM's: a veth pair with eth0 here and veth<n> in the cloud's
# network namespace, 10.0.<n>.2/24 ours, 10.0.<n>.1 the gateway in the cloud. Made from the cloud's
# side (nsenter finds <cloudPid> in this machine's /proc, still mounted here); "netns 1" is us: a
# pid is read in the caller's PID namespace, where this script is PID 1.
nsenter -t "$cloud" -n ip -batch - <<END
link add veth$n type veth peer name eth0 netns 1
addr add 10.0.$n.1/24 dev veth$n
link set veth$n up
END
ip -batch - <<END
link set lo up
addr add 10.0.$n.2/24 dev eth0
link set eth0 up
route add default via 10.0.$n.1
END
# journald's /dev/log is up before cloud-init runs, as on the real images.
exec chroot "$root" /bin/bash -c '/.drill/bin/journald.py < /dev/null > /dev/null 2>&1 & /.drill/bin/cloud-init.py /var/lib/cloud/instance/user-data.txt; exec sleep infinity'
