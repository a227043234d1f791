#!/bin/sh
# Installs what Lattice needs on a Debian machine, as root: a JDK and Maven to build, and the
# kernel tools and routing daemons the tests use. Does nothing for packages already installed.
#   scripts/install-deps.sh          build + run (JDK, Maven, iproute2, nftables, iptables, ipset, socat)
#   scripts/install-deps.sh --test   also what the tests use (GoBGP, BIRD 2, socat, ...)
set -eu

# gcc and libc6-dev build the CNI plugin executable (a static C binary); socat (the pods'
# workload and the connectivity check), util-linux (nsenter, setsid) and bird2 (the router of
# `--routing bgp`) are for `lattice sandbox`.
runtime="openjdk-17-jdk-headless maven gcc libc6-dev iproute2 nftables iptables ipset procps socat util-linux bird2"
# Routing daemons for the BGP interop tests, the reference CNI plugins the pod-networking tests
# compare against, and the tools the kernel tests check with.
testing="gobgpd bird2 containernetworking-plugins iputils-ping conntrack iperf3"

want="$runtime"
if [ "${1:-}" = "--test" ]; then
  want="$want $testing"
fi

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing Debian packages:$missing; run as root or install them" >&2
  exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
