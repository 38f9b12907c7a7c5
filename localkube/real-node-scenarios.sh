# The core e2e scenarios on real nodes, sourced by localkube/real-node-test.sh once the cluster
# "demo" of localkube/real-node/cluster.yaml is Ready (its functions: record, fail, now, since;
# its variables: NS, CLUSTER, OUT, LEDGER). Each scenario is a function; each wait has a deadline
# and says what it waited for when it fails.
#
#  app_container   the LedgerWriter container beside each sidecar writes through the app socket
#                  @dqlite, the pod's own abstract socket ($DQLITE_APP_SOCKET); its rows are read back through
#                  another pod; kubectl logs of it and of the sidecar show the expected lines.
#  rolling_update  an annotation of spec.podTemplate changes: the operator replaces every pod
#                  (the real preStop handover, the real grace period) while the writers write;
#                  every acknowledged row is there exactly once; the longest gap is measured.
#  leader_deleted  kubectl delete pod of the leader: another pod leads, the pod comes back Ready.
#  scale           3 -> 5 (3 voters, 2 stand-bys) -> 3 (the two departed members removed from
#                  raft, as every remaining sidecar sees it, and from the status).

SCENARIO_TIMEOUT=${REAL_NODE_SCENARIO_TIMEOUT:-240}

# await SECONDS WHAT COMMAND...: until COMMAND succeeds, or fail naming WHAT.
await() {
  local seconds=$1 what=$2
  local deadline=$(($(date +%s) + seconds))
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out after $seconds s waiting for $what"
    sleep 1
  done
}

jq_cr() { kubectl -n "$NS" get dqlitecluster "$CLUSTER" -o jsonpath="$1"; }
pods_of() { kubectl -n "$NS" get pods -l app.kubernetes.io/instance="$CLUSTER" -o jsonpath="$1"; }
millis() { date +%s%3N; }

# settled N: the cluster is Ready for its latest generation with N pods, all Ready and all on the
# StatefulSet's update revision, and N members in its status.
settled() {
  local n=$1 gen observed ready rev
  gen=$(jq_cr '{.metadata.generation}')
  observed=$(jq_cr '{.status.observedGeneration}')
  ready=$(jq_cr '{.status.conditions[?(@.type=="Ready")].status}')
  [ "$gen" = "$observed" ] && [ "$ready" = True ] || return 1
  [ "$(jq_cr '{.status.members[*].pod}' | wc -w)" = "$n" ] || return 1
  rev=$(kubectl -n "$NS" get statefulset "$CLUSTER" -o jsonpath='{.status.updateRevision}')
  local pods
  pods=$(pods_of '{range .items[*]}{.metadata.name} {.metadata.labels.controller-revision-hash} {.status.conditions[?(@.type=="Ready")].status} {.metadata.deletionTimestamp}{"\n"}{end}')
  [ "$(echo "$pods" | grep -c .)" = "$n" ] || return 1
  ! echo "$pods" | awk -v r="$rev" '$2 != r || $3 != "True" || NF != 3 { bad = 1 } END { exit !bad }'
}

# ledger_check [FROM_MS TO_MS]: LedgerWriter check in a ready pod's app container.
ledger_check() {
  local pod
  pod=$(pods_of '{range .items[?(@.status.containerStatuses[0].ready==true)]}{.metadata.name}{"\n"}{end}' | head -n 1)
  [ -n "$pod" ] || pod=$CLUSTER-0
  kubectl -n "$NS" exec "$pod" -c app -- java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -XX:-UsePerfData -cp /opt/dqlite/dqlite-sidecar.jar:/app/ledger-writer.jar LedgerWriter check /ledger "$@"
}

# follow_logs NAME POD...: kubectl logs -f of each pod's sidecar into $OUT/NAME-<pod>.log until the
# container ends (a deleted pod's log is gone with it, so it is read while the pod lives).
follow_logs() {
  local name=$1 pod
  shift
  for pod in "$@"; do
    kubectl -n "$NS" logs -f "$pod" -c dqlite >"$OUT/$name-$pod.log" 2>&1 &
    FOLLOWERS+=($!)
  done
}
FOLLOWERS=()
stop_followers() {
  local pid
  for pid in "${FOLLOWERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${FOLLOWERS[@]}"; do wait "$pid" 2>/dev/null || true; done
  FOLLOWERS=()
}

# all_replaced "UID...": settled with 3 pods, none of which has one of these uids.
all_replaced() {
  settled 3 || return 1
  local u
  for u in $(pods_of '{range .items[*]}{.metadata.uid} {end}'); do
    [[ " $1 " == *" $u "* ]] && return 1
  done
  return 0
}

# stopped_after_prestop LOG: a deleted pod's sidecar log shows the preStop hook's handover (the
# launcher's `handover` asks the admin API: thread dqlite-admin-*), then SIGTERM's orderly stop.
stopped_after_prestop() {
  local log=$1 prestop stopped
  prestop=$(grep -m1 "\[dqlite-admin[^]]*\] io.dqlite.sidecar.daemon.Sidecar - handover done" "$log" | sed 's/.* - //')
  stopped=$(grep -m1 "io.dqlite.sidecar.daemon.Sidecar - stopped in" "$log" | sed 's/.* - //')
  [ -n "$prestop" ] && [ -n "$stopped" ] && [ "$(grep -n "handover done" "$log" | head -n 1 | cut -d: -f1)" -lt \
    "$(grep -n "Sidecar - shutting down" "$log" | head -n 1 | cut -d: -f1)" ] ||
    fail "$log does not show the preStop handover before the sidecar stopped"
  echo "preStop $prestop, then SIGTERM: $stopped"
}

# --- app container ---------------------------------------------------------------------------------
app_container() {
  local t
  t=$(now)
  touch "$LEDGER/go"
  await 60 "the first row acknowledged by demo-0's app container" \
    bash -c "cat '$LEDGER'/$CLUSTER-0.*.acked 2>/dev/null | grep -q ."
  await 60 "a row acknowledged by every app container" bash -c \
    "for p in $CLUSTER-0 $CLUSTER-1 $CLUSTER-2; do cat '$LEDGER'/\$p.*.acked 2>/dev/null | grep -q . || exit 1; done"
  record "app containers: first rows acknowledged through the app socket in $(since "$t") s"
  kubectl -n "$NS" logs "$CLUSTER-0" -c app >"$OUT/app-$CLUSTER-0.log"
  grep -q "writing numbered rows through jdbc:dqlite://@dqlite/ledger" "$OUT/app-$CLUSTER-0.log" &&
    grep -q "first row acknowledged through the app socket" "$OUT/app-$CLUSTER-0.log" ||
    fail "kubectl logs $CLUSTER-0 -c app lacks the writer's lines: $(head -c 600 "$OUT/app-$CLUSTER-0.log")"
  kubectl -n "$NS" logs "$CLUSTER-0" -c dqlite >"$OUT/sidecar-$CLUSTER-0.log"
  grep -q "app socket listening on @dqlite" "$OUT/sidecar-$CLUSTER-0.log" ||
    fail "kubectl logs $CLUSTER-0 -c dqlite lacks 'app socket listening on @dqlite'"
  record "kubectl logs: app 'first row acknowledged through the app socket', sidecar 'app socket listening on @dqlite': ok"
  # demo-0's rows, read through demo-2's app socket (its sidecar forwards to the leader).
  local writer seen
  writer=$(basename "$(ls "$LEDGER"/$CLUSTER-0.*.acked | head -n 1)" .acked)
  seen=$(kubectl -n "$NS" exec "$CLUSTER-2" -c app -- java -Xmx32m -XX:+UseSerialGC \
    -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp /opt/dqlite/dqlite-sidecar.jar:/app/ledger-writer.jar \
    LedgerWriter check /ledger | tee "$OUT/check-app.txt")
  [[ $seen == *" 0 missing, 0 duplicated"* ]] || fail "rows read through $CLUSTER-2: $seen"
  record "writes of $writer read back through $CLUSTER-2: $(grep -m1 "^check:" "$OUT/check-app.txt")"
}

# --- rolling update --------------------------------------------------------------------------------
rolling_update() {
  local t from to before grace
  before=$(pods_of '{range .items[*]}{.metadata.uid} {end}')
  grace=$(kubectl -n "$NS" get pod "$CLUSTER-0" -o jsonpath='{.spec.terminationGracePeriodSeconds}')
  follow_logs roll "$CLUSTER-0" "$CLUSTER-1" "$CLUSTER-2"
  t=$(now)
  from=$(millis)
  kubectl -n "$NS" patch dqlitecluster "$CLUSTER" --type merge \
    -p '{"spec":{"podTemplate":{"metadata":{"annotations":{"real-node-test/revision":"2"}}}}}' >/dev/null
  await "$SCENARIO_TIMEOUT" "the rolling update: every pod replaced and Ready" all_replaced "$before"
  to=$(millis)
  record "rolling update of 3 pods under writes (grace ${grace} s, preStop handover): $(since "$t") s"
  stop_followers
  local pod
  for pod in "$CLUSTER-0" "$CLUSTER-1" "$CLUSTER-2"; do
    record "$pod replaced: $(stopped_after_prestop "$OUT/roll-$pod.log")"
  done
  ledger_check "$from" "$to" | tee "$OUT/check-roll.txt" >&2 || fail "after the rolling update: $(cat "$OUT/check-roll.txt")"
  record "rolling update ledger: $(grep -m1 "^check:" "$OUT/check-roll.txt")"
  record "measure: rolling-update longest write gap $(sed -n 's/.*longest gap without an acknowledgement \([0-9]*\) ms.*/\1/p' "$OUT/check-roll.txt") ms"
}

# --- leader deleted --------------------------------------------------------------------------------
leader_deleted() {
  local leader uid t other=""
  leader=$(jq_cr '{.status.leader}')
  [[ $leader == "$CLUSTER"-* ]] || fail "the status names no leader pod: '$leader'"
  uid=$(kubectl -n "$NS" get pod "$leader" -o jsonpath='{.metadata.uid}')
  follow_logs leader "$leader"
  t=$(now)
  local from to
  from=$(millis)
  kubectl -n "$NS" delete pod "$leader" --wait=false >/dev/null
  local deadline=$(($(date +%s) + SCENARIO_TIMEOUT)) l
  while :; do
    l=$(jq_cr '{.status.leader}' 2>/dev/null || true)
    [[ -n $l && $l != "$leader" ]] && other=$l
    if [ -n "$other" ] && settled 3 &&
      [ "$(kubectl -n "$NS" get pod "$leader" -o jsonpath='{.metadata.uid}' 2>/dev/null)" != "$uid" ]; then
      break
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "after deleting leader $leader: new leader '${other}', pods: $(pods_of '{range .items[*]}{.metadata.name} {.status.phase} {end}')"
    sleep 1
  done
  to=$(millis)
  record "leader $leader deleted: $other leads, $leader back and Ready, cluster Ready in $(since "$t") s"
  stop_followers
  record "$leader deleted: $(stopped_after_prestop "$OUT/leader-$leader.log")"
  ledger_check "$from" "$to" | tee "$OUT/check-leader.txt" >&2 || fail "after the leader's deletion: $(cat "$OUT/check-leader.txt")"
  record "leader deletion ledger: $(grep -m1 "^check:" "$OUT/check-leader.txt")"
  record "measure: leader-deletion longest write gap $(sed -n 's/.*longest gap without an acknowledgement \([0-9]*\) ms.*/\1/p' "$OUT/check-leader.txt") ms"
}

# --- scale 3 -> 5 -> 3 -----------------------------------------------------------------------------
# members_of POD: the raft configuration as POD's sidecar reports it (GET /cluster), "id role" lines.
members_of() {
  local ip token
  ip=$(kubectl -n "$NS" get pod "$1" -o jsonpath='{.status.podIP}')
  token=$(kubectl -n "$NS" get secret "$CLUSTER-admin" -o jsonpath='{.data.token}' | base64 -d)
  curl -fsS --max-time 5 -H "Authorization: Bearer $token" "http://$ip:8081/cluster" |
    python3 -c 'import json, sys
for m in json.load(sys.stdin)["members"]:
    print(m.get("id"), m.get("address"), m.get("role"))'
}

# settled_with N VOTERS STANDBYS: settled with N pods, the status's members in these roles, online.
settled_with() {
  settled "$1" || return 1
  local roles
  roles=$(jq_cr '{range .status.members[*]}{.role} {.online}{"\n"}{end}')
  [ "$(grep -cx "voter true" <<<"$roles")" = "$2" ] && [ "$(grep -cx "stand-by true" <<<"$roles")" = "$3" ]
}

scale() {
  local t
  t=$(now)
  kubectl -n "$NS" patch dqlitecluster "$CLUSTER" --type merge -p '{"spec":{"replicas":5}}' >/dev/null
  await "$SCENARIO_TIMEOUT" "5 members Ready, 3 voters and 2 stand-bys" settled_with 5 3 2
  record "scale 3 -> 5: Ready with 3 voters + 2 stand-bys in $(since "$t") s: $(jq_cr '{range .status.members[*]}{.pod}={.role} {end}')"
  members_of "$CLUSTER-0" >"$OUT/raft-5.txt"
  [ "$(grep -c . "$OUT/raft-5.txt")" = 5 ] || fail "raft configuration after 3 -> 5: $(cat "$OUT/raft-5.txt")"

  t=$(now)
  kubectl -n "$NS" patch dqlitecluster "$CLUSTER" --type merge -p '{"spec":{"replicas":3}}' >/dev/null
  await "$SCENARIO_TIMEOUT" "3 members Ready after 5 -> 3" settled_with 3 3 0
  record "scale 5 -> 3: Ready with 3 voters in $(since "$t") s: $(jq_cr '{range .status.members[*]}{.pod}={.role} {end}')"
  local pod
  for pod in "$CLUSTER-0" "$CLUSTER-1" "$CLUSTER-2"; do
    members_of "$pod" >"$OUT/raft-3-$pod.txt"
    [ "$(grep -c . "$OUT/raft-3-$pod.txt")" = 3 ] && ! grep -qE "$CLUSTER-[34]\." "$OUT/raft-3-$pod.txt" ||
      fail "raft configuration seen by $pod after 5 -> 3: $(tr '\n' ';' <"$OUT/raft-3-$pod.txt")"
  done
  record "raft after 5 -> 3, as each sidecar sees it: $(awk '{ print $2 "=" $3 }' "$OUT/raft-3-$CLUSTER-0.txt" | tr '\n' ' ')"
  [ "$(jq_cr '{.status.replicas}')" = 3 ] && [ "$(jq_cr '{.status.voters}')" = 3 ] ||
    fail "status after 5 -> 3: replicas $(jq_cr '{.status.replicas}'), voters $(jq_cr '{.status.voters}')"
  ledger_check | tee "$OUT/check-scale.txt" >&2 || fail "after scaling: $(cat "$OUT/check-scale.txt")"
  record "scale ledger: $(grep -m1 "^check:" "$OUT/check-scale.txt")"
}
