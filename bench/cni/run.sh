#!/bin/sh
# CNI benchmark: Lattice (C plugin -> agent CNI server -> IPAM -> linux-bridge) against the
# reference bridge + host-local plugins, in throwaway network namespaces (never the machine's
# own). Needs root, iproute2, util-linux (nsenter) and containernetworking-plugins.
# Usage: bench/cni/run.sh [pods=200] [concurrency=20] [cycles=1000]
# Method and results: docs/benchmarks.md (section "Pod networking").
set -eu
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces)" >&2; exit 2; }
[ -x /usr/lib/cni/bridge ] || { echo "apt-get install containernetworking-plugins" >&2; exit 2; }
cp_file=datapath-linux-bridge/target/bench.classpath
if [ -z "${LATTICE_BENCH_NOBUILD:-}" ]; then   # set it to reuse what is built already
  mvn -B -q -pl platform/cni-plugin,datapath-linux-bridge -am install -DskipTests
  mvn -B -q -pl datapath-linux-bridge test-compile
  mvn -B -q -pl datapath-linux-bridge dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file"
fi
exec java -Dlattice.cni.binary="$PWD/platform/cni-plugin/target/bin/lattice" \
  -Djava.util.logging.config.file=/dev/null \
  -cp "datapath-linux-bridge/target/test-classes:datapath-linux-bridge/target/classes:$(cat "$cp_file")" \
  dev.lattice.datapath.bridge.CniBench "${1:-200}" "${2:-20}" "${3:-1000}"
