#!/bin/bash
# One container process tree, run by the Docker stand-in's shim as
#   unshare --mount --net --pid --fork --propagation private container.sh <containerDir> <spec.json>
# What a container is to the kernel: its own mount, network and PID namespaces (PID 1 is the
# image's entrypoint; when it dies, every process of the container dies), a root file system that
# is an overlay of the image layer over a base userland (this machine's root, read-only) with a
# writable per-container layer, the volumes and bind mounts at their destinations (a bind of a
# host file over an image file makes that path a mount point: rm/unlink of it fails with EBUSY, as
# in a real container), /etc/hosts written by the engine, and eth0 on the docker0 bridge (plugged
# by the shim from outside). The database is reached through /.drill/mysql (the world's fake
# MySQL; "the network" to it is that folder).
set -euo pipefail
dir=$1
spec=$2
root="$dir/rootfs"
mkdir -p "$root" "$dir/upper" "$dir/work"
jq=/.drill/host/usr/bin/jq  # the engine's own tool, whatever the boot script installed
layer=$("$jq" -r .Layer "$spec")
mount -t overlay overlay -o "lowerdir=$layer:/.drill/host,upperdir=$dir/upper,workdir=$dir/work" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
mkdir -p "$root/.drill/mysql"
mount --bind /.drill/world/mysql "$root/.drill/mysql"
"$jq" -r '.Mounts[] | [.Source, .Destination, (if .RW then "rw" else "ro" end)] | @tsv' "$spec" |
    while IFS=$'\t' read -r src dst mode; do
        if [ -d "$src" ]; then mkdir -p "$root$dst"; else mkdir -p "$(dirname "$root$dst")"; [ -e "$root$dst" ] || : > "$root$dst"; fi
        mount --bind "$src" "$root$dst"
        if [ "$mode" = ro ]; then mount -o remount,bind,ro "$root$dst"; fi
    done
ip link set lo up
while [ ! -e "$dir/plugged" ]; do sleep 0.005; done
cp "$dir/hosts" "$root/etc/hosts"
workdir=$("$jq" -r '.Config.WorkingDir // "/"' "$spec")
mapfile -t env < <("$jq" -r '.Config.Env[]' "$spec")
mapfile -t argv < <("$jq" -r '(.Config.Entrypoint // []) + (.Config.Cmd // []) | .[]' "$spec")
exec chroot "$root" /usr/bin/env -i "${env[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${argv[@]}"
