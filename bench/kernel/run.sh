#!/bin/sh
# Kernel access benchmark: the library against `ip -batch`, in throwaway namespaces (root needed).
# Usage: bench/kernel/run.sh [rounds] [routes] [links]     (defaults: 5 10000 200)
# Results go to stdout; method and recorded numbers are in docs/benchmarks.md (section "Kernel access").
set -eu
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then echo "run as root (creates network namespaces)" >&2; exit 1; fi
command -v ip >/dev/null || { echo "ip not found: apt-get install iproute2" >&2; exit 1; }
mvn -B -q -pl datapath-spi,platform/kernel install -DskipTests
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -pl platform/kernel dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
exec java ${JAVA_OPTS:-} -cp "platform/kernel/target/classes:platform/kernel/target/test-classes:$(cat "$CP_FILE")" \
  dev.lattice.kernel.bench.KernelBench "$@"
