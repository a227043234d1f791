#!/bin/sh
# Sandbox benchmark: the time from `lattice sandbox` to an all-green pod matrix, and pod-to-pod
# TCP throughput across nodes over a direct route (n1 -> n2, same subnet) and over VXLAN
# (n3 -> n2, through the router), as ratios to a plain veth pair between two namespaces measured
# in the same run (iperf3). Everything happens in throwaway namespaces (ltbs-* and the sandbox's
# lsb-*); nothing touches the machine's own network namespace.
# Usage: bench/sandbox/run.sh [rounds=3] [seconds=5]      (as root; builds with ./lattice if needed)
# ROUTING=bgp measures the BGP sandbox instead: no overlay, pod MTU 1500, n3 reached through the router.
# Method and results: docs/benchmarks.md (section "Sandbox").
set -eu
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces)" >&2; exit 2; }
command -v iperf3 >/dev/null || { echo "apt-get install iperf3" >&2; exit 2; }
rounds=${1:-3}
secs=${2:-5}
./lattice version >/dev/null            # builds the distribution when needed
dist=distribution/assembly/target/lattice
work=$(mktemp -d /tmp/ltbs.XXXXXX)
a="ltbs-$$-a"; b="ltbs-$$-b"; spid=""

cleanup() {
  for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null || true
  ip netns del "$a" 2>/dev/null || true
  ip netns del "$b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# iperf3 client run in namespace $1 against $2; prints the received bits per second.
measure() {
  # the receiver's summary line, in Kbit/s
  ip netns exec "$1" iperf3 -c "$2" -t "$secs" -f k | awk '/receiver/ {for (i = 1; i < NF; i++) if ($(i+1) == "Kbits/sec") printf "%.0f\n", $i * 1000}'
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
server() { # namespace, pid file
  ip netns exec "$1" iperf3 -s -D -1 --pidfile "$work/$2.pid" >/dev/null
  sleep 0.5
}

# Baseline: a veth pair between two namespaces.
ip netns add "$a"; ip netns add "$b"
ip -n "$a" link add veth0 type veth peer name veth1 netns "$b"
ip -n "$a" addr add 192.168.250.1/24 dev veth0; ip -n "$a" link set veth0 up
ip -n "$b" addr add 192.168.250.2/24 dev veth1; ip -n "$b" link set veth1 up
: > "$work/veth"
i=0; while [ $i -lt "$rounds" ]; do
  server "$b" "base$i"; measure "$a" 192.168.250.2 >> "$work/veth"; i=$((i+1))
done

# The sandbox: start to all green.
t0=$(date +%s.%N)
"$dist/bin/lattice" sandbox --routing "${ROUTING:-static}" > "$work/sandbox.log" 2>&1 &
spid=$!
until grep -q "all green" "$work/sandbox.log"; do
  kill -0 "$spid" 2>/dev/null || { cat "$work/sandbox.log"; echo "sandbox exited" >&2; exit 1; }
  sleep 0.2
done
t1=$(date +%s.%N)
green=$(awk "BEGIN {printf \"%.1f\", $t1 - $t0}")
ip_of() { ip -n "$1" -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1; }
dst=$(ip_of lsb-p2-1)
: > "$work/direct"; : > "$work/vxlan"
i=0; while [ $i -lt "$rounds" ]; do
  server lsb-p2-1 "direct$i"; measure lsb-p1-1 "$dst" >> "$work/direct"
  server lsb-p2-1 "vxlan$i"; measure lsb-p3-1 "$dst" >> "$work/vxlan"
  i=$((i+1))
done

veth=$(median < "$work/veth"); direct=$(median < "$work/direct"); vxlan=$(median < "$work/vxlan")
echo "sandbox (routing ${ROUTING:-static}) start to all green: ${green} s (3 nodes, 6 pods, 36 pairs)"
other="VXLAN"; [ "${ROUTING:-static}" = bgp ] && other="via router"
awk -v v="$veth" -v d="$direct" -v x="$vxlan" -v o="$other" 'BEGIN {
  printf "veth pair (baseline):      %6.2f Gbit/s\n", v / 1e9
  printf "pod to pod, direct route:  %6.2f Gbit/s  ratio %.2f  (target >= 0.9)\n", d / 1e9, d / v
  printf "pod to pod, %-14s %6.2f Gbit/s  ratio %.2f\n", o ":", x / 1e9, x / v
}'
