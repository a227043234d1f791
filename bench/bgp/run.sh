#!/usr/bin/env bash
# Lattice BGP benchmark (not a test): one eBGP peer feeds COUNT (default 1,000,000) generated IPv4
# prefixes with realistic AS paths and attribute sharing into Lattice's speaker, then into BIRD 2
# (baseline) and GoBGP, one after the other, inside a throwaway network namespace (loopback only).
# Measures the time from the first UPDATE sent to a complete Loc-RIB, and memory per prefix.
# Background processes are started with "ip netns exec" directly (not through a shell
# function) so that $! is the process itself and cleanup kills exactly what this script started.
# Needs root, Java 17, Maven, and the Debian packages bird2 and gobgpd. Method: docs/benchmarks.md (section "BGP").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNT=${COUNT:-1000000}
PHASES=${PHASES:-lattice bird gobgp}   # which receivers to measure
ROUNDS=${ROUNDS:-2}   # Lattice receives the feed ROUNDS times in one JVM: round 1 cold, the last warm
# The receiver's JVM options: by default the agent's, i.e. what bin/lattice gives the JVM (its
# LATTICE_JVM_DEFAULTS, then $LATTICE_OPTS; default heap and G1), so that the numbers are the product's.
AGENT_JVM_DEFAULTS=$(sed -n 's/^LATTICE_JVM_DEFAULTS="\(.*\)"$/\1/p' "$ROOT/distribution/assembly/src/main/dist/bin/lattice")
L_JVM_OPTS=${L_JVM_OPTS-$AGENT_JVM_DEFAULTS ${LATTICE_OPTS:-}}
L_COLD=-
L_MS=- L_BPP=- L_RSS=- B_MS=- B_BPP=- B_RSS=- G_MS=- G_BPP=- G_AFTER=-
want() { [[ " $PHASES " == *" $1 "* ]]; }
NS="ltb-bench-$(printf '%05x' $((RANDOM * 32768 + RANDOM)))"
WORK=$(mktemp -d /tmp/ltb-bench.XXXXXX)
PIDS=()

cleanup() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
  done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
run() { ip netns exec "$NS" "$@"; }

if [ -z "${LATTICE_BENCH_NOBUILD:-}" ]; then
  echo "== building"
  (cd "$ROOT" && mvn -B -q -pl bundles/routing-bgp -am install -DskipTests)
fi
DEPS=$(cd "$ROOT" && mvn -B -q -pl bundles/routing-bgp dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null && cat "$WORK/cp.txt")
CP="$ROOT/bundles/routing-bgp/target/classes:$ROOT/datapath-spi/target/classes:$DEPS"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" "$ROOT"/bench/bgp/src/*.java
CP="$WORK/classes:$CP"

ip netns add "$NS"
ip -n "$NS" link set lo up

wait_for() { # file pattern timeout-seconds
  local end=$(( $(date +%s) + $3 ))
  until grep -q "$2" "$1" 2>/dev/null; do
    [ "$(date +%s)" -gt "$end" ] && { echo "timeout waiting for '$2' in $1" >&2; cat "$1" >&2 || true; return 1; }
    sleep 0.05
  done
}

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

feed() { # target-address target-as name
  ip netns exec "$NS" java -Xmx2g -cp "$CP" Feeder 127.0.0.2 "$1" 179 65001 "$2" "$COUNT" > "$WORK/feed-$3.out" 2>&1 &
  FEEDER=$!
  PIDS+=("$FEEDER")
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

phase_lattice() {
echo "== Lattice (COUNT=$COUNT, JVM options: ${L_JVM_OPTS:-none})"
# shellcheck disable=SC2086
ip netns exec "$NS" java $L_JVM_OPTS -cp "$CP" LatticeReceiver 127.0.0.1 179 64512 127.0.0.2 65001 "$COUNT" "$ROUNDS" \
  > "$WORK/lattice.out" 2> "$WORK/lattice.err" &
LAT=$!; PIDS+=("$LAT")
wait_for "$WORK/lattice.out" listening 60
for r in $(seq 1 "$ROUNDS"); do
  if [ "$r" -gt 1 ]; then wait_for "$WORK/lattice.out" "^ready $r" 120; fi
  feed 127.0.0.1 64512 "lattice$r"
  wait_for "$WORK/lattice.out" "^complete $r " 600
  L_START=$(awk '/^start/ {print $2}' "$WORK/feed-lattice$r.out")
  L_DONE=$(awk -v r="$r" '$1 == "complete" && $2 == r {print $3}' "$WORK/lattice.out")
  L_MS=$((L_DONE - L_START))
  [ "$r" -eq 1 ] && L_COLD=$L_MS
  echo "lattice round $r: ${L_MS} ms"
  stop_pid "$FEEDER"
done
wait_for "$WORK/lattice.out" "^rss-kb" 120
L_BPP=$(awk '/^bytes-per-prefix/ {print $2}' "$WORK/lattice.out")
L_RSS=$(awk '/^rss-kb/ {print $2}' "$WORK/lattice.out")
stop_pid "$LAT"
echo "lattice: ${L_MS} ms, heap ${L_BPP} B/prefix, RSS ${L_RSS} kB"
}

phase_bird() {
echo "== BIRD"
cat > "$WORK/bird.conf" <<CONF
router id 127.0.0.3;
protocol device { }
protocol direct { ipv4; interface "lo"; }
protocol bgp feed {
  local 127.0.0.3 as 64512;
  neighbor 127.0.0.2 as 65001;
  strict bind yes;
  passive yes;
  multihop;
  hold time 180;
  ipv4 { import all; export none; };
}
CONF
ip netns exec "$NS" bird -f -c "$WORK/bird.conf" -s "$WORK/bird.ctl" -P "$WORK/bird.pid" > "$WORK/bird.log" 2>&1 &
BIRD=$!; PIDS+=("$BIRD")
until run birdc -s "$WORK/bird.ctl" show status 2>/dev/null | grep -q "Daemon is up"; do sleep 0.1; done
mem_bird() { run birdc -s "$WORK/bird.ctl" show memory | awk '/^Total:/ { v=$2; u=$3; if (u=="kB") v*=1024; else if (u=="MB") v*=1048576; else if (u=="GB") v*=1073741824; printf "%d", v }'; }
B_BEFORE=$(mem_bird)
feed 127.0.0.3 64512 bird
wait_for "$WORK/feed-bird.out" "^start" 120
while true; do
  # the protocol's import counter is cheap to read, unlike counting the table
  N=$(run birdc -s "$WORK/bird.ctl" show protocols all feed | awk '/Routes:/ {print $2; exit}')
  [ "${N:-0}" -ge "$COUNT" ] && break
  sleep 0.05
done
B_DONE=$(now_ms)
B_START=$(awk '/^start/ {print $2}' "$WORK/feed-bird.out")
B_MS=$((B_DONE - B_START))
B_AFTER=$(mem_bird)
B_BPP=$(awk -v a="$B_AFTER" -v b="$B_BEFORE" -v n="$COUNT" 'BEGIN { printf "%.1f", (a-b)/n }')
B_RSS=$(rss_kb "$BIRD")
stop_pid "$FEEDER"; stop_pid "$BIRD"
echo "bird: ${B_MS} ms, ${B_BPP} B/prefix (show memory), RSS ${B_RSS} kB"
}

phase_gobgp() {
echo "== GoBGP"
cat > "$WORK/gobgpd.toml" <<CONF
[global.config]
  as = 64512
  router-id = "127.0.0.4"
  port = 179
  local-address-list = ["127.0.0.4"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.2"
    peer-as = 65001
  [neighbors.transport.config]
    passive-mode = true
  [neighbors.timers.config]
    hold-time = 180
CONF
ip netns exec "$NS" gobgpd -f "$WORK/gobgpd.toml" --api-hosts 127.0.0.1:50051 -l warn --pprof-disable > "$WORK/gobgpd.log" 2>&1 &
GOBGP=$!; PIDS+=("$GOBGP")
until run gobgp global >/dev/null 2>&1; do sleep 0.1; done
G_BEFORE=$(rss_kb "$GOBGP")
feed 127.0.0.4 64512 gobgp
wait_for "$WORK/feed-gobgp.out" "^start" 120
while true; do
  N=$(run gobgp global rib summary -a ipv4 2>/dev/null | grep -o 'Destination: [0-9]*' | grep -o '[0-9]*$' || true)
  [ "${N:-0}" -ge "$COUNT" ] && break
  sleep 0.1
done
G_DONE=$(now_ms)
G_START=$(awk '/^start/ {print $2}' "$WORK/feed-gobgp.out")
G_MS=$((G_DONE - G_START))
G_AFTER=$(rss_kb "$GOBGP")
G_BPP=$(awk -v a="$G_AFTER" -v b="$G_BEFORE" -v n="$COUNT" 'BEGIN { printf "%.1f", (a-b)*1024/n }')
stop_pid "$FEEDER"; stop_pid "$GOBGP"
echo "gobgp: ${G_MS} ms, RSS growth ${G_BPP} B/prefix, RSS ${G_AFTER} kB"
}

want lattice && phase_lattice
want bird && phase_bird
want gobgp && phase_gobgp

echo
echo "== results ($COUNT prefixes, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
printf '%-8s %12s %14s %12s %s\n' speaker time_ms bytes/prefix rss_kB note
printf '%-8s %12s %14s %12s %s\n' lattice "$L_MS" "$L_BPP" "$L_RSS" "Java heap after GC; last round (warm JVM); cold round 1: $L_COLD ms"
printf '%-8s %12s %14s %12s %s\n' bird "$B_MS" "$B_BPP" "$B_RSS" "birdc show memory"
printf '%-8s %12s %14s %12s %s\n' gobgp "$G_MS" "$G_BPP" "$G_AFTER" "RSS growth"
if [ "$L_MS" != - ] && [ "$B_MS" != - ]; then
  awk -v l="$L_MS" -v b="$B_MS" 'BEGIN { printf "time ratio lattice/bird = %.2f\n", l/b }'
fi
if [ "$L_MS" != - ] && [ "$G_MS" != - ]; then
  awk -v l="$L_MS" -v g="$G_MS" 'BEGIN { printf "time ratio lattice/gobgp = %.2f\n", l/g }'
fi
