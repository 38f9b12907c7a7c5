#!/usr/bin/env bash
# The operator benchmark (`make bench-operator`): how long the operator takes to bring a
# DqliteCluster to Ready and to scale it, on the local control plane (localkube: real
# kube-apiserver, controller-manager and scheduler; the node agent runs each pod's sidecar as a
# local process), and the reconcile latency quantiles from the operator's own metrics.
#
#   1. A control plane of its own (state in $OPERATOR_BENCH_DIR, free ports) and the node agent with
#      3 nodes in zone-a, zone-b, zone-c; the CRD; the operator as a local process
#      (operator/target/dqlite-operator.jar, admin kubeconfig, no leader election).
#   2. Per round: `kubectl apply` of a 3-replica DqliteCluster -> condition Ready; replicas 3 -> 5
#      (`kubectl scale`) -> done; 5 -> 3 -> done; the DqliteCluster is deleted and its pods gone
#      before the next round. "Done": Ready is True and Progressing is not, the status describes
#      the newest generation, and readyReplicas and the raft members equal the wanted count.
#      Polled every 0.5 s (the resolution of the times).
#   3. dqlite_operator_reconcile_seconds of the benchmark's clusters from the operator's /metrics,
#      read after the last round: count and mean over all rounds; max and the 0.5/0.9/0.99
#      quantiles over the timer's sliding window (about the last 2 minutes).
#   4. Prints a table and rewrites the results part of the "Operator" section of
#      docs/benchmarks.md; stops everything it started and deletes its state.
#
# Environment (defaults in brackets):
#   OPERATOR_BENCH_ROUNDS    rounds of apply/scale up/scale down [2]
#   OPERATOR_BENCH_TIMEOUT   seconds each phase may take before the run fails [300]
#   OPERATOR_BENCH_DIR       state directory; short (pods' unix socket paths live under it), not
#                            under /tmp [/var/tmp/dqb]
#   OPERATOR_BENCH_DOC       markdown file whose results part is rewritten [docs/benchmarks.md];
#                            empty: do not write
#   OPERATOR_BENCH_KEEP      1: leave everything running at the end (stop: bench/operator.sh down)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

ROUNDS=${OPERATOR_BENCH_ROUNDS:-2}
TIMEOUT=${OPERATOR_BENCH_TIMEOUT:-300}
DOC=${OPERATOR_BENCH_DOC-$REPO/docs/benchmarks.md}
export LOCALKUBE_DIR=${OPERATOR_BENCH_DIR:-/var/tmp/dqb}
export KUBECONFIG=$LOCALKUBE_DIR/admin.kubeconfig
NS=bench
OPERATOR_PIDFILE=$LOCALKUBE_DIR/run/bench-operator.pid
RESULTS=$LOCALKUBE_DIR/results.tsv

log() { printf 'bench-operator: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- start and stop -----------------------------------------------------------------------------

up() {
  for f in operator/target/dqlite-operator.jar sidecar/target/dqlite-sidecar.jar; do
    [ -f "$REPO/$f" ] || die "$f is missing: run \`make build\` (make bench-operator does)"
  done
  [ "${#LOCALKUBE_DIR}" -le 16 ] || die "OPERATOR_BENCH_DIR=$LOCALKUBE_DIR is longer than 16 characters: pods' app-socket paths under it would exceed 107 bytes"
  case $LOCALKUBE_DIR in /tmp/*) die "OPERATOR_BENCH_DIR must not be under /tmp (pods mount a volume there)" ;; esac
  PATH=$(bash "$REPO/localkube/build-binaries.sh" --print-bin-dir):$PATH
  export PATH
  if [ ! -f "$LOCALKUBE_DIR/config.env" ]; then
    # Free ports, remembered by control-plane.sh in config.env, so that the benchmark runs beside
    # `make cluster-up`, the demo and the test suites' control planes.
    export LOCALKUBE_API_PORT=$(free_port) LOCALKUBE_ETCD_PORT=$(free_port)
    export LOCALKUBE_ETCD_PEER_PORT=$(free_port) LOCALKUBE_KCM_PORT=$(free_port)
    export LOCALKUBE_SCHED_PORT=$(free_port)
  fi
  local t0
  t0=$(now)
  bash "$REPO/localkube/control-plane.sh" up >&2
  log "control plane up in $(since "$t0") s ($LOCALKUBE_DIR)"
  bash "$REPO/localkube/agent.sh" up >&2
  kubectl wait --for=condition=Ready node --all --timeout=120s >/dev/null
  kubectl apply --server-side -f "$REPO/crds/dqliteclusters.dqlite.io-v1.yml" >/dev/null
  kubectl wait --for condition=Established crd/dqliteclusters.dqlite.io --timeout=60s >/dev/null
  kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null

  local port
  port=$(free_port)
  mkdir -p "$LOCALKUBE_DIR/run" "$LOCALKUBE_DIR/logs"
  LEADER_ELECTION_ENABLED=false DQLITE_OPERATOR_HTTP_PORT=$port DQLITE_OPERATOR_HTTP_HOST=127.0.0.1 \
    setsid java -XX:+ExitOnOutOfMemoryError -jar "$REPO/operator/target/dqlite-operator.jar" \
    >>"$LOCALKUBE_DIR/logs/bench-operator.log" 2>&1 </dev/null &
  echo $! >"$OPERATOR_PIDFILE"
  METRICS=http://127.0.0.1:$port/metrics
  local deadline=$(($(date +%s) + 120))
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do
    kill -0 "$(cat "$OPERATOR_PIDFILE")" 2>/dev/null || die "the operator exited: $LOCALKUBE_DIR/logs/bench-operator.log"
    [ "$(date +%s)" -lt "$deadline" ] || die "the operator was not ready in 120 s"
    sleep 0.5
  done
  log "operator ready (pid $(cat "$OPERATOR_PIDFILE"), log $LOCALKUBE_DIR/logs/bench-operator.log)"
}

down() {
  [ -d "$LOCALKUBE_DIR" ] || return 0
  bash "$REPO/localkube/agent.sh" down >&2 || true
  if [ -f "$OPERATOR_PIDFILE" ]; then
    local pid
    pid=$(cat "$OPERATOR_PIDFILE")
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q dqlite-operator.jar; then
      kill "$pid"
    fi
    rm -f "$OPERATOR_PIDFILE"
  fi
  bash "$REPO/localkube/control-plane.sh" down --wipe >&2 || true
}

# --- measuring ----------------------------------------------------------------------------------

# state NAME: "generation observedGeneration ready progressing readyReplicas members"
state() {
  kubectl -n "$NS" get dqlitecluster "$1" -o jsonpath='{.metadata.generation} {.status.observedGeneration} {.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Progressing")].status} {.status.readyReplicas} {.status.members[*].id}' 2>/dev/null || true
}

# wait_done NAME REPLICAS START PHASE: until the cluster is done at REPLICAS; prints the seconds.
wait_done() {
  local name=$1 want=$2 start=$3 phase=$4 deadline s
  deadline=$(($(date +%s) + TIMEOUT))
  while :; do
    s=$(state "$name")
    # shellcheck disable=SC2086
    set -- $s
    local gen=${1:-0} observed=${2:-x} ready=${3:-} progressing=${4:-} readyReplicas=${5:-0}
    local members=0
    [ $# -gt 5 ] && members=$(($# - 5))
    if [ "$gen" = "$observed" ] && [ "$ready" = True ] && [ "$progressing" != True ] \
      && [ "$readyReplicas" = "$want" ] && [ "$members" = "$want" ]; then
      since "$start"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      kubectl -n "$NS" get dqlitecluster "$name" -o yaml | sed -n '/^status:/,$p' >&2 || true
      kubectl -n "$NS" get pods -o wide >&2 || true
      die "$phase: not done within $TIMEOUT s"
    fi
    sleep 0.5
  done
}

round() {
  local r=$1 name=bench$1 t0 ready up downs
  t0=$(now)
  kubectl -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: dqlite.io/v1alpha1
kind: DqliteCluster
metadata:
  name: $name
spec:
  replicas: 3
EOF
  ready=$(wait_done "$name" 3 "$t0" "round $r apply")
  log "round $r: apply -> Ready in $ready s"
  t0=$(now)
  kubectl -n "$NS" scale dqlitecluster "$name" --replicas=5 >/dev/null
  up=$(wait_done "$name" 5 "$t0" "round $r scale 3->5")
  log "round $r: 3 -> 5 done in $up s"
  t0=$(now)
  kubectl -n "$NS" scale dqlitecluster "$name" --replicas=3 >/dev/null
  downs=$(wait_done "$name" 3 "$t0" "round $r scale 5->3")
  log "round $r: 5 -> 3 done in $downs s"
  printf '%s\t%s\t%s\t%s\n' "$r" "$ready" "$up" "$downs" >>"$RESULTS"
  # Metrics first (the quantiles cover the last ~2 minutes), then the cluster goes.
  curl -fs "$METRICS" >"$LOCALKUBE_DIR/metrics-$r.txt" || true
  kubectl -n "$NS" delete dqlitecluster "$name" --wait=true --timeout=120s >/dev/null
  local deadline=$(($(date +%s) + 180))
  while [ -n "$(kubectl -n "$NS" get pods -l app.kubernetes.io/instance="$name" -o name 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || die "round $r: the pods of $name did not go in 180 s"
    sleep 1
  done
}

# quantiles FILE: "count mean max p50 p90 p99" of the reconciliations of the benchmark's clusters.
quantiles() {
  awk '
    /^dqlite_operator_reconcile_seconds/ && /namespace="bench"/ && /outcome="success"/ {
      v = $NF
      if ($0 ~ /_count\{/) { c += v }
      else if ($0 ~ /_sum\{/) { s += v }
      else if ($0 ~ /_max\{/) { if (v > m) m = v }
      else if ($0 ~ /quantile="0.5"/) { if (v > q50) q50 = v }
      else if ($0 ~ /quantile="0.9"/) { if (v > q90) q90 = v }
      else if ($0 ~ /quantile="0.99"/) { if (v > q99) q99 = v }
    }
    END { printf "%d %.3f %.3f %.3f %.3f %.3f\n", c, (c ? s / c : 0), m, q50, q90, q99 }' "$1"
}

report() {
  local table q
  table=$(awk -F'\t' '
    { printf "| %s | %.1f | %.1f | %.1f |\n", $1, $2, $3, $4; a += $2; u += $3; d += $4; n++ }
    END { if (n) printf "| mean | %.1f | %.1f | %.1f |\n", a / n, u / n, d / n }' "$RESULTS")
  q=$(quantiles "$LOCALKUBE_DIR/metrics-$ROUNDS.txt")
  # shellcheck disable=SC2086
  set -- $q
  cat <<EOF
Run of $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end.

| Round | \`kubectl apply\` (3 replicas) → Ready (s) | replicas 3 → 5 done (s) | replicas 5 → 3 done (s) |
|---|---|---|---|
$table

Reconciliations (\`dqlite_operator_reconcile_seconds\`, outcome success, read after the last round):
count and mean over every round; max and quantiles over Micrometer's sliding window (about the 2
minutes before the read, so mostly the last round's scale-up and scale-down):

| Count | Mean (s) | Max (s) | p50 (s) | p90 (s) | p99 (s) |
|---|---|---|---|---|---|
| $1 | $2 | $3 | $4 | $5 | $6 |
EOF
}

write_doc() {
  local body=$1
  [ -n "$DOC" ] && [ -f "$DOC" ] || return 0
  python3 - "$DOC" "$body" <<'PY'
import sys
path, body = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- operator-bench:begin -->", "<!-- operator-bench:end -->"
if begin not in text:
    sys.exit("no operator-bench markers in " + path)
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(head + begin + "\n" + body + "\n" + end + tail)
PY
  log "results written to $DOC"
}

case "${1:-run}" in
  run)
    [ ! -f "$LOCALKUBE_DIR/config.env" ] || die "$LOCALKUBE_DIR exists (an earlier run?): bench/operator.sh down first"
    [ "${OPERATOR_BENCH_KEEP:-0}" = 1 ] || trap down EXIT
    up
    : >"$RESULTS"
    for r in $(seq 1 "$ROUNDS"); do round "$r"; done
    body=$(report)
    echo "$body"
    write_doc "$body"
    ;;
  down) down ;;
  *) echo "usage: $(basename "$0") [run|down]" >&2; exit 2 ;;
esac
