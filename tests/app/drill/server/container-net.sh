#!/bin/bash
# A container's eth0 on the docker0 bridge, as Docker's bridge driver does it
# (docs.docker.com/engine/network/drivers/bridge/): a veth pair, the host end on docker0, the
# container end as eth0 with its 172.17.0.0/16 address and the bridge as its gateway.
# Usage: container-net.sh <containerPid> <hostVeth> <address>
set -euo pipefail
pid=$1 veth=$2 address=$3
ip link del "$veth" 2>/dev/null || true
ip link add "$veth" type veth peer name eth0 netns "$pid"
ip link set "$veth" master docker0 up
nsenter -t "$pid" -n ip -batch - <<END
addr add $address/16 dev eth0
link set eth0 up
route add default via 172.17.0.1
END
