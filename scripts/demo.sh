#!/usr/bin/env bash
# The local demo (`make demo`, `make demo-down`): a 3-replica DqliteCluster
# (deploy/examples/minimal.yaml) in three zones, the operator installed with its Helm chart and
# running as a pod, and an SQL round trip through a pod's app socket with this project's JDBC
# driver. Prints how to look around afterwards. Two ways to run the nodes (DEMO):
#
#   real     (default) the project's images (make images: buildah, Debian trixie, libdqlite
#            1.18.1) on three real kubelets with containerd, kube-proxy and CoreDNS
#            (localkube/real-node.sh; root; state in /var/tmp/dqreal)
#   process  a node agent that runs each container as a local process from this checkout's jars
#            (localkube/agent.sh; no images, no root; state in /var/tmp/dqdemo): faster to start on
#            a fresh machine, which has no node binaries and no images yet
#
#   scripts/demo.sh [up]     everything above (idempotent: what runs is left alone)
#   scripts/demo.sh down     both kinds: the workloads first, then the nodes and the control plane;
#                            the process demo's state is deleted unless DEMO_KEEP=1
#   scripts/demo.sh status
#
# See docs/e2e.md and docs/local-control-plane.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

MODE=${DEMO:-real}
case $MODE in real | process) ;; *) echo "demo: DEMO=$MODE: give real or process" >&2; exit 2 ;; esac

# The process demo's own control plane: its own state directory and ports, so that it runs beside
# `make cluster-up`. The directory is short on purpose: each pod's app socket is a file under it
# (<dir>/agent/pods/<uid>/volumes/dqlite-socket/dqlite.sock) and unix socket paths are limited to
# 107 bytes; it must not be under /tmp either (the pods mount a volume at /tmp and the agent
# rewrites paths under mount paths).
export LOCALKUBE_DIR=${DEMO_DIR:-/var/tmp/dqdemo}
export LOCALKUBE_API_PORT=${DEMO_API_PORT:-17443}
export LOCALKUBE_ETCD_PORT=${DEMO_ETCD_PORT:-13379}
export LOCALKUBE_ETCD_PEER_PORT=${DEMO_ETCD_PEER_PORT:-13380}
export LOCALKUBE_KCM_PORT=${DEMO_KCM_PORT:-21257}
export LOCALKUBE_SCHED_PORT=${DEMO_SCHED_PORT:-21259}
export KUBECONFIG=$LOCALKUBE_DIR/admin.kubeconfig
# The real demo's: real-node.sh's (which sets its own ports and state directory).
REAL_DIR=${REAL_NODE_DIR:-/var/tmp/dqreal}
REAL_NODE=$REPO/localkube/real-node.sh

OPERATOR_NS=dqlite-system
DEMO_NS=demo
CLUSTER=demo
READY_TIMEOUT=${DEMO_READY_TIMEOUT:-300}
OPERATOR_PIDFILE=$LOCALKUBE_DIR/run/operator-process.pid

log() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }
die() { printf '\033[1mdemo: error:\033[0m %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

bin_dir() { bash "$REPO/localkube/build-binaries.sh" --print-bin-dir; }

# A listener on the wildcard address (not one on another pod's IP) takes the port on every address.
port_taken_on_wildcard() {
  ss -Hltn "sport = :$1" 2>/dev/null | awk '{print $4}' | grep -qE '^(0\.0\.0\.0|\*|\[::\]):'
}

# --- up -------------------------------------------------------------------------------------------

cmd_up() {
  local bin
  bash "$REPO/localkube/build-binaries.sh" >/dev/null
  bin=$(bin_dir)
  export PATH=$bin:$PATH
  package_jars
  if [ "${#LOCALKUBE_DIR}" -gt 16 ]; then
    die "DEMO_DIR=$LOCALKUBE_DIR is longer than 16 characters: the pods' app-socket paths under it would exceed the 107-byte limit of unix sockets"
  fi

  log "1/5 control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler v1.36.3) in $LOCALKUBE_DIR"
  local t0
  t0=$(now)
  bash "$REPO/localkube/control-plane.sh" up
  CP_UP=$(since "$t0")
  log "    control plane up in ${CP_UP} s"

  log "2/5 node agent: 3 nodes in zone-a, zone-b, zone-c, pods run as local processes"
  bash "$REPO/localkube/agent.sh" up
  kubectl wait --for=condition=Ready node --all --timeout=120s >/dev/null
  kubectl get nodes -L topology.kubernetes.io/zone

  log "3/5 the operator, with the Helm chart (CRD from the chart's crds/)"
  install_operator

  apply_cluster

  log "5/5 SQL through the app socket of pod $CLUSTER-0 (this project's JDBC driver)"
  sql_round_trip

  summary
}

# package_jars: the jars the node agent runs, with the reactor (never installed into ~/.m2), when
# one is missing or older than its sources.
package_jars() {
  local jar stale=0
  for jar in sidecar/target/dqlite-sidecar.jar operator/target/dqlite-operator.jar localkube/target/dqlite-localkube.jar; do
    if [ ! -f "$REPO/$jar" ] || [ -n "$(find "$REPO"/{http,client,sidecar-api,sidecar,operator,localkube}/src/main \
      "$REPO/pom.xml" -newer "$REPO/$jar" -print -quit 2>/dev/null)" ]; then stale=1; fi
  done
  [ $stale = 1 ] || return 0
  log "0/5 packaging the jars (mvn -pl sidecar,operator,localkube -am package -DskipTests)"
  (cd "$REPO" && ${MVN:-mvn -B -ntp} -q -pl sidecar,operator,localkube -am package -DskipTests)
}

install_operator() {
  if port_taken_on_wildcard 8080; then
    # The operator pod listens on its pod IP's port 8080 (localkube/images.yaml), and pods share
    # this machine's network here: a wildcard listener on 8080 takes that port on every address.
    log "    port 8080 is taken on every address of this machine, so the operator pod could not listen:"
    log "    running the operator as a local process with the admin kubeconfig instead"
    kubectl apply --server-side -f "$REPO/crds/dqliteclusters.dqlite.io-v1.yml" >/dev/null
    kubectl wait --for condition=Established crd/dqliteclusters.dqlite.io --timeout=60s >/dev/null
    start_operator_process
    return
  fi
  # One replica needs no leader election (the chart then uses the Recreate strategy). The chart's
  # default (election on) currently loses its Lease: see docs/e2e.md, "Known failures".
  helm upgrade --install dqlite-operator "$REPO/helm/dqlite-operator" \
    --namespace "$OPERATOR_NS" --create-namespace \
    --set leaderElection.enabled=false ${DEMO_HELM_ARGS:-} \
    --wait --timeout 5m >/dev/null
  kubectl -n "$OPERATOR_NS" get pods -o wide
  OPERATOR_METRICS="http://$(kubectl -n "$OPERATOR_NS" get pod -l app.kubernetes.io/name=dqlite-operator \
    -o jsonpath='{.items[0].status.podIP}'):8080/metrics"
}

start_operator_process() {
  if [ -f "$OPERATOR_PIDFILE" ] && kill -0 "$(cat "$OPERATOR_PIDFILE")" 2>/dev/null; then
    log "    operator process already running (pid $(cat "$OPERATOR_PIDFILE"))"
  else
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    mkdir -p "$LOCALKUBE_DIR/run" "$LOCALKUBE_DIR/logs"
    KUBECONFIG=$KUBECONFIG LEADER_ELECTION_ENABLED=false DQLITE_OPERATOR_HTTP_PORT=$port \
      setsid java -XX:+ExitOnOutOfMemoryError -jar "$REPO/operator/target/dqlite-operator.jar" \
      >>"$LOCALKUBE_DIR/logs/operator.log" 2>&1 </dev/null &
    echo $! >"$OPERATOR_PIDFILE"
    echo "$port" >"$LOCALKUBE_DIR/run/operator-process.port"
  fi
  local port deadline
  port=$(cat "$LOCALKUBE_DIR/run/operator-process.port")
  deadline=$(($(date +%s) + 120))
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do
    kill -0 "$(cat "$OPERATOR_PIDFILE")" 2>/dev/null || { tail -n 30 "$LOCALKUBE_DIR/logs/operator.log"; die "the operator exited"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "the operator was not ready in 120 s; log: $LOCALKUBE_DIR/logs/operator.log"
    sleep 1
  done
  log "    operator process ready (pid $(cat "$OPERATOR_PIDFILE"), log $LOCALKUBE_DIR/logs/operator.log)"
  OPERATOR_METRICS="http://127.0.0.1:$port/metrics"
}

# wait_ready START: until the DqliteCluster's Ready condition is True, printing each change.
# apply_cluster [GET_PODS_ARGS...]: step 4 of both paths: minimal.yaml applied and waited for,
# APPLY_READY set, the cluster and its pods shown.
apply_cluster() {
  log "4/5 a 3-replica DqliteCluster: deploy/examples/minimal.yaml in namespace $DEMO_NS"
  kubectl create namespace "$DEMO_NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  local t0
  t0=$(now)
  kubectl -n "$DEMO_NS" apply -f "$REPO/deploy/examples/minimal.yaml"
  wait_ready "$t0"
  APPLY_READY=$(since "$t0")
  kubectl -n "$DEMO_NS" get dqlitecluster "$CLUSTER"
  kubectl -n "$DEMO_NS" get pods -o wide "$@"
}

wait_ready() {
  local start=$1 deadline last="" line
  deadline=$(($(date +%s) + READY_TIMEOUT))
  while :; do
    line=$(kubectl -n "$DEMO_NS" get dqlitecluster "$CLUSTER" -o jsonpath='{range .status.conditions[*]}{.type}={.status}({.reason}) {end}' 2>/dev/null || true)
    local pods
    pods=$(kubectl -n "$DEMO_NS" get pods -l app.kubernetes.io/instance="$CLUSTER" --no-headers 2>/dev/null \
      | awk '{printf "%s %s %s; ", $1, $2, $3}')
    local now_line="pods: ${pods:-none}  conditions: ${line:-none}"
    if [ "$now_line" != "$last" ]; then
      printf '    +%5ss  %s\n' "$(since "$start")" "$now_line"
      last=$now_line
    fi
    if kubectl -n "$DEMO_NS" get dqlitecluster "$CLUSTER" \
      -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; then
      log "    Ready after $(since "$start") s"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "    not Ready after ${READY_TIMEOUT} s; what there is:"
      kubectl -n "$DEMO_NS" get dqlitecluster "$CLUSTER" -o yaml | sed -n '/^status:/,$p' || true
      for p in $(kubectl -n "$DEMO_NS" get pods -l app.kubernetes.io/instance="$CLUSTER" -o name); do
        echo "--- $p (last lines of its sidecar log)"
        kubectl -n "$DEMO_NS" logs "$p" -c dqlite --tail=8 2>&1 | cut -c1-400 || true
      done
      die "the DqliteCluster did not become Ready within ${READY_TIMEOUT} s (the demo stays up for inspection; \`make demo-down\` stops it)"
    fi
    sleep 2
  done
}

sql_round_trip() {
  local uid sock jar
  jar=$REPO/sidecar/target/dqlite-sidecar.jar
  uid=$(kubectl -n "$DEMO_NS" get pod "$CLUSTER-0" -o jsonpath='{.metadata.uid}')
  # The pod sees /run/dqlite/dqlite.sock; the node agent keeps that emptyDir at this host path.
  sock=$LOCALKUBE_DIR/agent/pods/$uid/volumes/dqlite-socket/dqlite.sock
  log "    app socket of $CLUSTER-0: /run/dqlite/dqlite.sock in the pod = $sock"
  java -Dlogback.configurationFile="$REPO/scripts/demo/logback-quiet.xml" -cp "$jar" \
    "$REPO/scripts/demo/SqlRoundTrip.java" "jdbc:dqlite:unix:$sock?database=demo" write

  # Second check, through another pod's app socket: its sidecar forwards to the leader over the
  # cluster's mutual TLS (the default), so the read crosses the network encrypted. A plain TCP
  # client on port 9001 would be refused: the nodes accept only TLS with the cluster's certificate
  # (docs/security.md).
  local uid2 sock2
  uid2=$(kubectl -n "$DEMO_NS" get pod "$CLUSTER-2" -o jsonpath='{.metadata.uid}')
  sock2=$LOCALKUBE_DIR/agent/pods/$uid2/volumes/dqlite-socket/dqlite.sock
  log "    the same table through $CLUSTER-2's app socket (to the leader over TLS)"
  java -Dlogback.configurationFile="$REPO/scripts/demo/logback-quiet.xml" -cp "$jar" \
    "$REPO/scripts/demo/SqlRoundTrip.java" "jdbc:dqlite:unix:$sock2?database=demo" read
}

summary() {
  local bin ip0
  bin=$(bin_dir)
  ip0=$(kubectl -n "$DEMO_NS" get pod "$CLUSTER-0" -o jsonpath='{.status.podIP}')
  cat <<EOF

$(log "the demo runs")
  control plane up:      ${CP_UP} s
  apply -> Ready:        ${APPLY_READY} s

Look around:
  export KUBECONFIG=$KUBECONFIG
  export PATH=$bin:\$PATH
  kubectl -n $DEMO_NS get dqlitecluster $CLUSTER -o yaml        # status: members, leader, conditions
  kubectl -n $DEMO_NS get pods -o wide -L topology.kubernetes.io/zone
  kubectl -n $DEMO_NS logs $CLUSTER-0 -c dqlite
  kubectl -n $DEMO_NS patch dqlitecluster $CLUSTER --type merge -p '{"spec":{"replicas":5}}'
  TOKEN=\$(kubectl -n $DEMO_NS get secret $CLUSTER-admin -o jsonpath='{.data.token}' | base64 -d)
  curl -s -H "Authorization: Bearer \$TOKEN" http://$ip0:8081/cluster   # a sidecar's view of the raft cluster
  java -cp sidecar/target/dqlite-sidecar.jar scripts/demo/SqlRoundTrip.java \\
    "jdbc:dqlite:unix:$LOCALKUBE_DIR/agent/pods/\$(kubectl -n $DEMO_NS get pod $CLUSTER-0 -o jsonpath='{.metadata.uid}')/volumes/dqlite-socket/dqlite.sock?database=demo" write

Metrics (Prometheus text):
  sidecars:  http://<pod IP>:8081/metrics, e.g. curl -s http://$ip0:8081/metrics | grep ^dqlite_
  operator:  ${OPERATOR_METRICS}

Stop everything: make demo-down
EOF
}

# --- up, on real nodes ---------------------------------------------------------------------------

# cold_notice: what a fresh machine still has to build, and how long that takes (measured on this
# 2-core machine; docs/benchmarks.md, "Real nodes"), said before it starts.
cold_notice() {
  local bin missing=()
  bin=$(bin_dir)
  for b in kube-apiserver kubectl helm; do [ -x "$bin/$b" ] || { missing+=("control plane (about 8 min)"); break; }; done
  for b in kubelet kube-proxy coredns pause; do [ -x "$bin/$b" ] || { missing+=("kubelet, kube-proxy and CoreDNS from source (4 to 16 min)"); break; }; done
  [ -f "$REPO/target/images/sidecar.tar" ] && [ -f "$REPO/target/images/operator.tar" ] ||
    missing+=("the images: jars, Debian base, Java runtime, buildah (4 to 8 min)")
  [ ${#missing[@]} -eq 0 ] && return 0
  log "this machine still needs: ${missing[*]}"
  log "on a fresh 2-core machine the real-node demo takes 20 to 30 min before its first pod; \`make demo DEMO=process\`"
  log "(containers as local processes, no images, no node binaries) is Ready in about 13 min"
}

cmd_up_real() {
  [ "$(id -u)" = 0 ] || die "the real-node demo needs root (mounts, iptables, cgroups); \`make demo DEMO=process\` does not"
  cold_notice
  local t0
  # real-node.sh up builds the Kubernetes binaries (control plane and node) that are missing.
  log "1/5 the images (make images: buildah, no daemon; skipped steps are up to date)"
  bash "$REPO/scripts/images/build.sh"

  log "2/5 three real nodes: kubelet v1.36.3 + containerd in zone-a, zone-b, zone-c, kube-proxy, CoreDNS"
  t0=$(now)
  bash "$REAL_NODE" up
  CP_UP=$(since "$t0")
  eval "$(bash "$REAL_NODE" env)"

  log "3/5 the operator, with the Helm chart (image dqlite-k8s/operator, leader election on)"
  helm upgrade --install dqlite-operator "$REPO/helm/dqlite-operator" \
    --namespace "$OPERATOR_NS" --create-namespace ${DEMO_HELM_ARGS:-} --wait --timeout 5m >/dev/null
  kubectl -n "$OPERATOR_NS" get pods -o wide
  OPERATOR_METRICS="http://$(kubectl -n "$OPERATOR_NS" get pod -l app.kubernetes.io/name=dqlite-operator \
    -o jsonpath='{.items[0].status.podIP}'):8080/metrics"

  apply_cluster -L topology.kubernetes.io/zone

  log "5/5 SQL through the app socket /run/dqlite/dqlite.sock of pod $CLUSTER-0, then of $CLUSTER-2 (kubectl exec)"
  # The image's runtime has no compiler: the round trip is compiled here and streamed into the
  # pod's /tmp (an emptyDir; the root filesystem is read-only).
  mkdir -p "$REPO/target/demo/sql"
  javac --release 17 -d "$REPO/target/demo/sql" "$HERE/demo/SqlRoundTrip.java"
  in_pod_sql "$CLUSTER-0" write
  in_pod_sql "$CLUSTER-2" read
  summary_real
}

in_pod_sql() {
  local pod=$1 mode=$2
  kubectl -n "$DEMO_NS" exec -i "$pod" -c dqlite -- sh -c 'mkdir -p /tmp/sql && cat >/tmp/sql/SqlRoundTrip.class' \
    <"$REPO/target/demo/sql/SqlRoundTrip.class"
  kubectl -n "$DEMO_NS" exec "$pod" -c dqlite -- java -Xmx16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -XX:-UsePerfData -cp /opt/dqlite/dqlite-sidecar.jar:/tmp/sql SqlRoundTrip \
    "jdbc:dqlite:unix:/run/dqlite/dqlite.sock?database=demo" "$mode"
}

summary_real() {
  local ip0
  ip0=$(kubectl -n "$DEMO_NS" get pod "$CLUSTER-0" -o jsonpath='{.status.podIP}')
  cat <<EOF

$(log "the demo runs: real pods from the built images on three kubelets")
  nodes up (control plane, 3 kubelets, kube-proxy, CoreDNS): ${CP_UP} s
  apply -> Ready:                                            ${APPLY_READY} s

Look around:
  eval "\$(localkube/real-node.sh env)"        # KUBECONFIG=$KUBECONFIG and PATH
  kubectl get nodes -L topology.kubernetes.io/zone
  kubectl -n $DEMO_NS get dqlitecluster $CLUSTER -o yaml        # status: members, leader, conditions
  kubectl -n $DEMO_NS get pods -o wide -L topology.kubernetes.io/zone
  kubectl -n $DEMO_NS logs $CLUSTER-0 -c dqlite
  kubectl -n $DEMO_NS exec $CLUSTER-0 -c dqlite -- id             # uid=10001, read-only root
  kubectl -n $DEMO_NS delete pod \$(kubectl -n $DEMO_NS get dqlitecluster $CLUSTER -o jsonpath='{.status.leader}')   # preStop hands leadership over
  kubectl -n $DEMO_NS patch dqlitecluster $CLUSTER --type merge -p '{"spec":{"replicas":5}}'
  TOKEN=\$(kubectl -n $DEMO_NS get secret $CLUSTER-admin -o jsonpath='{.data.token}' | base64 -d)
  curl -s -H "Authorization: Bearer \$TOKEN" http://$ip0:8081/cluster   # a sidecar's view of the raft cluster (pod IPs route from this machine)

Metrics (Prometheus text):
  sidecars:  curl -s http://$ip0:8081/metrics | grep ^dqlite_
  operator:  ${OPERATOR_METRICS}

Stop everything: make demo-down      (then \`localkube/real-node.sh check-clean\` proves nothing is left)
EOF
}

# --- down -----------------------------------------------------------------------------------------

# cmd_down: both kinds of demo, whichever runs.
cmd_down() {
  if [ -d "$REAL_DIR" ]; then
    log "stopping the real nodes (workloads first, then kubelets, containerd, kube-proxy, CoreDNS, control plane)"
    bash "$REAL_NODE" down
  fi
  cmd_down_process
}

cmd_down_process() {
  if [ ! -d "$LOCALKUBE_DIR" ]; then
    log "no process demo to stop ($LOCALKUBE_DIR does not exist)"
    return 0
  fi
  log "stopping the node agent (its pods first)"
  bash "$REPO/localkube/agent.sh" down || true
  if [ -f "$OPERATOR_PIDFILE" ]; then
    local pid
    pid=$(cat "$OPERATOR_PIDFILE")
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q dqlite-operator.jar; then
      log "stopping the operator process (pid $pid)"
      kill "$pid"
    fi
    rm -f "$OPERATOR_PIDFILE"
  fi
  log "stopping the control plane"
  if [ "${DEMO_KEEP:-0}" = 1 ]; then
    bash "$REPO/localkube/control-plane.sh" down
  else
    bash "$REPO/localkube/control-plane.sh" down --wipe
  fi
}

cmd_status() {
  if [ -d "$REAL_DIR" ]; then
    bash "$REAL_NODE" status || true
    (eval "$(bash "$REAL_NODE" env)" && kubectl -n "$DEMO_NS" get dqlitecluster,pods -o wide 2>/dev/null) || true
  fi
  [ -d "$LOCALKUBE_DIR" ] || return 0
  bash "$REPO/localkube/control-plane.sh" status || true
  bash "$REPO/localkube/agent.sh" status || true
  if [ -f "$KUBECONFIG" ]; then
    PATH=$(bin_dir):$PATH kubectl -n "$DEMO_NS" get dqlitecluster,pods -o wide 2>/dev/null || true
  fi
}

case "${1:-up}" in
  up) if [ "$MODE" = real ]; then cmd_up_real; else cmd_up; fi ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $(basename "$0") [up|down|status]" >&2; exit 2 ;;
esac
