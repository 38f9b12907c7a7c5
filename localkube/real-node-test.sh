#!/usr/bin/env bash
# make real-node-test: the project's images on three real kubelets (localkube/real-node.sh), from a
# cold or warm state, then a teardown that must leave this machine as it was.
#
#  1. real-node.sh up: three nodes Ready, each labelled with its own zone;
#  2. the operator installed with the Helm chart (image dqlite-k8s/operator from make images);
#  3. localkube/real-node/cluster.yaml (deploy/examples/minimal.yaml plus an application container
#     in every pod): a 3-replica DqliteCluster Ready, one pod per zone, the zone each sidecar
#     reports (status.members[].zone) being its node's;
#  4. measurements: apply-to-Ready, and each sidecar container's memory as the kubelet's cgroup
#     reports it (summary API, working set), before the application writes;
#  5. the restricted security context enforced (no capabilities, no_new_privs, a seccomp filter,
#     read-only root), the engine the image carries (libdqlite's version, from the sidecar's
#     /cluster), then SQL through demo-0's app socket (@dqlite, spec.appSocket) with kubectl exec
#     in the sidecar container "dqlite" (this project's JDBC driver, from the image's jar), read
#     back through demo-2;
#  6. the core scenarios (localkube/real-node-scenarios.sh): the application containers writing
#     through the app socket, a rolling update under writes, the leader's pod deleted, scale
#     3 -> 5 -> 3; each ends with every acknowledged row present exactly once;
#  7. real-node.sh down, then real-node.sh check-clean (no process, mount, iptables chain, bridge,
#     lo address, cgroup or state left).
# Exit 0 only if every step passed and the machine is clean. Every timing and measurement goes to
# target/real-node-test/results.txt.
#
# Environment: REAL_NODE_SCENARIOS (default "app_container rolling_update leader_deleted scale";
# "" for steps 1-5 only), REAL_NODE_READY_TIMEOUT [300], REAL_NODE_SCENARIO_TIMEOUT [240] seconds.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
NODE=$HERE/real-node.sh
OUT=$REPO/target/real-node-test
NS=demo
CLUSTER=demo
READY_TIMEOUT=${REAL_NODE_READY_TIMEOUT:-300}
SCENARIOS=${REAL_NODE_SCENARIOS-app_container rolling_update leader_deleted scale}
LEDGER=${REAL_NODE_DIR:-/var/tmp/dqreal}/ledger

log() { echo "real-node-test: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: >"$RESULTS"
record() { echo "$*" | tee -a "$RESULTS" >&2; }

T0=$(now)
teardown() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    log "collecting diagnostics into $OUT (exit $rc)"
    kubectl get pods -A -o wide >"$OUT/pods.txt" 2>&1 || true
    kubectl get events -A --sort-by=.lastTimestamp >"$OUT/events.txt" 2>&1 || true
    kubectl -n "$NS" get dqlitecluster "$CLUSTER" -o yaml >"$OUT/cluster.yaml" 2>&1 || true
    cp -r /var/tmp/dqreal/logs "$OUT/logs" 2>/dev/null || true
    cp -r "$LEDGER" "$OUT/ledger" 2>/dev/null || true
    kubectl -n dqlite-system logs deploy/dqlite-operator --tail=400 >"$OUT/operator.log" 2>&1 || true
    local p c
    for p in $(kubectl -n "$NS" get pods -o name 2>/dev/null); do
      for c in dqlite app; do
        kubectl -n "$NS" logs "$p" -c "$c" >"$OUT/${p#pod/}-$c.log" 2>&1 || true
      done
    done
  fi
  declare -F stop_followers >/dev/null && stop_followers
  local t
  t=$(now)
  bash "$NODE" down || rc=1
  record "down: $(since "$t") s"
  if bash "$NODE" check-clean; then record "check-clean: clean"; else record "check-clean: LEFTOVERS"; rc=1; fi
  record "total: $(since "$T0") s (exit $rc)"
  exit $rc
}
trap teardown EXIT

# --- 1 ---------------------------------------------------------------------------------------------
t=$(now)
bash "$NODE" up
record "up (build what is missing, control plane, 3 nodes Ready): $(since "$t") s"
eval "$(bash "$NODE" env)"
zones=$(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.labels.topology\.kubernetes\.io/zone} {end}')
[ "$zones" = "node-a=zone-a node-b=zone-b node-c=zone-c " ] || fail "node zones: $zones"
record "nodes: $zones"

# --- 2 ---------------------------------------------------------------------------------------------
t=$(now)
helm upgrade --install dqlite-operator "$REPO/helm/dqlite-operator" --namespace dqlite-system \
  --create-namespace --wait --timeout 5m >/dev/null
kubectl -n dqlite-system get pods -o wide >&2
record "helm install (operator Ready, image docker.io/dqlite-k8s/operator): $(since "$t") s"

# --- 3 ---------------------------------------------------------------------------------------------
kubectl create namespace "$NS" >/dev/null
# The application (LedgerWriter) as a jar in a ConfigMap, and its ledger on the host, owned by the
# pods' user 10001 (hostPath volumes keep the host's ownership).
rm -rf "$OUT/app" && mkdir -p "$OUT/app/classes"
javac --release 17 -d "$OUT/app/classes" "$HERE/real-node/LedgerWriter.java"
# The driver logs at WARN only (the image's jar has no logback.xml: logback's default is DEBUG).
cp "$REPO/scripts/demo/logback-quiet.xml" "$OUT/app/classes/logback.xml"
jar cf "$OUT/app/ledger-writer.jar" -C "$OUT/app/classes" .
kubectl -n "$NS" create configmap ledger-writer --from-file="$OUT/app/ledger-writer.jar" >/dev/null
rm -rf "$LEDGER" && mkdir -p "$LEDGER" && chown 10001:10001 "$LEDGER" && chmod 0700 "$LEDGER"
t=$(now)
sed "s#LEDGER_DIR#$LEDGER#" "$HERE/real-node/cluster.yaml" | kubectl -n "$NS" apply -f - >/dev/null
kubectl -n "$NS" wait dqlitecluster "$CLUSTER" --for=condition=Ready --timeout="${READY_TIMEOUT}s" >/dev/null ||
  fail "DqliteCluster $CLUSTER not Ready in $READY_TIMEOUT s"
record "apply-to-Ready (3 replicas, each with an application container): $(since "$t") s"
kubectl -n "$NS" get dqlitecluster "$CLUSTER" >&2
kubectl -n "$NS" get pods -o wide >&2
placement=$(kubectl -n "$NS" get pods -l app.kubernetes.io/instance="$CLUSTER" \
  -o jsonpath='{range .items[*]}{.spec.nodeName} {end}' | tr ' ' '\n' | sort -u | grep -c . || true)
[ "$placement" = 3 ] || fail "the 3 pods are on $placement nodes, not 3"
# Ready needs a quorum's views; the last member's own report may follow a status update later.
deadline=$(($(date +%s) + 60))
while :; do
  members=$(kubectl -n "$NS" get dqlitecluster "$CLUSTER" \
    -o jsonpath='{range .status.members[*]}{.pod}={.zone}({.zoneSource}) {end}')
  [[ $members == *unreported* ]] && [ "$(date +%s)" -lt "$deadline" ] || break
  sleep 2
done
record "members (zone as each sidecar reports it): $members"
# The zone each sidecar reports is the zone of the node its pod runs on.
for pod in "$CLUSTER-0" "$CLUSTER-1" "$CLUSTER-2"; do
  node=$(kubectl -n "$NS" get pod "$pod" -o jsonpath='{.spec.nodeName}')
  want=$(kubectl get node "$node" -o jsonpath='{.metadata.labels.topology\.kubernetes\.io/zone}')
  [[ " $members" == *" $pod=$want("* ]] || fail "$pod runs on $node in $want, its sidecar reports: $members"
done
voters=$(kubectl -n "$NS" get dqlitecluster "$CLUSTER" -o jsonpath='{.status.voters}')
[ "$voters" = 3 ] || fail "voters: '$voters', want 3"

# --- 4 ---------------------------------------------------------------------------------------------
for pod in "$CLUSTER-0" "$CLUSTER-1" "$CLUSTER-2"; do
  node=$(kubectl -n "$NS" get pod "$pod" -o jsonpath='{.spec.nodeName}')
  kubectl get --raw "/api/v1/nodes/$node/proxy/stats/summary" >"$OUT/summary-$node.json"
  mem=$(python3 - "$OUT/summary-$node.json" "$pod" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for p in s.get("pods", []):
    if p["podRef"]["name"] == sys.argv[2]:
        for c in p.get("containers", []):
            m = c.get("memory", {})
            if c["name"] == "dqlite":
                print("working set %.1f MiB, rss %.1f MiB" % (m.get("workingSetBytes", 0) / 2**20, m.get("rssBytes", 0) / 2**20), end="")
        for c in p.get("containers", []):
            m = c.get("memory", {})
            if c["name"] != "dqlite":
                print(" (container %s: working set %.1f MiB)" % (c["name"], m.get("workingSetBytes", 0) / 2**20), end="")
        print()
PY
)
  record "sidecar memory $pod on $node (kubelet cgroup): $mem"
done

# --- 5 ---------------------------------------------------------------------------------------------
# The engine in the image: Debian's package, and the version the sidecar reads from the library
# it loaded (GET /cluster, self.engine, at its pod IP). make images records the suite it built.
suite=$(cat "$REPO/target/images/suite" 2>/dev/null || echo unknown)
pkg=$(kubectl -n "$NS" exec "$CLUSTER-0" -c dqlite -- dpkg-query -W -f '${Version}' libdqlite0)
ip0=$(kubectl -n "$NS" get pod "$CLUSTER-0" -o jsonpath='{.status.podIP}')
token=$(kubectl -n "$NS" get secret "$CLUSTER-admin" -o jsonpath='{.data.token}' | base64 -d)
engine=$(curl -fsS --max-time 10 -H "Authorization: Bearer $token" "http://$ip0:8081/cluster" |
  python3 -c 'import json, sys
e = json.load(sys.stdin)["self"].get("engine") or {}
print(e.get("version"), "(%s, %d optional exports)" % (e.get("library"), len(e.get("exports") or [])))') ||
  fail "GET http://$ip0:8081/cluster of $CLUSTER-0 failed"
record "engine in the image (debian $suite): libdqlite0 package $pkg; the sidecar's self.engine: $engine"
# What each suite's package reports through dqlite_version_number() (docs/native.md: 1.18.1 says
# 1.18.0, 1.11.1 says 1.10.0).
case $suite in
  trixie) want_pkg=1.18.1 want_engine=1.18.0 ;;
  bookworm) want_pkg=1.11.1 want_engine=1.10.0 ;;
  *) want_pkg="" want_engine="" ;;
esac
if [ -n "$want_pkg" ]; then
  [[ $pkg == "$want_pkg"* && $engine == "$want_engine "* ]] ||
    fail "the $suite image should carry libdqlite0 $want_pkg (reporting $want_engine): package $pkg, the sidecar loaded $engine"
fi
# The image's runtime has no compiler: the round trip is compiled here and streamed into /tmp (the
# pod's emptyDir; the root filesystem is read-only).
javac --release 17 -cp "$REPO/sidecar/target/dqlite-sidecar.jar" -d "$OUT/sql" \
  "$REPO/scripts/demo/SqlRoundTrip.java"
sql() {
  local pod=$1 mode=$2
  kubectl -n "$NS" exec -i "$pod" -c dqlite -- sh -c 'mkdir -p /tmp/sql && cat >/tmp/sql/SqlRoundTrip.class' \
    <"$OUT/sql/SqlRoundTrip.class"
  kubectl -n "$NS" exec "$pod" -c dqlite -- java -Xmx16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -cp /opt/dqlite/dqlite-sidecar.jar:/tmp/sql SqlRoundTrip \
    "jdbc:dqlite://@dqlite/demo" "$mode"
}
id=$(kubectl -n "$NS" exec "$CLUSTER-0" -c dqlite -- id)
record "kubectl exec $CLUSTER-0 id: $id"
[[ $id == uid=10001* ]] || fail "the sidecar does not run as uid 10001: $id"
# The restricted security context, as runc applied it to the sidecar (PID 1 of its container).
status=$(kubectl -n "$NS" exec "$CLUSTER-0" -c dqlite -- grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/1/status | tr -s '\t\n' '  ')
record "sidecar PID 1: $status"
[[ $status == *"CapEff: 0000000000000000"* && $status == *"NoNewPrivs: 1"* && $status == *"Seccomp: 2"* ]] ||
  fail "the sidecar runs with capabilities, without no_new_privs or without a seccomp filter: $status"
if kubectl -n "$NS" exec "$CLUSTER-0" -c dqlite -- touch /opt/dqlite/x 2>"$OUT/touch.txt"; then
  fail "the sidecar's root filesystem is writable"
fi
grep -q "Read-only file system" "$OUT/touch.txt" || fail "touch /opt/dqlite/x: $(cat "$OUT/touch.txt")"
record "root filesystem read-only, no capabilities, no_new_privs, seccomp filter: ok"
sql "$CLUSTER-0" write | tee "$OUT/sql-write.txt" >&2
sql "$CLUSTER-2" read | tee "$OUT/sql-read.txt" >&2
grep -q "read: [1-9][0-9]* row" "$OUT/sql-read.txt" || fail "nothing read back through $CLUSTER-2"
record "SQL through the app socket of $CLUSTER-0 (write) and $CLUSTER-2 (read): ok"

# --- 6 ---------------------------------------------------------------------------------------------
# shellcheck source=real-node-scenarios.sh
source "$HERE/real-node-scenarios.sh"
for scenario in $SCENARIOS; do
  t=$(now)
  log "scenario $scenario"
  "$scenario"
  record "scenario $scenario: passed in $(since "$t") s"
done

