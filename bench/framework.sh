#!/usr/bin/env bash
# The framework workload (`make bench`, after run.sh): Hibernate ORM read-modify-write units of work
# behind HikariCP (this project's driver, no retry code) beside go-dqlite's database/sql running the
# same transaction (BEGIN, SELECT, SELECT, UPDATE, UPDATE, INSERT, COMMIT, the whole transaction
# retried on busy), at 1, 4 and 16 workers, one after the other on ONE 3-node cluster of go-dqlite's
# dqlite-demo on loopback. Prints a markdown table (tx/s, p50, p99, retries, errors, requests and
# round trips per unit, the client process's CPU per unit); docs/benchmarks.md
# ("Framework workload") records a run.
#
# Environment (defaults in brackets):
#   BENCH_DURATION [20] measured seconds per implementation and worker count
#   BENCH_WARMUP   [45] seconds run first, not measured (the JVM's JIT is still compiling
#                  Hibernate at 10 s: docs/benchmarks.md, Framework workload)
#   BENCH_WORKERS  ["1 4 16"]   BENCH_IP_PREFIX [127.0.23]
#   BENCH_JAVA_OPTS [-Xmx512m -XX:+UseSerialGC]
# Needs: bench/target/dqlite-bench.jar (mvn -pl bench -am package) and go-dqlite's tools (make deps).
# The go-dqlite side, bench/go-rmw, is built once into ~/.cache/dqlite-k8s/bin/rmw-bench, with the
# machine's Go (Debian's golang-go is installed when there is none).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-45}
WORKERS=${BENCH_WORKERS:-"1 4 16"}
PREFIX=${BENCH_IP_PREFIX:-127.0.23}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
JAR=$ROOT/bench/target/dqlite-bench.jar
CACHE=${DQLITE_K8S_CACHE:-$HOME/.cache/dqlite-k8s}
RMW=$CACHE/bin/rmw-bench

log() { printf '%s framework: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for tool in dqlite-demo dqlite java; do
  command -v "$tool" >/dev/null || die "$tool not found; run 'make deps'"
done
[[ -f $JAR ]] || die "$JAR missing: mvn -pl bench -am package -DskipTests"
if [[ ! -x $RMW ]]; then
  if ! command -v go >/dev/null; then # bench/go-rmw builds with Debian bookworm's Go 1.19
    log "no go: installing Debian's golang-go to build $RMW"
    sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq golang-go >/dev/null
  fi
  log "building $RMW (go-dqlite v1.11.5 database/sql driver)"
  mkdir -p "$CACHE/bin"
  (cd "$ROOT/bench/go-rmw" && GOMODCACHE=$CACHE/go-mod GOCACHE=$CACHE/go-build GOPATH=$CACHE/gopath \
    GOFLAGS=-mod=mod go build -o "$RMW" .) || die "go build of bench/go-rmw failed"
fi

WORK=$(mktemp -d /tmp/dqlite-framework.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ $rc == 0 ]]; then rm -rf "$WORK"; else log "kept $WORK (node logs)"; fi
}
trap cleanup EXIT

NODES=("$PREFIX.1:9001" "$PREFIX.2:9001" "$PREFIX.3:9001")
ALL=$(IFS=,; echo "${NODES[*]}")
join=()
for i in 1 2 3; do
  dqlite-demo -a "$PREFIX.$i:8001" -d "$PREFIX.$i:9001" -D "$WORK/n$i" "${join[@]}" >"$WORK/n$i.log" 2>&1 &
  PIDS+=($!)
  join=(-j "$PREFIX.1:9001")
done
for _ in $(seq 1 120); do
  n=$(timeout 5 dqlite -s "$ALL" demo .cluster 2>/dev/null | grep -c voter || true)
  [[ $n -ge 3 ]] && break
  sleep 1
done
[[ ${n:-0} -ge 3 ]] || die "the cluster did not reach 3 voters; logs in $WORK"
log "cluster $ALL: 3 voters"

echo "| workers | impl | tx/s | p50 ms | p99 ms | retried | errors | first error | requests per unit | client CPU ms per unit |"
echo "|---:|---|---:|---:|---:|---:|---:|---|---|---|"
for w in $WORKERS; do
  db=$(printf 'w%02d' "$w") # fixed width: no database name may prefix another (docs/frameworks.md)
  log "go   $w workers"
  # go's CPU (user + system, from getrusage of the child) over its whole run, warm-up included:
  # go has no start-up worth counting, so divided by every unit it committed it is per unit.
  python3 - "$WORK/go-$w.cpu" "$RMW" --cluster "$ALL" --db "go_$db" --workers "$w" \
    --warmup "${WARMUP}s" --duration "${DURATION}s" >"$WORK/go-$w.json" 2>"$WORK/go-$w.err" <<'PY' ||
import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:]).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.3f" % (r.ru_utime + r.ru_stime))
sys.exit(rc)
PY
    die "go run failed: $(tail -3 "$WORK/go-$w.err")"
  log "java $w workers"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$JAR" io.dqlite.bench.rmw.HibernateRmw "$ALL" "java_$db" "$w" "$WARMUP" "$DURATION" \
    >"$WORK/java-$w.out" 2>&1 || die "java run failed: $(tail -3 "$WORK/java-$w.out")"
  grep '^{"impl"' "$WORK/java-$w.out" | tail -1 >"$WORK/java-$w.json"
  for impl in go java; do
    python3 - "$WORK/$impl-$w.json" "$WORK/go-$w.cpu" "$WARMUP" "$DURATION" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if r["impl"] == "go":
    # every unit of the run: the measured ones plus the warm-up's, at the measured rate
    units = r["txPerSec"] * (float(sys.argv[3]) + float(sys.argv[4]))
    cpu = "%.2f" % (float(open(sys.argv[2]).read()) * 1000 / units) if units else "-"
else:
    cpu = "%.2f (JIT %.1f s)" % (r["cpuMsPerUnit"], r["jitMs"] / 1000.0)
err = (r.get("firstError") or "-").replace("|", "/")[:60]
# go-dqlite's driver cannot count: its seven requests per unit are read from its code
# (BEGIN, QUERY_SQL x2, EXEC_SQL x3, COMMIT; a retried unit repeats them).
req = r.get("requestsPerUnit") or "7 in 7 round trips (from go-dqlite's code)"
print("| %d | %s | %.0f | %.2f | %.2f | %d | %d | %s | %s | %s |" % (
    r["workers"], r["impl"], r["txPerSec"], r["p50Ms"], r["p99Ms"], r["retried"], r["errors"], err, req,
    cpu))
PY
  done
done
