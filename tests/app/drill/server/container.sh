#!/bin/bash
# One container process tree, run by the Docker stand-in daemon (containers.mjs) as
#   unshare --mount --net --pid --fork --kill-child --propagation private container.sh <containerDir>
# What a container is to the kernel: its own mount, network and PID namespaces (PID 1 is the
# image's entrypoint; when it dies, every process of the container dies), a root file system that
# is an overlay of the image layer over a base userland (this machine's root, read-only) with a
# writable per-container layer, the volumes and bind mounts at their destinations (a bind of a
# host file over an image file makes that path a mount point: rm/unlink of it fails with EBUSY, as
# in a real container), /etc/hosts written by the engine, the host's resolv.conf, and eth0 on the docker0 bridge (plugged
# by the daemon from outside). The database is reached through /.drill/mysql (the world's fake
# MySQL; "the network" to it is that folder). The daemon lays out the run spec in <containerDir>:
# layer, workdir, mounts (source<TAB>destination<TAB>rw|ro lines), env and argv (NUL-separated).
set -euo pipefail
dir=$1
root="$dir/rootfs"
mkdir -p "$root" "$dir/upper" "$dir/work"
mount -t overlay overlay -o "lowerdir=$(cat "$dir/layer"):/.drill/host,upperdir=$dir/upper,workdir=$dir/work" "$root"
mount -t proc proc "$root/proc"
# A /dev of its own, as Docker gives a container (a tmpfs with the usual nodes; no /dev/log).
mount -t tmpfs -o mode=0755,nosuid tmpfs "$root/dev"
cp -a /.drill/assets/dev/. "$root/dev/"
mount -t tmpfs tmpfs "$root/run"
mkdir -p "$root/.drill/mysql"
mount --bind /.drill/world/mysql "$root/.drill/mysql"
while IFS=$'\t' read -r src dst mode; do
    if [ -d "$src" ]; then mkdir -p "$root$dst"; else mkdir -p "$(dirname "$root$dst")"; [ -e "$root$dst" ] || : > "$root$dst"; fi
    mount --bind "$src" "$root$dst"
    if [ "$mode" = ro ]; then mount -o remount,bind,ro "$root$dst"; fi
done < "$dir/mounts"
ip link set lo up
while [ ! -e "$dir/plugged" ]; do sleep 0.005; done
cp "$dir/hosts" "$root/etc/hosts"
# On the default bridge a container gets a copy of the host's /etc/resolv.conf
# (docs.docker.com/engine/network/#dns-services).
cp /etc/resolv.conf "$root/etc/resolv.conf"
mapfile -d '' -t env < "$dir/env"
mapfile -d '' -t argv < "$dir/argv"
exec chroot "$root" /usr/bin/env -i "${env[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$(cat "$dir/workdir")" "${argv[@]}"
