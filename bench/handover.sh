#!/usr/bin/env bash
# The handover benchmark: how long writes stop when the leader stops, for this project's App and
# for go-dqlite's dqlite-demo, in one run. Prints a markdown table (docs/benchmarks.md, section
# "Handover window", explains it). The main class is
# sidecar/src/test/java/io/dqlite/sidecar/bench/HandoverBench.java.
#
# Usage: bench/handover.sh [ROUNDS [SCENARIOS]]
#   ROUNDS     stops per scenario [5]
#   SCENARIOS  comma-separated, in this order by default:
#              app-handover,demo-sigterm,app-close,demo-sigkill
# Environment: HANDOVER_BENCH_BUILD  1: build client and sidecar test classes first [1]
#              HANDOVER_BENCH_JAVA_OPTS  JVM options [-Xmx512m]; add -Dhandover.bench.settle=true
#                to start each round only once every node answers promptly (caught up), and
#                -Dhandover.bench.log=INFO for the App's per-step handover log
# Loopback addresses 127.0.7.30-33, dynamic ports; working files in a temporary directory.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${1:-5}
SCENARIOS=${2:-app-handover,demo-sigterm,app-close,demo-sigkill}
BUILD=${HANDOVER_BENCH_BUILD:-1}
JAVA_OPTS=${HANDOVER_BENCH_JAVA_OPTS:--Xmx512m}
MVN=${MVN:-mvn -B -q -o}

log() { printf '%s handover-bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for tool in java dqlite-demo; do
  command -v "$tool" >/dev/null || { log "$tool not found; run 'make deps'"; exit 1; }
done
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -ge 1 && $ROUNDS -le 100 ]] || {
  log "ROUNDS must be 1..100, got '$ROUNDS'"; exit 1; }

cd "$ROOT"
if [[ $BUILD == 1 ]]; then
  log "building client and sidecar test classes"
  $MVN -pl client install -DskipTests
  $MVN -pl sidecar test-compile
fi
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
$MVN -pl sidecar org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
  -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
CP="$ROOT/sidecar/target/test-classes:$ROOT/sidecar/target/classes:$(cat "$CP_FILE")"

log "rounds=$ROUNDS scenarios=$SCENARIOS"
# shellcheck disable=SC2086
exec java $JAVA_OPTS -cp "$CP" io.dqlite.sidecar.bench.HandoverBench "$ROUNDS" "$SCENARIOS"
