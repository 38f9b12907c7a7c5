#!/usr/bin/env bash
# The sidecar benchmark, in one command (`make bench-sidecar`): throughput through the app socket
# against straight TCP to the leader, and resident memory, on one 3-sidecar loopback cluster, then
# dqlite-demo's resident memory under the same write load on a 3-node dqlite-demo cluster.
# Prints the tables and rewrites the results part of the "Sidecar" section of docs/benchmarks.md.
#
#   1. Three sidecars (the launcher sidecar/src/main/dist/bin/dqlite-sidecar with its default JVM
#      flags) on 127.0.10.1-3:9001, admin 127.0.10.N:8081, app sockets @dqlite-bench-<pid>-N.
#   2. Memory first, on the fresh cluster: a steady write load (100 writes/s, paced, one worker,
#      60 s) through the app socket of a non-leader sidecar, VmRSS of the three JVMs sampled every
#      250 ms.
#   3. Throughput, in one run per worker count (1, then 4 workers per path): every write a
#      transaction (BEGIN, INSERT OR REPLACE of a 32 B key and a 1 KiB value, COMMIT) through this
#      project's JDBC driver. Three paths, each with its own workers and connections, take turns
#      in 2 s slices (order rotating every round) until each had 20 s: the app socket of a
#      non-leader sidecar, the app socket of the leader's sidecar, TCP straight to the leader.
#      The table is emptied before each run. VmRSS sampled as above; CPU time of every process
#      read at each slice boundary and charged to the slice's path.
#   4. The sidecars stop; three dqlite-demo nodes start on 127.0.10.21-23 (db :9001, api :8001)
#      and get the same steady write load (then the same unpaced runs, for reference) over TCP
#      straight to their leader's dqlite port: the same client, SQL and sizes, not dqlite-demo's
#      HTTP API. Their VmRSS is sampled the same way.
#
# Environment (defaults in brackets):
#   SIDECAR_BENCH_DURATION   measured seconds per path [20]   SIDECAR_BENCH_WARMUP [2]
#   SIDECAR_BENCH_WORKERS    ["1 4"]; " " (a space): no throughput runs, memory only
#   SIDECAR_BENCH_SLICE_MS   the paths take turns in slices this long [2000]
#   SIDECAR_BENCH_RATE       writes/s of the steady (memory) load [100]
#   SIDECAR_BENCH_MEMORY_DURATION  seconds of the steady load; 0: skip it [120]
#   SIDECAR_BENCH_KEYS       the steady load replaces rows of this many fixed keys, so that the
#                            database stops growing; 0: a new key per write (it grows) [1000]
#   SIDECAR_BENCH_WRITES     the throughput runs' writes: "transaction" (BEGIN, INSERT, COMMIT:
#                            three requests) and/or "autocommit" (one request) ["transaction autocommit"]
#   SIDECAR_BENCH_PATHS      ["socket-non-leader socket-leader tcp-leader"]
#   SIDECAR_BENCH_DEMO       1: also measure a dqlite-demo cluster on each engine [1]
#   SIDECAR_BENCH_ENGINES    the sidecar clusters, one after the other, in one run [host]:
#                            host         libdqlite 1.11.1 of this machine (cluster "sidecar")
#                            trixie       libdqlite 1.18.1 in the trixie root (scripts/trixie-root.sh;
#                                         its JRE 21), cluster "sidecar-1.18"
#                            trixie-disk  the same with --disk-mode true, cluster "sidecar-1.18-disk"
#                            dqlite-demo runs once per libdqlite: go-dqlite 1.11.5 on the host
#                            ("dqlite-demo"), go-dqlite 2.0.0 in the trixie root ("dqlite-demo-1.18")
#   SIDECAR_BENCH_JAVA_OPTS  the sidecars' JVM flags (the launcher's JAVA_OPTS); empty: the
#                            launcher's defaults [empty]
#   SIDECAR_BENCH_SIDECAR_FLAGS  extra dqlite-sidecar flags, e.g. "--snapshot-threshold 0
#                            --snapshot-trailing 0" (libdqlite's snapshot defaults) [empty]
#   SIDECAR_BENCH_NMT        1: native memory tracking in the sidecars; `jcmd VM.native_memory
#                            summary` of each is saved (and the leader's printed) after the runs [0]
#   SIDECAR_BENCH_CLIENT_OPTS  JVM flags of the load generator [-Xmx512m]
#   SIDECAR_BENCH_DOC        markdown file whose sidecar results are rewritten
#                            [docs/benchmarks.md]; empty: do not write
#   SIDECAR_BENCH_BUILD      1: always rebuild the jars; 0: never; auto: when missing/stale [auto]
#   SIDECAR_BENCH_KEEP       1: keep the working directory (data, logs, raw results) [0]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${SIDECAR_BENCH_DURATION:-20}
WARMUP=${SIDECAR_BENCH_WARMUP:-2}
WORKERS=${SIDECAR_BENCH_WORKERS:-"1 4"}
PATHS=${SIDECAR_BENCH_PATHS:-"socket-non-leader socket-leader tcp-leader"}
SLICE=${SIDECAR_BENCH_SLICE_MS:-2000}
RATE=${SIDECAR_BENCH_RATE:-100}
MEMORY_DURATION=${SIDECAR_BENCH_MEMORY_DURATION:-120}
KEYS=${SIDECAR_BENCH_KEYS:-1000}
WRITES=${SIDECAR_BENCH_WRITES:-"transaction autocommit"}
DEMO=${SIDECAR_BENCH_DEMO:-1}
ENGINES=${SIDECAR_BENCH_ENGINES:-host}
SIDECAR_OPTS=${SIDECAR_BENCH_JAVA_OPTS:-}
SIDECAR_FLAGS=${SIDECAR_BENCH_SIDECAR_FLAGS:-}
NMT=${SIDECAR_BENCH_NMT:-0}
CLIENT_OPTS=${SIDECAR_BENCH_CLIENT_OPTS:--Xmx512m}
DOC=${SIDECAR_BENCH_DOC-$ROOT/docs/benchmarks.md}
BUILD=${SIDECAR_BENCH_BUILD:-auto}
KEEP=${SIDECAR_BENCH_KEEP:-0}
PREFIX=127.0.10
BENCH_JAR=$ROOT/bench/target/dqlite-bench.jar
SIDECAR_JAR=$ROOT/sidecar/target/dqlite-sidecar.jar
LAUNCHER=$ROOT/sidecar/src/main/dist/bin/dqlite-sidecar
MAIN=io.dqlite.bench.sidecar.SidecarBench

TRIXIE_SCRIPT=$ROOT/scripts/trixie-root.sh

log() { printf '%s bench-sidecar: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for tool in java curl dqlite-demo; do
  command -v "$tool" >/dev/null || die "$tool not found; run 'make deps' (openjdk-17, go-dqlite)"
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 && $DURATION -le 600 ]] ||
  die "SIDECAR_BENCH_DURATION must be 1..600 seconds, got '$DURATION'"
[[ $MEMORY_DURATION =~ ^[0-9]+$ && $MEMORY_DURATION -le 1800 ]] ||
  die "SIDECAR_BENCH_MEMORY_DURATION must be 0..1800 seconds, got '$MEMORY_DURATION'"
[[ $RATE =~ ^[0-9]+$ && $RATE -ge 1 ]] || die "SIDECAR_BENCH_RATE must be a positive integer"
[[ $KEYS =~ ^[0-9]+$ ]] || die "SIDECAR_BENCH_KEYS must be 0 or a positive integer, got '$KEYS'"
for write in $WRITES; do
  [[ $write == transaction || $write == autocommit ]] ||
    die "SIDECAR_BENCH_WRITES: '$write' is neither transaction nor autocommit"
done
for engine in $ENGINES; do
  case $engine in
    host) ;;
    trixie | trixie-disk)
      [[ -f "$(bash "$TRIXIE_SCRIPT" path)/.dqlite-k8s-trixie-root" ]] ||
        die "engine $engine needs the trixie root: run 'make trixie-root' (bash scripts/trixie-root.sh build, as root)"
      ;;
    *) die "SIDECAR_BENCH_ENGINES: '$engine' is none of host, trixie, trixie-disk" ;;
  esac
done
if [[ $NMT == 1 ]]; then command -v jcmd >/dev/null || die "jcmd not found (needs a full JDK)"; fi

# Another run (or anything else) on our addresses would make the nodes fail to bind.
if command -v ss >/dev/null && ss -ltnH 2>/dev/null | grep -qE " $PREFIX\.(1|2|3|21|22|23):(9001|8081|8001) "; then
  die "something already listens on $PREFIX.x (another bench/sidecar.sh run?): $(ss -ltnpH | grep -E " $PREFIX\." | head -3)"
fi

WORK=$(mktemp -d /tmp/dqlite-bench-sidecar.XXXXXX)
mkdir -p "$WORK/home" "$WORK/logs"
RESULTS=$WORK/results.tsv
: >"$RESULTS"
declare -a PIDS=() # every process started, for the cleanup

# Waits (at most 30 s, a sidecar may hand over first) for a process we started to end, then
# kills it.
wait_gone() {
  local pid=$1 i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait_gone "$p"; done
  PIDS=()
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  if [[ $KEEP == 1 || $rc != 0 ]]; then
    log "working directory kept: $WORK (logs in $WORK/logs)"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build() {
  local stale=0
  if [[ -f $BENCH_JAR ]] && ! jar tf "$BENCH_JAR" 2>/dev/null | grep -q 'io/dqlite/bench/sidecar/SidecarBench.class'; then
    stale=1
  fi
  if [[ $BUILD == 1 || ($BUILD == auto && (! -f $BENCH_JAR || ! -f $SIDECAR_JAR || $stale == 1)) ]]; then
    log "building the sidecar and the benchmark jars"
    (cd "$ROOT" && mvn -B -ntp -q -pl sidecar,bench -am package -DskipTests) || die "build failed"
  fi
  [[ -f $BENCH_JAR && -f $SIDECAR_JAR ]] || die "jars missing (SIDECAR_BENCH_BUILD=1 builds them)"
  # Private copies: a concurrent build of either module must not change them under the run.
  cp "$BENCH_JAR" "$WORK/dqlite-bench.jar"
  cp "$SIDECAR_JAR" "$WORK/home/dqlite-sidecar.jar"
  cp "$LAUNCHER" "$WORK/home/dqlite-sidecar"
}

# on_engine ENGINE COMMAND...: COMMAND as is on the host; in the trixie root (its own java,
# dqlite-demo and libdqlite 1.18.1) with the working directory bound at the same path. The
# command keeps the pid (the script execs), so the pid started is the process to sample.
on_engine() {
  local engine=$1
  shift
  case $engine in
    host) exec "$@" ;;
    *) exec bash "$TRIXIE_SCRIPT" run --bind "$WORK" --env XDG_CACHE_HOME=/tmp/cache -- "$@" ;;
  esac
}

# The cluster label of a sidecar cluster on ENGINE, and of the dqlite-demo cluster on its library.
sidecar_label() {
  case $1 in host) echo sidecar ;; trixie) echo sidecar-1.18 ;; trixie-disk) echo sidecar-1.18-disk ;; esac
}
demo_label() { case $1 in host) echo dqlite-demo ;; *) echo dqlite-demo-1.18 ;; esac; }

tool() { java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$WORK/dqlite-bench.jar" "$MAIN" "$@"; }

# The JVM's pid for a started launcher: the launcher execs java, so it is the same process;
# should a launcher ever fork instead, its java child is taken.
java_pid() {
  local pid=$1 i child
  for ((i = 0; i < 50; i++)); do
    if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == java ]]; then
      echo "$pid"
      return
    fi
    # shellcheck disable=SC2013 # the children files hold pids separated by spaces
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
      if [[ $(cat "/proc/$child/comm" 2>/dev/null) == java ]]; then
        echo "$child"
        return
      fi
    done
    sleep 0.1
  done
  die "no java process under launcher pid $pid"
}

# ---- sidecar cluster --------------------------------------------------------------------------
SC_ADDR=() SC_ADMIN=() SC_SOCK=() SC_PID=()
start_sidecars() {
  local engine=$1 i java_bin env flags=()
  java_bin=$(command -v java)
  [[ $engine == host ]] || java_bin=/usr/bin/java
  env=(env -u JAVA_OPTS -u JAVA_TOOL_OPTIONS DQLITE_HOME="$WORK/home" JAVA="$java_bin")
  [[ -z $SIDECAR_OPTS ]] || env+=(JAVA_OPTS="$SIDECAR_OPTS")
  [[ $NMT != 1 ]] || env+=(JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary)
  [[ $engine != trixie-disk ]] || flags+=(--disk-mode true)
  SC_ADDR=() SC_ADMIN=() SC_SOCK=() SC_PID=()
  for i in 1 2 3; do
    SC_ADDR+=("$PREFIX.$i:9001")
    SC_ADMIN+=("$PREFIX.$i:8081")
    SC_SOCK+=("@dqlite-bench-$$-$i")
    rm -rf "$WORK/sidecar-$i"
    mkdir -p "$WORK/sidecar-$i"
    # shellcheck disable=SC2086 # SIDECAR_FLAGS is a list of flags
    (on_engine "$engine" "${env[@]}" bash "$WORK/home/dqlite-sidecar" run --dir "$WORK/sidecar-$i" \
      --address "$PREFIX.$i:9001" --join "$PREFIX.1:9001" --app-socket "@dqlite-bench-$$-$i" \
      --admin-address "$PREFIX.$i:8081" --zone "zone-$i" \
      --pod-labels-file "$WORK/sidecar-$i/no-labels" "${flags[@]}" $SIDECAR_FLAGS) \
      >"$WORK/logs/$(sidecar_label "$engine")-$i.log" 2>&1 &
    PIDS+=($!)
  done
  local n=${#PIDS[@]}
  for i in 0 1 2; do SC_PID+=("$(java_pid "${PIDS[$((n - 3 + i))]}")"); done
  local deadline=$((SECONDS + 120)) ready
  while :; do
    ready=0
    for i in 0 1 2; do
      kill -0 "${SC_PID[$i]}" 2>/dev/null || die "sidecar ${SC_ADDR[$i]} exited (log: $WORK/logs/$(sidecar_label "$engine")-$((i + 1)).log)"
      [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://${SC_ADMIN[$i]}/readyz") == 200 ]] &&
        ready=$((ready + 1))
    done
    ((ready == 3)) && break
    ((SECONDS < deadline)) || die "the sidecars were not ready within 120 s (logs in $WORK/logs)"
    sleep 0.5
  done
}

# Sets LEADER (index) and FA/FB (follower indexes) from the cluster's answer.
find_roles() {
  local addr=$1 i
  LEADER=-1 FA=-1 FB=-1
  for i in 0 1 2; do
    if [[ ${NODE_ADDR[$i]} == "$addr" ]]; then LEADER=$i; elif ((FA < 0)); then FA=$i; else FB=$i; fi
  done
  ((LEADER >= 0)) || die "leader $addr is none of ${NODE_ADDR[*]}"
}

# bench_run CLUSTER PATH WORKERS URL [RATE SECONDS]: unpaced for DURATION s, or paced at RATE
# writes/s for SECONDS; transactions over KEYS fixed keys.
bench_run() {
  local cluster=$1 path=$2 workers=$3 url=$4 rate=${5:-0} seconds=${6:-$DURATION} before after
  tool reset --nodes "$ALL" || die "could not empty the benchmark table"
  before=$(tool await --nodes "$ALL" --timeout 60) || die "cluster not ready before the run"
  [[ $before == "${NODE_ADDR[$LEADER]}" ]] || die "leadership moved to $before before the run"
  log "$cluster $path workers=$workers rate=${rate/#0/unpaced} ($url), leader ${NODE_ADDR[$LEADER]}"
  # shellcheck disable=SC2086 # CLIENT_OPTS is a list of flags
  java $CLIENT_OPTS -cp "$WORK/dqlite-bench.jar" "$MAIN" run --url "$url" --cluster "$cluster" \
    --path "$path" --workers "$workers" --duration "$seconds" --warmup "$WARMUP" --rate "$rate" \
    --keys "$KEYS" --rss "leader=${NODE_PID[$LEADER]},follower-a=${NODE_PID[$FA]},follower-b=${NODE_PID[$FB]}" \
    --series "$WORK/rss-series.tsv" >"$WORK/run.tsv" || die "the write load failed"
  cat "$WORK/run.tsv" >>"$RESULTS"
  cut -f2-12 "$WORK/run.tsv" | sed 's/^/    /' >&2
  after=$(tool await --nodes "$ALL" --timeout 60 2>/dev/null || echo "?")
  [[ $after == "$before" ]] || log "WARNING: leadership moved from $before to $after during the run"
}

# bench_compare CLUSTER WRITE WORKERS --path NAME=URL...: the paths take turns in slices of SLICE
# ms until each had DURATION s (see Interleaved.java); WRITE is transaction or autocommit, and
# autocommit runs label their paths "autocommit:NAME".
bench_compare() {
  local cluster=$1 write=$2 workers=$3 before after
  shift 3
  local args=() a
  for a in "$@"; do
    if [[ $write == autocommit && $a == *=* ]]; then a="autocommit:$a"; fi
    args+=("$a")
  done
  [[ $write != autocommit ]] || args+=(--autocommit)
  tool reset --nodes "$ALL" || die "could not empty the benchmark table"
  before=$(tool await --nodes "$ALL" --timeout 60) || die "cluster not ready before the run"
  [[ $before == "${NODE_ADDR[$LEADER]}" ]] || die "leadership moved to $before before the run"
  log "$cluster $write workers=$workers, paths taking turns: ${args[*]}"
  # shellcheck disable=SC2086 # CLIENT_OPTS is a list of flags
  java $CLIENT_OPTS -cp "$WORK/dqlite-bench.jar" "$MAIN" compare --cluster "$cluster" "${args[@]}" \
    --workers "$workers" --duration "$DURATION" --warmup "$WARMUP" --slice-ms "$SLICE" \
    --rss "leader=${NODE_PID[$LEADER]},follower-a=${NODE_PID[$FA]},follower-b=${NODE_PID[$FB]}" \
    --series "$WORK/rss-series.tsv" >"$WORK/run.tsv" || die "the write load failed"
  cat "$WORK/run.tsv" >>"$RESULTS"
  grep '^run' "$WORK/run.tsv" | cut -f2-12 | sed 's/^/    /' >&2
  after=$(tool await --nodes "$ALL" --timeout 60 2>/dev/null || echo "?")
  [[ $after == "$before" ]] || log "WARNING: leadership moved from $before to $after during the run"
}

build
STARTED=$(date -u +"%Y-%m-%d %H:%M UTC")
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# sidecar_cluster ENGINE: one fresh sidecar cluster on ENGINE, its memory run, its throughput runs.
sidecar_cluster() {
  local engine=$1 label path workers write i
  label=$(sidecar_label "$engine")
  log "$label cluster on $PREFIX.1-3 (data and logs in $WORK)"
  start_sidecars "$engine"
  NODE_ADDR=("${SC_ADDR[@]}") NODE_PID=("${SC_PID[@]}")
  ALL=$(IFS=,; echo "${SC_ADDR[*]}")
  find_roles "$(tool await --nodes "$ALL" --timeout 60)" || exit 1
  log "leader ${SC_ADDR[$LEADER]} (pid ${SC_PID[$LEADER]}); non-leader socket ${SC_SOCK[$FA]}"
  if ((MEMORY_DURATION > 0)); then
    bench_run "$label" steady:socket-non-leader 1 "jdbc:dqlite://${SC_SOCK[$FA]}/benchmark" \
      "$RATE" "$MEMORY_DURATION"
  fi
  path_args=()
  for path in $PATHS; do
    case $path in
      socket-non-leader) path_args+=(--path "$path=jdbc:dqlite://${SC_SOCK[$FA]}/benchmark") ;;
      socket-leader) path_args+=(--path "$path=jdbc:dqlite://${SC_SOCK[$LEADER]}/benchmark") ;;
      tcp-leader) path_args+=(--path "$path=jdbc:dqlite://${SC_ADDR[$LEADER]}/benchmark") ;;
      *) die "unknown path '$path' in SIDECAR_BENCH_PATHS" ;;
    esac
  done
  for write in $WRITES; do
    for workers in $WORKERS; do
      bench_compare "$label" "$write" "$workers" "${path_args[@]}"
    done
  done
  if [[ $NMT == 1 ]]; then
    for i in 0 1 2; do
      jcmd "${SC_PID[$i]}" VM.native_memory summary >"$WORK/logs/nmt-$label-$((i + 1)).txt" 2>&1 || true
    done
    log "native memory of the leader's sidecar (all three in $WORK/logs/nmt-*.txt):"
    grep -E '^(Total|-| +\()|committed' "$WORK/logs/nmt-$label-$((LEADER + 1)).txt" | head -60 >&2 || true
    KEEP=1
  fi
  stop_all
}

# demo_cluster ENGINE: a fresh dqlite-demo cluster (go-dqlite 1.11.5 on the host, 2.0.0 in the
# trixie root), the same steady load and the same throughput runs, straight to its leader.
demo_cluster() {
  local engine=$1 label i join write workers
  label=$(demo_label "$engine")
  log "$label cluster on $PREFIX.21-23"
  DM_ADDR=() DM_PID=()
  for i in 1 2 3; do
    DM_ADDR+=("$PREFIX.2$i:9001")
    join=()
    ((i == 1)) || join=(-j "$PREFIX.21:9001")
    rm -rf "$WORK/demo-$i"
    mkdir -p "$WORK/demo-$i"
    (on_engine "$engine" dqlite-demo -a "$PREFIX.2$i:8001" -d "$PREFIX.2$i:9001" -D "$WORK/demo-$i" \
      "${join[@]}") >"$WORK/logs/$label-$i.log" 2>&1 &
    PIDS+=($!)
    DM_PID+=($!)
    ((i > 1)) || sleep 1 # the first node bootstraps before the others ask to join
  done
  NODE_ADDR=("${DM_ADDR[@]}") NODE_PID=("${DM_PID[@]}")
  ALL=$(IFS=,; echo "${DM_ADDR[*]}")
  find_roles "$(tool await --nodes "$ALL" --timeout 90)" || exit 1
  if ((MEMORY_DURATION > 0)); then
    bench_run "$label" steady:tcp-leader 1 "jdbc:dqlite://${DM_ADDR[$LEADER]}/benchmark" \
      "$RATE" "$MEMORY_DURATION"
  fi
  for write in $WRITES; do
    for workers in $WORKERS; do
      bench_compare "$label" "$write" "$workers" \
        --path "tcp-leader=jdbc:dqlite://${DM_ADDR[$LEADER]}/benchmark"
    done
  done
  stop_all
}

demos_done=" "
for engine in $ENGINES; do
  sidecar_cluster "$engine"
  # dqlite-demo once per library, right after the first sidecar cluster on it.
  lib=host
  [[ $engine == host ]] || lib=trixie
  if [[ $DEMO == 1 && $demos_done != *" $lib "* ]]; then
    demo_cluster "$lib"
    demos_done="$demos_done$lib "
  fi
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
if [[ $ENGINES != host ]]; then
  TRIXIE_DIR=$(bash "$TRIXIE_SCRIPT" path)
  VERSIONS="host: $VERSIONS, $JAVA_VERSION; trixie root: $(chroot "$TRIXIE_DIR" dpkg-query -W \
    -f='${Package} ${Version}, ' libdqlite0 go-dqlite openjdk-21-jre-headless | sed 's/, $//')"
  JAVA_VERSION="engines: $ENGINES"
fi
FLAGS=${SIDECAR_OPTS:-the launcher\'s defaults}
[[ $NMT != 1 ]] || FLAGS="$FLAGS + -XX:NativeMemoryTracking=summary"
[[ -z $SIDECAR_FLAGS ]] || FLAGS="$FLAGS; sidecar flags added: $SIDECAR_FLAGS"
doc_args=()
[[ -z $DOC ]] || doc_args=(--doc "$DOC")
echo
tool report --results "$RESULTS" "${doc_args[@]}" --date "$STARTED" --commit "$COMMIT" \
  --machine "$(nproc) cores ($CPU), $MEM, loopback; $VERSIONS; $JAVA_VERSION" \
  --load-before "$LOAD_BEFORE" --load-after "$LOAD_AFTER" \
  --command "\`make bench-sidecar\` (bash bench/sidecar.sh), SIDECAR_BENCH_DURATION=$DURATION" \
  --note "Throughput runs: $DURATION s measured after $WARMUP s unmeasured; steady load: $RATE transactions/s for $MEMORY_DURATION s over ${KEYS/#0/new} keys; sidecar JVM flags: $FLAGS."
cp "$RESULTS" "$ROOT/bench/target/sidecar-results.tsv" 2>/dev/null || true
cp "$WORK/rss-series.tsv" "$ROOT/bench/target/sidecar-rss-series.tsv" 2>/dev/null || true
