#!/usr/bin/env bash
# The node agent (the kubelet stand-in) as a background process beside the local control plane:
# registers the simulated nodes and runs their pods as local processes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

usage() {
  cat <<USAGE
Usage: $(basename "$0") up|down|status|help

  up      start the node agent against the control plane of control-plane.sh (same LOCALKUBE_DIR);
          idempotent. Builds localkube/target/dqlite-localkube.jar with Maven if it is missing or
          older than its sources.
  down    stop it: SIGTERM (its pods get their preStop hooks and grace, capped at 10 s), SIGKILL
          after LOCALKUBE_STOP_TIMEOUT seconds.
  status  exit 0 when it runs.

Environment (defaults in brackets):
  LOCALKUBE_DIR          state directory shared with control-plane.sh [$REPO/.local/localkube]
  LOCALKUBE_IMAGES       image table                                  [$HERE/images.yaml]
  LOCALKUBE_NODES        number of nodes                              [3]
  LOCALKUBE_ZONES        zones, assigned round robin                  [zone-a,zone-b,zone-c]
  LOCALKUBE_STOP_TIMEOUT seconds before SIGKILL                       [60]
USAGE
}

STATE=${LOCALKUBE_DIR:-$REPO/.local/localkube}
JAR=$HERE/target/dqlite-localkube.jar
PIDFILE=$STATE/run/node-agent.pid
LOG=$STATE/logs/node-agent.log

log() { echo "agent: $*" >&2; }
die() { log "error: $*"; exit 1; }

running() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--root $STATE/agent"
}

cmd_up() {
  [ -f "$STATE/admin.kubeconfig" ] || die "no control plane in $STATE: run control-plane.sh up first"
  if running; then
    log "already running (pid $(cat "$PIDFILE"))"
    return 0
  fi
  if [ ! -f "$JAR" ] || [ -n "$(find "$HERE/src/main" "$HERE/pom.xml" -newer "$JAR" -print -quit)" ]; then
    log "building $JAR (missing or older than its sources)"
    (cd "$REPO" && mvn -B -q -ntp -Dstyle.color=never -pl localkube -am package -DskipTests)
  fi
  mkdir -p "$STATE/run" "$STATE/logs" "$STATE/agent"
  # Only this start's lines count when waiting for "node agent up": the log is appended to.
  local offset=0
  [ -f "$LOG" ] && offset=$(wc -c <"$LOG")
  setsid java -Dlogback.configurationFile="$HERE/agent-logback.xml" -jar "$JAR" \
    --kubeconfig "$STATE/admin.kubeconfig" --root "$STATE/agent" \
    --images "${LOCALKUBE_IMAGES:-$HERE/images.yaml}" --var "REPO=$REPO" \
    --nodes "${LOCALKUBE_NODES:-3}" --zones "${LOCALKUBE_ZONES:-zone-a,zone-b,zone-c}" \
    --kubelet-cert "$STATE/pki/kubelet.crt" --kubelet-key "$STATE/pki/kubelet.key" \
    --client-ca "$STATE/pki/ca.crt" \
    >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$(($(date +%s) + 120))
  until tail -c +"$((offset + 1))" "$LOG" 2>/dev/null | grep -q "node agent up"; do
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -n 30 "$LOG" >&2; die "the agent exited; log: $LOG"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "the agent did not come up in 120 s; log: $LOG"
    sleep 0.5
  done
  log "running (pid $(cat "$PIDFILE"), log $LOG)"
}

cmd_down() {
  running || { rm -f "$PIDFILE"; return 0; }
  local pid deadline
  pid=$(cat "$PIDFILE")
  kill -TERM "$pid"
  deadline=$(($(date +%s) + ${LOCALKUBE_STOP_TIMEOUT:-60}))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "pid $pid ignored SIGTERM: SIGKILL (its pods are reaped by the next 'up')"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  log "stopped (pid $pid)"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) if running; then echo "node-agent: running (pid $(cat "$PIDFILE"))"; else echo "node-agent: stopped"; exit 1; fi ;;
  help | -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
