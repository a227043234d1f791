#!/usr/bin/env bash
# Cluster-state benchmark: load Nodes, Pods, Services and EndpointSlices through the embedded API
# server (seeded straight into its store, in a child JVM) and measure, in the agent JVM, the time
# to a synced snapshot, heap per object and the CPU spent applying pod updates.
# Not a test. Usage: bench/cluster/run.sh  (env: NODES PODS SERVICES SLICES UPDATES AGENT_HEAP ROUNDS)
set -euo pipefail
cd "$(dirname "$0")/../.."
NODES=${NODES:-500}
PODS=${PODS:-10000}
SERVICES=${SERVICES:-2000}
SLICES=${SLICES:-4000}
UPDATES=${UPDATES:-$PODS}
AGENT_HEAP=${AGENT_HEAP:-2g}
ROUNDS=${ROUNDS:-5}

if [ -z "${SKIP_BUILD:-}" ]; then
    mvn -B -q -pl platform/cluster,platform/apiserver -am install -DskipTests
fi
work=$(mktemp -d /tmp/lattice-cluster-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mvn -B -q -pl platform/cluster dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="platform/cluster/target/classes:$(cat "$work/cp.txt")"
javac -nowarn -d "$work/classes" -cp "$cp" bench/cluster/src/dev/lattice/cluster/internal/ClusterBench.java
run() {
    echo "== $*"
    java -Xmx"$AGENT_HEAP" -Dbench.rounds="$ROUNDS" ${BENCH_JAVA_OPTS:-} -Djava.util.logging.config.file=/dev/null -cp "$work/classes:$cp" \
        dev.lattice.cluster.internal.ClusterBench agent "$@"
}
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
run "$NODES" "$PODS" "$SERVICES" "$SLICES" "$UPDATES"
# pods alone, for heap per pod (1 node, PODS pods, no services)
[ -n "${SKIP_PODS_ONLY:-}" ] || run 1 "$PODS" 0 0 0
