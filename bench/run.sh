#!/usr/bin/env bash
# The client benchmark, in one command (`make bench`): this project's JDBC driver and go-dqlite's
# dqlite-benchmark, side by side on ONE 3-node loopback cluster, one after the other, over the
# matrix {kvwrite, kvreadwrite} x {1, 4, 16 workers} x {driver on the leader, on a non-leader}.
# Prints the comparison (ratios Java/go) and rewrites the results section of docs/benchmarks.md.
#
# The cluster is made of dqlite-benchmark processes (go-dqlite's `app`, one per node), because
# go's workload can only run inside one of them (`--driver`). For a go run, the driver node's
# process is restarted with --driver; for a Java run, every node is a plain (passive) node and the
# Java client connects from its own JVM. docs/benchmarks.md explains the placement exactly.
#
# Environment (defaults in brackets):
#   BENCH_DURATION   measured seconds per implementation and configuration [20]
#   BENCH_SLICES     slices those seconds are cut in, alternating go, Java, Java, go [2]
#   BENCH_WARMUP     seconds each slice runs before measuring, not counted [10: a new JVM's C2
#                    compiler works for its first 10 to 12 s, on the cores the nodes need]
#   BENCH_WORKLOADS  ["kvwrite kvreadwrite"]     BENCH_WORKERS ["1 4 16"]
#   BENCH_PLACEMENTS ["leader non-leader"]       BENCH_IP_PREFIX [127.0.9]  BENCH_PORT [9001]
#   BENCH_DOC        markdown file whose results section is rewritten [docs/benchmarks.md];
#                    empty: do not write
#   BENCH_BUILD      1: always rebuild the jar; 0: never; auto: when missing [auto]
#   BENCH_JAVA_OPTS  JVM options of the Java workload [-Xmx512m -XX:+UseSerialGC]
#   BENCH_JAVA_MODE  AUTOCOMMIT: each write one auto-commit executeUpdate through
#                    DqliteTransactions.inAutoCommit (one request, as go's db.Exec); TRANSACTION:
#                    each write a transaction through DqliteTransactions.inTransaction (BEGIN,
#                    INSERT, COMMIT: three requests) [AUTOCOMMIT]
#   BENCH_JAVA_PROPS driver properties in URL form for the Java workload [groupCommit=TRUE: the
#                    writes of the workers that queue together commit as one transaction;
#                    docs/jdbc.md "Group commit"]; empty: the driver's defaults
#   BENCH_KEEP       1: keep the working directory (node data, logs, raw results) [0]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${BENCH_DURATION:-20}
SLICES=${BENCH_SLICES:-2}
WARMUP=${BENCH_WARMUP:-10}
WORKLOADS=${BENCH_WORKLOADS:-"kvwrite kvreadwrite"}
WORKERS=${BENCH_WORKERS:-"1 4 16"}
PLACEMENTS=${BENCH_PLACEMENTS:-"leader non-leader"}
PREFIX=${BENCH_IP_PREFIX:-127.0.9}
PORT=${BENCH_PORT:-9001}
DOC=${BENCH_DOC-$ROOT/docs/benchmarks.md}
BUILD=${BENCH_BUILD:-auto}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
JAVA_MODE=${BENCH_JAVA_MODE:-AUTOCOMMIT}
JAVA_PROPS=${BENCH_JAVA_PROPS-groupCommit=TRUE}
KEEP=${BENCH_KEEP:-0}
JAR=$ROOT/bench/target/dqlite-bench.jar

NODES=("$PREFIX.1:$PORT" "$PREFIX.2:$PORT" "$PREFIX.3:$PORT")
ALL=$(IFS=,; echo "${NODES[*]}")
declare -A PID=() # address -> pid of the dqlite-benchmark process serving it

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for tool in dqlite-benchmark dqlite java; do
  command -v "$tool" >/dev/null || die "$tool not found; run 'make deps' (go-dqlite, openjdk-17)"
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 && $DURATION -le 600 ]] ||
  die "BENCH_DURATION must be 1..600 seconds, got '$DURATION'"
[[ $SLICES =~ ^[0-9]+$ && $SLICES -ge 1 && $SLICES -le $DURATION ]] ||
  die "BENCH_SLICES must be 1..BENCH_DURATION, got '$SLICES'"
[[ $WARMUP =~ ^[0-9]+$ && $WARMUP -le 60 ]] || die "BENCH_WARMUP must be 0..60 seconds"
SLICE=$((DURATION / SLICES))

WORK=$(mktemp -d /tmp/dqlite-bench.XXXXXX)
mkdir -p "$WORK/nodes" "$WORK/logs"
RESULTS=$WORK/results.tsv

# Waits (at most 10 s) for a process we started to end, then kills it.
wait_gone() {
  local pid=$1 i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? a
  trap - EXIT INT TERM
  for a in "${!PID[@]}"; do kill -TERM "${PID[$a]}" 2>/dev/null || true; done
  for a in "${!PID[@]}"; do wait_gone "${PID[$a]}"; done
  if [[ $KEEP == 1 || $rc != 0 ]]; then
    log "working directory kept: $WORK (node logs in $WORK/logs)"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The Java side: admin steps start fast (C1 only); the workload runs with normal JIT.
tool() { java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR" "$@"; }

# start_node ADDR [dqlite-benchmark flags...]: the first node bootstraps, the others join it
# (go-dqlite ignores --join once a node has its data directory).
start_node() {
  local addr=$1
  shift
  local join=()
  [[ $addr == "${NODES[0]}" ]] || join=(--join "${NODES[0]}")
  dqlite-benchmark --db "$addr" --dir "$WORK/nodes" "${join[@]}" --cluster-timeout 60 "$@" \
    >>"$WORK/logs/$addr.log" 2>&1 &
  PID[$addr]=$!
}

stop_node() {
  local addr=$1
  [[ -n ${PID[$addr]:-} ]] || return 0
  kill -TERM "${PID[$addr]}" 2>/dev/null || true
  wait_gone "${PID[$addr]}"
  unset "PID[$addr]"
}

# others LEADER: the two other nodes, in a fixed order.
others() {
  local n
  for n in "${NODES[@]}"; do [[ $n == "$1" ]] || echo "$n"; done
}

build() {
  if [[ $BUILD == 1 || ($BUILD == auto && ! -f $JAR) ]]; then
    log "building the client and the benchmark jar"
    (cd "$ROOT" && mvn -B -ntp -q -pl bench -am install -DskipTests) || die "build failed"
  fi
  [[ -f $JAR ]] || die "$JAR missing (BENCH_BUILD=1 builds it)"
}

# go_slice WORKLOAD WORKERS PLACEMENT OUT_DIR: one go slice; its result files end up in OUT_DIR.
# The driver is a follower X restarted with --driver. Its workload starts only once every node of
# --cluster is online, so the third node Y is stopped first and started again only after the
# leadership is where the placement wants it: on X ("leader") or on the other node ("non-leader").
go_slice() {
  local workload=$1 workers=$2 placement=$3 out=$4 leader x y target rc pid i during f
  leader=$(tool prepare --nodes "$ALL")
  mapfile -t f < <(others "$leader")
  x=${f[0]} y=${f[1]}
  if [[ $placement == leader ]]; then target=$x; else target=$leader; fi
  log "go   $workload workers=$workers driver=$placement: driver node $x, leader $target"
  rm -rf "$WORK/nodes/$x/results"
  stop_node "$y"
  stop_node "$x"
  start_node "$x" --driver --cluster "$ALL" --workload "$workload" --workers "$workers" \
    --duration "$((WARMUP + SLICE))"
  pid=${PID[$x]}
  # --settle: the driver's CREATE TABLE IF NOT EXISTS runs first; move the leadership after it.
  tool place --nodes "$x,$leader" --to "$target" --settle 2 --timeout 90 ||
    die "could not place the leadership on $target"
  start_node "$y"
  for ((i = 0; i < (WARMUP + SLICE + 120) * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    if ((i == (WARMUP + SLICE) * 5)); then # halfway: is the leadership still where it was placed?
      # go-dqlite's own shell: a few ms of CPU, where a JVM would weigh on the run it checks.
      during=$(timeout 10 dqlite -s "$ALL" benchmark .leader 2>/dev/null || echo "?")
      if [[ $during != "$target" ]]; then
        log "WARNING: leadership moved from $target to $during during the go run"
      fi
    fi
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    stop_node "$x"
    die "dqlite-benchmark driver on $x still running $((WARMUP + SLICE + 120)) s after start"
  fi
  rc=0
  wait "$pid" || rc=$?
  unset "PID[$x]"
  start_node "$x"
  [[ $rc == 0 ]] || return 1
  mv "$WORK/nodes/$x/results" "$out"
}

# go_run ...: a go slice, tried a second time if its driver failed (it exits on any error,
# e.g. when the leadership moved while it was still setting up).
go_run() {
  go_slice "$@" && return 0
  log "dqlite-benchmark's driver failed (log: $WORK/logs/); trying this slice once more"
  tool await-ready --nodes "$ALL" --timeout 60 >/dev/null || die "the cluster did not recover"
  go_slice "$@" || die "dqlite-benchmark's driver failed twice; see $WORK/logs/"
}

# java_run WORKLOAD WORKERS PLACEMENT OUT_FILE: one Java slice; its samples go to OUT_FILE.
# The Java client runs in its own JVM; "leader": the leader's address is the first it tries;
# "non-leader": a follower's address is first, so it learns the leader from that follower.
java_run() {
  local workload=$1 workers=$2 placement=$3 out=$4 leader seeds f
  leader=$(tool prepare --nodes "$ALL")
  mapfile -t f < <(others "$leader")
  if [[ $placement == leader ]]; then
    seeds="$leader,${f[0]},${f[1]}"
  else
    seeds="${f[0]},$leader,${f[1]}"
  fi
  log "java $workload workers=$workers driver=$placement: nodes tried in order $seeds"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  java $JAVA_OPTS -jar "$JAR" run --nodes "$seeds" --workload "$workload" --workers "$workers" \
    --duration "$SLICE" --warmup "$WARMUP" --placement "$placement" --mode "$JAVA_MODE" \
    ${JAVA_PROPS:+--url-params "$JAVA_PROPS"} --samples "$out" >/dev/null ||
    die "the Java workload failed"
}

build
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u +"%Y-%m-%d %H:%M UTC")
log "cluster ${NODES[*]} (data and logs in $WORK)"
start_node "${NODES[0]}"
tool leader --nodes "${NODES[0]}" >/dev/null || die "node ${NODES[0]} did not start"
start_node "${NODES[1]}"
start_node "${NODES[2]}"
tool await-ready --nodes "$ALL" --timeout 60 >/dev/null || die "the cluster did not form"

n=0
mkdir -p "$WORK/slices"
for workload in $WORKLOADS; do
  for workers in $WORKERS; do
    for placement in $PLACEMENTS; do
      # Slices alternate go, Java, Java, go (the next configuration: Java, go, go, Java), so that
      # load that changes during a configuration weighs on both sides alike.
      pool=()
      for ((k = 0; k < SLICES; k++)); do
        base="$WORK/slices/$workload-$workers-$placement-$k"
        if (((n + k) % 2 == 0)); then
          go_run "$workload" "$workers" "$placement" "$base.go"
          java_run "$workload" "$workers" "$placement" "$base.java"
        else
          java_run "$workload" "$workers" "$placement" "$base.java"
          go_run "$workload" "$workers" "$placement" "$base.go"
        fi
        pool+=(--go "$base.go" --java "$base.java")
      done
      tool pool --workload "$workload" --workers "$workers" --placement "$placement" \
        --go-seconds "$SLICE" --warmup "$WARMUP" "${pool[@]}" >>"$RESULTS"
      n=$((n + 1))
    done
  done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(cd "$ROOT" && git status --porcelain 2>/dev/null | head -1) ]]; then
  COMMIT="$COMMIT + uncommitted changes"
fi
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
MEM=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
VERSIONS=$(dpkg-query -W -f='${Package} ${Version}, ' libdqlite0 go-dqlite 2>/dev/null | sed 's/, $//')
JAVA_VERSION=$(java -version 2>&1 | head -1 | sed 's/"//g')
MACHINE="$(nproc) cores ($CPU), $MEM, $(uname -sr), loopback; $VERSIONS; $JAVA_VERSION"

doc_args=()
if [[ -n $DOC ]]; then doc_args=(--doc "$DOC"); fi
echo
tool report --results "$RESULTS" "${doc_args[@]}" \
  --date "$STARTED" --commit "$COMMIT" --machine "$MACHINE" \
  --load-before "$LOAD_BEFORE" --load-after "$LOAD_AFTER" \
  --command "make bench (bash bench/run.sh), BENCH_DURATION=$DURATION BENCH_SLICES=$SLICES" \
  --duration-note "$((SLICE * SLICES)) s measured per implementation and configuration, in $SLICES slices of $SLICE s alternating go, Java, Java, go; each slice first runs $WARMUP s of the same workload unmeasured (errors in it still counted); Java writes: $JAVA_MODE${JAVA_PROPS:+, driver properties: $JAVA_PROPS}, JVM options: $JAVA_OPTS"
cp "$RESULTS" "$ROOT/bench/target/last-results.tsv" 2>/dev/null || true
