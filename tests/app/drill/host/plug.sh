#!/bin/bash
# Connects one server to the cloud, as a VM's NIC on its subnet: a veth pair with eth0 inside the
# server's network namespace and <veth> in the cloud's, 10.0.<n>.2/24 on the server, 10.0.<n>.1 its
# default gateway in the cloud. Usage: plug.sh <serverPid> <cloudPid> <veth> <n>
set -euo pipefail
server=$1 cloud=$2 veth=$3 n=$4
ip link add "$veth" netns "$cloud" type veth peer name eth0 netns "$server"
nsenter -t "$cloud" -n ip -batch - <<END
addr add 10.0.$n.1/24 dev $veth
link set $veth up
END
nsenter -t "$server" -n ip -batch - <<END
addr add 10.0.$n.2/24 dev eth0
link set eth0 up
route add default via 10.0.$n.1
END
