#!/usr/bin/env bash
# Real nodes for localkube: three kubelets (v1.36.3, built from the Go module proxy) in three
# zones, each with its own containerd (Debian's), runc and CNI bridge, beside a control plane of
# its own (control-plane.sh) whose API server listens on an address added to lo, so that pods
# reach it through the kubernetes Service. One kube-proxy (iptables), CoreDNS for cluster.local,
# a local-volume provisioner (ProvisionerMain) and the project's images (make images) imported
# into every node. Everything stays on this machine. See docs/local-control-plane.md, "Real nodes".
#
# The recipe and its pitfalls: restrict_oom_score_adj (the machine withholds CAP_SYS_RESOURCE),
# failCgroupV1: false, a cgroupRoot per kubelet (each kubelet removes pod cgroups it does not
# know), netns mounts under each containerd's state, runc state per node, and a teardown that
# removes every mount, iptables chain (KUBE-FIREWALL drops non-loopback traffic to 127.0.0.0/8),
# bridge, lo address and cgroup it made.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)

usage() {
  cat <<USAGE
Usage: $(basename "$0") up|down|status|check-clean|env|help

  up           build what is missing (kubelet, kube-proxy, CoreDNS, pause: build-binaries.sh --node;
               the images: make images), then start the control plane, the three nodes, kube-proxy,
               CoreDNS and the provisioner; waits until the nodes are Ready. Idempotent.
  down         delete the workloads, stop everything up started and remove its mounts, iptables
               chains, bridges, lo addresses, cgroups and state.
  check-clean  exit 1, listing them, if processes, mounts, chains, links, addresses or cgroups of
               real nodes are left on this machine.
  env          print shell exports: eval "\$($(basename "$0") env)".

Environment (defaults in brackets):
  REAL_NODE_DIR    state directory (short: socket paths live under it)  [/var/tmp/dqreal]
  REAL_NODE_NET    the 10.x.0 prefix of the added lo addresses            [10.201.0]
  REAL_NODE_IMAGES OCI archives to import                                 [$REPO/target/images/*.tar]
  REAL_NODE_SKIP_IMAGES=1  do not run make images when the archives are missing
USAGE
}

STATE=${REAL_NODE_DIR:-/var/tmp/dqreal}
NET=${REAL_NODE_NET:-10.201.0}
API_ADDR=$NET.1
API_PORT=18443
NODES=(node-a node-b node-c)
ZONES=(zone-a zone-b zone-c)
POD_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/16
DNS_IP=10.96.0.10
DNS_PORT=1053
PAUSE_IMAGE=registry.k8s.io/pause:3.10
CGROUP_PREFIX=dqreal
# The control plane's own ports, so that it runs beside `make cluster-up` and the demo.
export LOCALKUBE_DIR=$STATE/cp
export LOCALKUBE_API_PORT=$API_PORT LOCALKUBE_API_ADDRESS=$API_ADDR
export LOCALKUBE_ETCD_PORT=14379 LOCALKUBE_ETCD_PEER_PORT=14380
export LOCALKUBE_KCM_PORT=22257 LOCALKUBE_SCHED_PORT=22259
export LOCALKUBE_SERVICE_CIDR=$SERVICE_CIDR
KUBECONFIG_FILE=$LOCALKUBE_DIR/admin.kubeconfig
PKI=$LOCALKUBE_DIR/pki

log() { echo "real-node: $*" >&2; }
die() { log "error: $*"; exit 1; }

node_index() { local i; for i in "${!NODES[@]}"; do [ "${NODES[$i]}" = "$1" ] && echo "$i"; done; }
node_ip() { echo "$NET.$((11 + $(node_index "$1")))"; }
node_dir() { echo "$STATE/$1"; }
node_bridge() { echo "dqreal$(node_index "$1")"; }
node_subnet() { echo "10.244.$(($(node_index "$1") + 1)).0/24"; }
node_sock() { echo "$(node_dir "$1")/containerd.sock"; }

bin_dir() { bash "$HERE/build-binaries.sh" --print-bin-dir; }
kubectl_() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=10s "$@"; }

# --- processes (pid files under $STATE/run; a pid is ours only if its command line names $STATE) --

pid_of() { cat "$STATE/run/$1.pid" 2>/dev/null || true; }
running() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && [[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" == *"$STATE"* ]]
}

# start NAME COMMAND...: a background daemon in its own session; it must not inherit our stdout.
start() {
  local name=$1
  shift
  if running "$name"; then return 0; fi
  mkdir -p "$STATE/run" "$STATE/logs"
  setsid "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/run/$name.pid"
  log "started $name (pid $!, log $STATE/logs/$name.log)"
}

stop() {
  local name=$1 pid deadline
  if ! running "$name"; then rm -f "$STATE/run/$name.pid"; return 0; fi
  pid=$(pid_of "$name")
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(date +%s) + ${2:-20}))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.2
  done
  rm -f "$STATE/run/$name.pid"
  log "stopped $name"
}

# wait_until SECONDS WHAT COMMAND...
wait_until() {
  local deadline=$(($(date +%s) + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "timed out waiting for $what (logs: $STATE/logs)"
    sleep 0.5
  done
}

# --- certificates ---------------------------------------------------------------------------------

# issue NAME SUBJECT EXT: a client or serving certificate signed by the control plane's CA.
issue() {
  local name=$1 subject=$2 ext=$3
  [ -f "$PKI/$name.crt" ] && return 0
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subject" -out "$PKI/$name.csr"
  printf '%s\n' "$ext" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
  chmod 600 "$PKI/$name.key"
}

kubeconfig_for() {
  local file=$1 cert=$2
  cat >"$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: localkube
  cluster: {server: "https://$API_ADDR:$API_PORT", certificate-authority: "$PKI/ca.crt"}
users:
- name: $cert
  user: {client-certificate: "$PKI/$cert.crt", client-key: "$PKI/$cert.key"}
contexts:
- name: localkube
  context: {cluster: localkube, user: $cert}
current-context: localkube
KUBECONFIG
  chmod 600 "$file"
}

# --- up -------------------------------------------------------------------------------------------

ensure_packages() {
  local p missing=()
  for p in containerd runc containernetworking-plugins iptables conntrack buildah; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"ok installed"* ]] || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

add_lo_address() { [[ " $(ip -o -4 addr show dev lo) " == *" $1/"* ]] || ip addr add "$1/32" dev lo; }

# set_sysctl KEY VALUE: remember the old value once (down restores it).
set_sysctl() {
  local key=$1 value=$2 file=/proc/sys/${1//.//}
  mkdir -p "$STATE/sysctl"
  [ -f "$STATE/sysctl/$key" ] || cat "$file" >"$STATE/sysctl/$key"
  echo "$value" >"$file"
}

# pause_archive: the pod sandbox image (build-binaries.sh's pause program), once per cache.
pause_archive() {
  local archive
  archive=$(dirname "$BIN")/pause-image.tar
  if [ ! -f "$archive" ] || [ "$BIN/pause" -nt "$archive" ]; then
    local ctr
    ctr=$(buildah from --quiet scratch)
    buildah copy --quiet "$ctr" "$BIN/pause" /pause >/dev/null
    buildah config --entrypoint '["/pause"]' "$ctr"
    buildah commit --quiet --rm "$ctr" "$PAUSE_IMAGE" >/dev/null
    rm -f "$archive"
    buildah push --quiet "$PAUSE_IMAGE" "oci-archive:$archive:$PAUSE_IMAGE" >/dev/null
  fi
  echo "$archive"
}

write_containerd_config() {
  local node=$1 dir
  dir=$(node_dir "$node")
  mkdir -p "$dir/cni" "$dir/runc"
  containerd config default | sed \
    -e "s#^root = .*#root = \"$dir/containerd/root\"#" \
    -e "s#^state = .*#state = \"$dir/containerd/state\"#" \
    -e "/^\[grpc\]/,/^\[/ s#^  address = .*#  address = \"$(node_sock "$node")\"#" \
    -e "/^\[ttrpc\]/,/^\[/ s#^  address = .*#  address = \"$dir/containerd-ttrpc.sock\"#" \
    -e "s#sandbox_image = .*#sandbox_image = \"$PAUSE_IMAGE\"#" \
    -e "s#restrict_oom_score_adj = .*#restrict_oom_score_adj = true#" \
    -e "s#netns_mounts_under_state_dir = .*#netns_mounts_under_state_dir = true#" \
    -e "s#bin_dir = \"/opt/cni/bin\"#bin_dir = \"/usr/lib/cni\"#" \
    -e "s#conf_dir = \"/etc/cni/net.d\"#conf_dir = \"$dir/cni\"#" \
    -e "s#SystemdCgroup = .*#SystemdCgroup = false#" \
    -e "s#stream_server_address = .*#stream_server_address = \"127.0.0.1\"#" \
    -e "s#stream_server_port = .*#stream_server_port = \"0\"#" \
    -e "/runtimes.runc.options\]/,/^ *\[/ s#^\( *\)Root = .*#\1Root = \"$dir/runc\"#" \
    >"$dir/containerd.toml"
  grep -q "restrict_oom_score_adj = true" "$dir/containerd.toml" ||
    die "containerd's default config has no restrict_oom_score_adj: this containerd is not supported"
  cat >"$dir/cni/10-bridge.conflist" <<CNI
{
  "cniVersion": "1.0.0",
  "name": "dqreal-$node",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$(node_bridge "$node")",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$(node_subnet "$node")"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$dir/ipam"
      }
    }
  ]
}
CNI
}

write_kubelet_config() {
  local node=$1 dir ip
  dir=$(node_dir "$node")
  ip=$(node_ip "$node")
  mkdir -p "$dir"
  issue "kubelet-$node" "/O=system:nodes/CN=system:node:$node" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth,serverAuth
subjectAltName=IP:$ip,DNS:$node"
  kubeconfig_for "$dir/kubelet.kubeconfig" "kubelet-$node"
  cat >"$dir/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $ip
port: 10250
readOnlyPort: 0
healthzBindAddress: $ip
healthzPort: 10248
tlsCertFile: $PKI/kubelet-$node.crt
tlsPrivateKeyFile: $PKI/kubelet-$node.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$(node_sock "$node")
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP_PREFIX-$node
cgroupsPerQOS: true
failCgroupV1: false
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
resolvConf: $STATE/resolv.conf
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
maxPods: 30
podPidsLimit: -1
# Its own, not /var/log/pods: a kubelet's garbage collector removes every pod log directory of a
# pod it does not run, so with one shared directory the three kubelets deleted each other's logs
# (kubectl logs answered nothing for a running pod).
podLogsDir: $dir/pod-logs
YAML
}

start_node() {
  local node=$1 dir cg
  dir=$(node_dir "$node")
  write_containerd_config "$node"
  start "containerd-$node" containerd --config "$dir/containerd.toml"
  wait_until 30 "containerd of $node" ctr -a "$(node_sock "$node")" version
  local archive
  for archive in "$PAUSE_ARCHIVE" "${IMAGE_ARCHIVES[@]}"; do
    ctr -a "$(node_sock "$node")" -n k8s.io images import --no-unpack=false "$archive" >/dev/null
  done
  # Each kubelet under its own cgroup root in every hierarchy (v1 controllers and the unified one).
  for cg in /sys/fs/cgroup/*/; do
    [ -d "$cg" ] && mkdir -p "$cg$CGROUP_PREFIX-$node" 2>/dev/null || true
  done
  start "kubelet-$node" "$BIN/kubelet" --config "$dir/kubelet.yaml" \
    --kubeconfig "$dir/kubelet.kubeconfig" --hostname-override "$node" --node-ip "$(node_ip "$node")" \
    --root-dir "$dir/kubelet" --cert-dir "$dir/kubelet/pki" \
    --node-labels "topology.kubernetes.io/zone=${ZONES[$(node_index "$node")]}" --v=1
}

node_ready() {
  [ "$(kubectl_ get node "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

start_cluster_services() {
  issue kube-proxy "/CN=system:kube-proxy" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  kubeconfig_for "$STATE/kube-proxy.kubeconfig" kube-proxy
  cat >"$STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $STATE/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: ${NODES[0]}
bindAddress: $API_ADDR
healthzBindAddress: $API_ADDR:10256
metricsBindAddress: $API_ADDR:10249
conntrack: {maxPerCore: 0, min: 0}
YAML
  start kube-proxy "$BIN/kube-proxy" --config "$STATE/kube-proxy.yaml" --v=1

  # CoreDNS on the API's lo address; the kube-dns Service (10.96.0.10:53) points at it through a
  # hand-made EndpointSlice, so kube-proxy carries pods' queries there and no ClusterIP is faked.
  cat >"$STATE/Corefile" <<COREFILE
.:$DNS_PORT {
    bind $API_ADDR
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $KUBECONFIG_FILE localkube
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    cache 5
}
COREFILE
  start coredns "$BIN/coredns" -conf "$STATE/Corefile"
  kubectl_ apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: $DNS_IP
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: $DNS_PORT}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: $DNS_PORT}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-host
  namespace: kube-system
  labels: {kubernetes.io/service-name: kube-dns, endpointslice.kubernetes.io/managed-by: localkube}
addressType: IPv4
endpoints: [{addresses: ["$API_ADDR"], conditions: {ready: true}}]
ports:
- {name: dns, port: $DNS_PORT, protocol: UDP}
- {name: dns-tcp, port: $DNS_PORT, protocol: TCP}
YAML

  local nodes
  nodes=$(IFS=,; echo "${NODES[*]}")
  start provisioner java -cp "$HERE/target/dqlite-localkube.jar" \
    io.dqlite.localkube.volumes.ProvisionerMain --kubeconfig "$KUBECONFIG_FILE" \
    --root "$STATE/volumes" --nodes "$nodes" --owner 10001
}

cmd_up() {
  local t0
  t0=$(date +%s)
  [ "$(id -u)" = 0 ] || die "real nodes need root (mounts, iptables, cgroups)"
  ensure_packages
  bash "$HERE/build-binaries.sh" --node >/dev/null
  BIN=$(bin_dir)
  local jar=$HERE/target/dqlite-localkube.jar
  if [ ! -f "$jar" ] || [ -n "$(find "$HERE/src/main" "$HERE/pom.xml" -newer "$jar" -print -quit)" ]; then
    log "building $jar"
    (cd "$REPO" && mvn -B -q -ntp -Dstyle.color=never -pl localkube -am package -DskipTests)
  fi
  if [ -n "${REAL_NODE_IMAGES:-}" ]; then
    read -r -a IMAGE_ARCHIVES <<<"$REAL_NODE_IMAGES"
  else
    IMAGE_ARCHIVES=("$REPO/target/images/sidecar.tar" "$REPO/target/images/operator.tar")
    if [ ! -f "${IMAGE_ARCHIVES[0]}" ] || [ ! -f "${IMAGE_ARCHIVES[1]}" ]; then
      [ "${REAL_NODE_SKIP_IMAGES:-0}" = 1 ] && IMAGE_ARCHIVES=() || bash "$REPO/scripts/images/build.sh"
    fi
  fi
  PAUSE_ARCHIVE=$(pause_archive)
  mkdir -p "$STATE"
  log "tools ready (+$(($(date +%s) - t0)) s)"

  add_lo_address "$API_ADDR"
  local node
  for node in "${NODES[@]}"; do add_lo_address "$(node_ip "$node")"; done
  set_sysctl net.ipv4.ip_forward 1
  set_sysctl net.bridge.bridge-nf-call-iptables 1
  : >"$STATE/resolv.conf"

  bash "$HERE/control-plane.sh" up
  log "control plane up (+$(($(date +%s) - t0)) s)"
  # Certificates one at a time (they share the CA's serial file), then the nodes side by side:
  # importing the images into three containerds is most of a node's start.
  for node in "${NODES[@]}"; do write_kubelet_config "$node"; done
  local pids=()
  for node in "${NODES[@]}"; do start_node "$node" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || die "a node did not start (logs: $STATE/logs)"; done
  start_cluster_services
  for node in "${NODES[@]}"; do wait_until 120 "node $node Ready" node_ready "$node"; done
  wait_until 60 "the default StorageClass" kubectl_ get storageclass localkube
  log "up in $(($(date +%s) - t0)) s: export KUBECONFIG=$KUBECONFIG_FILE"
  kubectl_ get nodes -L topology.kubernetes.io/zone >&2
}

# --- down -----------------------------------------------------------------------------------------

# delete_workloads: what the API holds that the kubelets must stop and unmount, while they run.
delete_workloads() {
  kubectl_ get --raw /readyz >/dev/null 2>&1 || return 0
  # Owners first and orphaning (nothing recreates a pod), then the pods with a short grace: a
  # teardown needs no handover, and the garbage collector would give each pod its own full grace.
  if kubectl_ get crd dqliteclusters.dqlite.io >/dev/null 2>&1; then
    kubectl_ delete dqliteclusters --all -A --cascade=orphan --wait=false >/dev/null 2>&1 || true
  fi
  local ns
  for ns in $(kubectl_ get ns -o jsonpath='{.items[*].metadata.name}'); do
    case $ns in kube-system | kube-public | kube-node-lease) continue ;; esac
    kubectl_ -n "$ns" delete deployments,statefulsets,replicasets,jobs --all --cascade=orphan \
      --wait=false >/dev/null 2>&1 || true
    kubectl_ -n "$ns" delete pods --all --grace-period=2 --wait=false >/dev/null 2>&1 || true
  done
  local deadline=$(($(date +%s) + 90))
  while [ -n "$(kubectl_ get pods -A -o name 2>/dev/null)" ] && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 1
  done
  kubectl_ delete pvc --all -A --wait=false >/dev/null 2>&1 || true
  deadline=$(($(date +%s) + 30))
  while [ -n "$(kubectl_ get pv -o name 2>/dev/null)" ] && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 1
  done
}

# kill_strays: containerd shims and container processes of our nodes that outlived containerd.
kill_strays() {
  local pid
  for pid in $(ps -eo pid=); do
    [ -r "/proc/$pid/cmdline" ] || continue
    if [[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" == *"$STATE/"* ]]; then
      [ "$pid" = $$ ] || kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  # Container processes name no state path; their cgroup (under our kubelets' roots) does.
  for pid in $(ps -eo pid=); do
    grep -qs ":/$CGROUP_PREFIX-" "/proc/$pid/cgroup" && kill -KILL "$pid" 2>/dev/null || true
  done
}

unmount_under() {
  local m
  # Deepest first; lazily, so that a busy mount does not stop the teardown.
  for m in $(awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}

# remove_chains: the KUBE-* and CNI-* chains of kube-proxy, the kubelets and the bridge plugin.
remove_chains() {
  local cmd table chain rule
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null || continue
    for table in filter nat mangle; do
      # First every rule that jumps to one of them, then the chains.
      { "$cmd"-save -t "$table" 2>/dev/null || true; } | { grep -E '^-A .* -j (KUBE-|CNI-)' || true; } |
        sed 's/^-A /-D /' | while read -r rule; do eval "$cmd -t $table $rule" 2>/dev/null || true; done
      for chain in $("$cmd"-save -t "$table" 2>/dev/null | sed -n 's/^:\(\(KUBE-\|CNI-\)[^ ]*\) .*/\1/p'); do
        "$cmd" -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$cmd"-save -t "$table" 2>/dev/null | sed -n 's/^:\(\(KUBE-\|CNI-\)[^ ]*\) .*/\1/p'); do
        "$cmd" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

remove_cgroups() {
  local d
  # Deepest first: a cgroup directory goes only once it has no children and no tasks.
  for d in $(find /sys/fs/cgroup -mindepth 2 -maxdepth 8 -type d -path "*/$CGROUP_PREFIX-*" 2>/dev/null | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2-); do
    rmdir "$d" 2>/dev/null || true
  done
}

cmd_down() {
  local t0 node
  t0=$(date +%s)
  BIN=$(bin_dir)
  if [ -d "$STATE" ]; then
    delete_workloads
    stop provisioner
    for node in "${NODES[@]}"; do stop "kubelet-$node" & done
    wait
    for node in "${NODES[@]}"; do
      local sock
      sock=$(node_sock "$node")
      if running "containerd-$node"; then
        local t
        for t in $(ctr -a "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
          ctr -a "$sock" -n k8s.io tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true
        done
        sleep 1
        for t in $(ctr -a "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
          ctr -a "$sock" -n k8s.io tasks delete -f "$t" >/dev/null 2>&1 || true
        done
      fi
      stop "containerd-$node"
    done
    stop coredns
    stop kube-proxy
    [ -x "$BIN/kube-proxy" ] && "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
    bash "$HERE/control-plane.sh" down || true
    kill_strays
    unmount_under "$STATE"
  fi
  for node in "${NODES[@]}"; do
    ip link del "$(node_bridge "$node")" 2>/dev/null || true
  done
  # veths whose pod namespace went away are gone with it; any left on our bridges' names too.
  remove_chains
  remove_cgroups
  for ip in "$API_ADDR" "$NET.11" "$NET.12" "$NET.13"; do
    ip addr del "$ip/32" dev lo 2>/dev/null || true
  done
  if [ -d "$STATE/sysctl" ]; then
    local f
    for f in "$STATE"/sysctl/*; do
      [ -f "$f" ] && cat "$f" >"/proc/sys/$(basename "$f" | tr . /)" 2>/dev/null || true
    done
  fi
  # The kubelets' links to their containers' logs (/var/log/containers is fixed, not per node).
  local l
  for l in /var/log/containers/*.log; do
    [[ -L $l && "$(readlink "$l")" == "$STATE/"* ]] && rm -f "$l"
  done
  if [ -d "$STATE" ]; then
    unmount_under "$STATE"
    rm -rf "$STATE" 2>/dev/null || { sleep 1; rm -rf "$STATE"; }
  fi
  log "down in $(($(date +%s) - t0)) s"
}

# --- check-clean ----------------------------------------------------------------------------------

cmd_check_clean() {
  local left=() pid
  for pid in $(ps -eo pid=); do
    [ "$pid" = $$ ] && continue
    if [[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" == *"$STATE/"* ]]; then
      left+=("process $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-120)")
    fi
    grep -qs ":/$CGROUP_PREFIX-" "/proc/$pid/cgroup" && left+=("process $pid in a node cgroup")
  done
  local m
  for m in $(awk -v p="$STATE" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo); do
    left+=("mount $m")
  done
  local cmd
  for cmd in iptables ip6tables; do
    command -v "$cmd-save" >/dev/null || continue
    for m in $("$cmd-save" 2>/dev/null | sed -n 's/^:\(\(KUBE-\|CNI-\)[^ ]*\) .*/\1/p'); do
      left+=("$cmd chain $m")
    done
  done
  for m in $(ip -o link show | awk -F': ' '{ print $2 }' | grep -E '^dqreal' || true); do left+=("link $m"); done
  for m in $(ip -o -4 addr show dev lo | awk '{ print $4 }' | grep -F "$NET." || true); do left+=("lo address $m"); done
  for m in $(find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -name "$CGROUP_PREFIX-*" 2>/dev/null); do
    left+=("cgroup $m")
  done
  for m in /var/log/containers/*.log; do
    [[ -L $m && "$(readlink "$m")" == "$STATE/"* ]] && left+=("log link $m")
  done
  [ -e "$STATE" ] && left+=("state directory $STATE")
  if [ ${#left[@]} -gt 0 ]; then
    printf 'real-node: left behind: %s\n' "${left[@]}" >&2
    return 1
  fi
  log "clean: no process, mount, iptables chain, link, lo address, cgroup or state of real nodes"
}

cmd_status() {
  local n ok=0
  for n in kube-proxy coredns provisioner "${NODES[@]/#/kubelet-}" "${NODES[@]/#/containerd-}"; do
    if running "$n"; then echo "$n: running (pid $(pid_of "$n"))"; else echo "$n: stopped"; ok=1; fi
  done
  bash "$HERE/control-plane.sh" status || ok=1
  return $ok
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  check-clean) cmd_check_clean ;;
  env) echo "export KUBECONFIG=$KUBECONFIG_FILE"; echo "export PATH=$(bin_dir):\$PATH" ;;
  help | -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
