#!/usr/bin/env bash
# A local Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager and
# kube-scheduler as plain processes, with their own CA. No kubelet: the node agent (Java, this module)
# stands in for it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

usage() {
  cat <<USAGE
Usage: $(basename "$0") up|down [--wipe]|status|env|help

  up       generate certificates (once), start etcd, kube-apiserver, kube-controller-manager and
           kube-scheduler, wait until the API is ready and the default ServiceAccount exists.
           Idempotent: running components are left alone.
  down     stop the components (SIGTERM, then SIGKILL after LOCALKUBE_STOP_TIMEOUT seconds);
           --wipe also removes the state directory (certificates, etcd data, logs).
  status   print each component's state; exit 0 only when all run and the API is ready.
  env      print shell exports: eval "\$($(basename "$0") env)".

Environment (defaults in brackets; ports are remembered in the state directory by the first 'up'):
  LOCALKUBE_DIR            state directory             [$REPO/.local/localkube]
  LOCALKUBE_BIN_DIR        binaries                    [from build-binaries.sh]
  LOCALKUBE_HOST           loopback address to bind    [127.0.0.1]
  LOCALKUBE_API_ADDRESS    the API server's bind and advertised address [LOCALKUBE_HOST]; another
                           address than 127.0.0.0/8 must already be on lo (real-node.sh adds one,
                           so that pods reach the API through the kubernetes Service); it gets
                           the lease endpoint reconciler
  LOCALKUBE_API_PORT       kube-apiserver port         [16443]
  LOCALKUBE_ETCD_PORT      etcd client port            [12379]
  LOCALKUBE_ETCD_PEER_PORT etcd peer port              [12380]
  LOCALKUBE_KCM_PORT       controller-manager port     [20257]
  LOCALKUBE_SCHED_PORT     scheduler port              [20259]
  LOCALKUBE_SERVICE_CIDR   service cluster IP range    [10.96.0.0/16]
  LOCALKUBE_UP_TIMEOUT     seconds to wait for 'up'    [180]
  LOCALKUBE_STOP_TIMEOUT   seconds before SIGKILL      [20]
USAGE
}

STATE=${LOCALKUBE_DIR:-$REPO/.local/localkube}
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler)

log() { echo "control-plane: $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- configuration ------------------------------------------------------------------------------

# load_config: ports come from the state directory when it exists, so down/status/env find the same
# cluster that up started; otherwise from the environment or the defaults.
load_config() {
  if [ -f "$STATE/config.env" ]; then
    # shellcheck source=/dev/null
    . "$STATE/config.env"
  fi
  HOST=${CFG_HOST:-${LOCALKUBE_HOST:-127.0.0.1}}
  API_PORT=${CFG_API_PORT:-${LOCALKUBE_API_PORT:-16443}}
  ETCD_PORT=${CFG_ETCD_PORT:-${LOCALKUBE_ETCD_PORT:-12379}}
  ETCD_PEER_PORT=${CFG_ETCD_PEER_PORT:-${LOCALKUBE_ETCD_PEER_PORT:-12380}}
  KCM_PORT=${CFG_KCM_PORT:-${LOCALKUBE_KCM_PORT:-20257}}
  SCHED_PORT=${CFG_SCHED_PORT:-${LOCALKUBE_SCHED_PORT:-20259}}
  SERVICE_CIDR=${CFG_SERVICE_CIDR:-${LOCALKUBE_SERVICE_CIDR:-10.96.0.0/16}}
  API_ADDR=${CFG_API_ADDR:-${LOCALKUBE_API_ADDRESS:-$HOST}}
  case $HOST in 127.*) ;; *) die "LOCALKUBE_HOST=$HOST is not a loopback address (127.0.0.0/8)" ;; esac
  PKI=$STATE/pki
  LOGS=$STATE/logs
  RUN=$STATE/run
  ADMIN_KUBECONFIG=$STATE/admin.kubeconfig
}

save_config() {
  mkdir -p "$STATE"
  cat >"$STATE/config.env" <<CONF
# Written by control-plane.sh up; read by down, status and env.
CFG_HOST=$HOST
CFG_API_PORT=$API_PORT
CFG_ETCD_PORT=$ETCD_PORT
CFG_ETCD_PEER_PORT=$ETCD_PEER_PORT
CFG_KCM_PORT=$KCM_PORT
CFG_SCHED_PORT=$SCHED_PORT
CFG_SERVICE_CIDR=$SERVICE_CIDR
CFG_API_ADDR=$API_ADDR
CONF
}

bin_dir() {
  if [ -n "${LOCALKUBE_BIN_DIR:-}" ]; then echo "$LOCALKUBE_BIN_DIR"; else "$HERE/build-binaries.sh" --print-bin-dir; fi
}

# first_service_ip CIDR: the address the apiserver gives the 'kubernetes' Service (network + 1).
first_service_ip() {
  local net=${1%/*} a b c d
  IFS=. read -r a b c d <<<"$net"
  echo "$a.$b.$c.$((d + 1))"
}

# --- certificates -------------------------------------------------------------------------------

# issue NAME SUBJECT EXT: a key and a certificate signed by the local CA, once.
issue() {
  local name=$1 subject=$2 ext=$3
  [ -f "$PKI/$name.crt" ] && return 0
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subject" -out "$PKI/$name.csr"
  printf '%s\n' "$ext" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

generate_pki() {
  mkdir -p "$PKI"
  chmod 700 "$PKI"
  if [ ! -f "$PKI/ca.crt" ]; then
    log "generating the CA and certificates in $PKI"
    openssl genrsa -out "$PKI/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=localkube-ca" -days 3650 -sha256 \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out "$PKI/ca.crt"
  fi
  local client="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  local svc_ip
  svc_ip=$(first_service_ip "$SERVICE_CIDR")
  issue apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$HOST,IP:127.0.0.1,IP:$API_ADDR,IP:$svc_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster,DNS:kubernetes.default.svc.cluster.local"
  issue etcd "/CN=localkube-etcd" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=IP:$HOST,IP:127.0.0.1,DNS:localhost"
  issue apiserver-etcd-client "/CN=kube-apiserver-etcd-client" "$client"
  issue admin "/O=system:masters/CN=localkube-admin" "$client"
  issue kube-controller-manager "/CN=system:kube-controller-manager" "$client"
  issue kube-scheduler "/CN=system:kube-scheduler" "$client"
  # The node agent's kubelet API (kubectl logs): the API server calls it with its own client
  # certificate; the agent's serving certificate is not checked by the API server.
  issue apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"
  issue kubelet "/CN=localkube-kubelet" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.2.1,IP:127.0.2.2,IP:127.0.2.3,IP:127.0.2.4,IP:127.0.2.5,DNS:localhost"
  # The aggregation layer's front proxy has its own CA, as in kubeadm: a client certificate from the
  # main CA must not be able to assert identities through request headers.
  if [ ! -f "$PKI/front-proxy-ca.crt" ]; then
    openssl genrsa -out "$PKI/front-proxy-ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$PKI/front-proxy-ca.key" -subj "/CN=localkube-front-proxy-ca" \
      -days 3650 -sha256 -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$PKI/front-proxy-ca.crt"
  fi
  if [ ! -f "$PKI/front-proxy-client.crt" ]; then
    openssl genrsa -out "$PKI/front-proxy-client.key" 2048 2>/dev/null
    openssl req -new -key "$PKI/front-proxy-client.key" -subj "/CN=front-proxy-client" \
      -out "$PKI/front-proxy-client.csr"
    printf '%s\n' "$client" >"$PKI/front-proxy-client.ext"
    openssl x509 -req -in "$PKI/front-proxy-client.csr" -CA "$PKI/front-proxy-ca.crt" \
      -CAkey "$PKI/front-proxy-ca.key" -CAcreateserial -days 3650 -sha256 \
      -extfile "$PKI/front-proxy-client.ext" -out "$PKI/front-proxy-client.crt" 2>/dev/null
    rm -f "$PKI/front-proxy-client.csr" "$PKI/front-proxy-client.ext"
  fi
  if [ ! -f "$PKI/sa.key" ]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  chmod 600 "$PKI"/*.key
  write_kubeconfig "$ADMIN_KUBECONFIG" admin
  write_kubeconfig "$STATE/kube-controller-manager.kubeconfig" kube-controller-manager
  write_kubeconfig "$STATE/kube-scheduler.kubeconfig" kube-scheduler
}

# write_kubeconfig FILE CERT: a kubeconfig for the user whose certificate is pki/CERT.crt.
write_kubeconfig() {
  local file=$1 cert=$2
  cat >"$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: localkube
  cluster:
    server: https://$API_ADDR:$API_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: $cert
  user:
    client-certificate: $PKI/$cert.crt
    client-key: $PKI/$cert.key
contexts:
- name: localkube
  context:
    cluster: localkube
    user: $cert
current-context: localkube
KUBECONFIG
  chmod 600 "$file"
}

# --- processes ----------------------------------------------------------------------------------

pid_of() { if [ -f "$RUN/$1.pid" ]; then cat "$RUN/$1.pid"; fi; }

# running NAME: the recorded PID is alive and really is this component of this state directory
# (PIDs get reused: a stale pid file must never make us signal a stranger).
running() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STATE/" &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$1"
}

# alive NAME: the recorded process exists (right after a start it may not have exec'd yet, so its
# command line cannot be checked).
alive() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# start NAME PORT ARGS...: start a component in its own session, logs and PID in the state dir.
start() {
  local name=$1 port=$2
  shift 2
  if running "$name"; then
    log "$name already running (pid $(pid_of "$name"))"
    return 0
  fi
  local host=${START_HOST:-$HOST}
  port_open "$host" "$port" && die "$host:$port (for $name) is taken by another process: stop it, or choose another port (LOCALKUBE_*_PORT) with a fresh LOCALKUBE_DIR"
  mkdir -p "$LOGS" "$RUN"
  # setsid: the component outlives this script and a terminal's Ctrl-C; it does not fork here, so
  # $! is the component's own PID.
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
  log "started $name (pid $!, log $LOGS/$name.log)"
}

# wait_for WHAT COMMAND...: retry COMMAND until it succeeds or the up deadline passes.
wait_for() {
  local what=$1
  shift
  while ! "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$DEADLINE" ]; then
      die "timed out waiting for $what; see the logs in $LOGS"
    fi
    local c
    for c in "${COMPONENTS[@]}"; do
      if [ -f "$RUN/$c.pid" ] && ! alive "$c"; then
        tail -n 20 "$LOGS/$c.log" >&2 || true
        die "$c exited while waiting for $what; log: $LOGS/$c.log"
      fi
    done
    sleep 0.5
  done
}

kubectl_admin() { "$BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" --request-timeout=5s "$@"; }

cmd_up() {
  local started
  started=$(date +%s)
  DEADLINE=$((started + ${LOCALKUBE_UP_TIMEOUT:-180}))
  case $API_ADDR in
    127.*) ;;
    *) [[ " $(ip -o -4 addr show dev lo 2>/dev/null) " == *" $API_ADDR/"* ]] ||
      die "LOCALKUBE_API_ADDRESS=$API_ADDR is neither in 127.0.0.0/8 nor on lo: add it first (ip addr add $API_ADDR/32 dev lo)" ;;
  esac
  "$HERE/build-binaries.sh" >/dev/null
  BIN=$(bin_dir)
  save_config
  generate_pki

  start etcd "$ETCD_PORT" etcd --name localkube --logger zap --data-dir "$STATE/etcd-data" \
    --listen-client-urls "https://$HOST:$ETCD_PORT" --advertise-client-urls "https://$HOST:$ETCD_PORT" \
    --listen-peer-urls "https://$HOST:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "https://$HOST:$ETCD_PEER_PORT" \
    --initial-cluster "localkube=https://$HOST:$ETCD_PEER_PORT" \
    --cert-file "$PKI/etcd.crt" --key-file "$PKI/etcd.key" --client-cert-auth --trusted-ca-file "$PKI/ca.crt" \
    --peer-cert-file "$PKI/etcd.crt" --peer-key-file "$PKI/etcd.key" --peer-client-cert-auth \
    --peer-trusted-ca-file "$PKI/ca.crt"
  wait_for "etcd on $HOST:$ETCD_PORT" port_open "$HOST" "$ETCD_PORT"

  # A loopback address cannot be advertised through the lease reconciler (the API server refuses
  # it for the kubernetes Service); an address on lo can, and then pods reach the API.
  local reconciler=lease
  case $API_ADDR in 127.*) reconciler=none ;; esac
  START_HOST=$API_ADDR start kube-apiserver "$API_PORT" "$BIN/kube-apiserver" \
    --bind-address "$API_ADDR" --advertise-address "$API_ADDR" --secure-port "$API_PORT" \
    --etcd-servers "https://$HOST:$ETCD_PORT" --etcd-cafile "$PKI/ca.crt" \
    --etcd-certfile "$PKI/apiserver-etcd-client.crt" --etcd-keyfile "$PKI/apiserver-etcd-client.key" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --allow-privileged=true \
    --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --endpoint-reconciler-type "$reconciler" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP \
    --profiling=false
  wait_for "kube-apiserver /readyz" kubectl_admin get --raw /readyz

  start kube-controller-manager "$KCM_PORT" "$BIN/kube-controller-manager" \
    --kubeconfig "$STATE/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE/kube-controller-manager.kubeconfig" \
    --bind-address "$HOST" --secure-port "$KCM_PORT" --cert-dir "$STATE/kube-controller-manager-certs" \
    --leader-elect=false --controllers '*' --use-service-account-credentials \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --profiling=false
  start kube-scheduler "$SCHED_PORT" "$BIN/kube-scheduler" \
    --kubeconfig "$STATE/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$STATE/kube-scheduler.kubeconfig" \
    --bind-address "$HOST" --secure-port "$SCHED_PORT" --cert-dir "$STATE/kube-scheduler-certs" \
    --leader-elect=false --profiling=false

  wait_for "the default namespace" kubectl_admin get namespace default
  wait_for "the default ServiceAccount (kube-controller-manager)" kubectl_admin -n default get serviceaccount default
  wait_for "kube-scheduler on $HOST:$SCHED_PORT" port_open "$HOST" "$SCHED_PORT"
  log "up in $(($(date +%s) - started)) s: export KUBECONFIG=$ADMIN_KUBECONFIG"
}

# stop NAME: SIGTERM, then SIGKILL once LOCALKUBE_STOP_TIMEOUT has passed.
stop() {
  local name=$1 pid deadline
  if ! running "$name"; then
    rm -f "$RUN/$name.pid"
    return 0
  fi
  pid=$(pid_of "$name")
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(date +%s) + ${LOCALKUBE_STOP_TIMEOUT:-20}))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "$name (pid $pid) ignored SIGTERM: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$RUN/$name.pid"
  log "stopped $name (pid $pid)"
}

cmd_down() {
  local wipe=false
  case "${1:-}" in --wipe) wipe=true ;; "") ;; *) usage >&2; exit 2 ;; esac
  # The node agent goes first, while the API can still record its pods' ends.
  if [ -f "$RUN/node-agent.pid" ]; then
    LOCALKUBE_DIR=$STATE "$HERE/agent.sh" down
  fi
  # The two API clients together, then the API server, then its storage.
  stop kube-scheduler &
  stop kube-controller-manager &
  wait
  stop kube-apiserver
  stop etcd
  if $wipe && [ -d "$STATE" ]; then
    # Guard against a mistyped LOCALKUBE_DIR: only a directory this script populated is removed.
    [ -f "$STATE/config.env" ] || die "$STATE has no config.env: not a localkube state directory, not removing it"
    rm -rf "$STATE"
    log "removed $STATE"
  fi
}

cmd_status() {
  local ok=0 c
  for c in "${COMPONENTS[@]}"; do
    if running "$c"; then echo "$c: running (pid $(pid_of "$c"))"; else echo "$c: stopped"; ok=1; fi
  done
  BIN=$(bin_dir)
  if [ -f "$ADMIN_KUBECONFIG" ] && kubectl_admin get --raw /readyz >/dev/null 2>&1; then
    echo "api: ready at https://$API_ADDR:$API_PORT"
  else
    echo "api: not ready"
    ok=1
  fi
  return $ok
}

cmd_env() {
  echo "export KUBECONFIG=$ADMIN_KUBECONFIG"
  echo "export PATH=$(bin_dir):\$PATH"
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  case $cmd in
    up) load_config; cmd_up "$@" ;;
    down) load_config; cmd_down "$@" ;;
    status) load_config; cmd_status ;;
    env) load_config; cmd_env ;;
    help | -h | --help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
