#!/usr/bin/env bash
# Builds the pinned Kubernetes control-plane binaries, kubectl and helm from the Go module proxy,
# into a per-user cache, once. Later runs find the binaries at the right version and return at once.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--node] [--print-bin-dir] [--help]

Builds kube-apiserver, kube-controller-manager, kube-scheduler and kubectl ${K8S_VERSION:-v1.36.3}
and helm ${HELM_VERSION:-v3.22.0} from the Go module proxy, and installs Debian's etcd-server if etcd
is missing. Idempotent: a binary whose --version already matches is not rebuilt.

  --node            also build what a real node needs (localkube/real-node.sh): kubelet and
                    kube-proxy ${K8S_VERSION:-v1.36.3}, CoreDNS ${COREDNS_VERSION:-v1.15.0} and the pause
                    program (localkube/node/pause), into the same directory
  --print-bin-dir   print the directory holding the binaries and exit (builds nothing)

Environment (defaults in brackets):
  LOCALKUBE_CACHE    cache root       [\${XDG_CACHE_HOME:-\$HOME/.cache}/dqlite-k8s]
  LOCALKUBE_BIN_DIR  binary directory [\$LOCALKUBE_CACHE/k8s-${K8S_VERSION:-v1.36.3}/bin]
  GO                 go command       [go]; Go >= 1.21 fetches the toolchain Kubernetes needs from the
                     module proxy by itself; without one, Debian's golang-go is installed and used
                     to fetch ${GO_BOOTSTRAP:-go1.26.8} (module golang.org/toolchain) into the cache
USAGE
}

K8S_VERSION=v1.36.3
HELM_VERSION=v3.22.0
COREDNS_VERSION=v1.15.0
# Used only when no Go >= 1.21 is installed: fetched from the module proxy as a Go module.
GO_BOOTSTRAP=go1.26.8
CACHE_ROOT=${LOCALKUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dqlite-k8s}
BIN_DIR=${LOCALKUBE_BIN_DIR:-$CACHE_ROOT/k8s-$K8S_VERSION/bin}
GO=${GO:-go}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The pause program's version: raise it when localkube/node/pause/main.go changes.
PAUSE_VERSION=localkube-1

NODE=false
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  --print-bin-dir) echo "$BIN_DIR"; exit 0 ;;
  --node) NODE=true ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac

log() { echo "build-binaries: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Everything Go writes lives under the cache root, so a second run (or CI's cache) reuses it.
export GOCACHE=$CACHE_ROOT/go-build
export GOMODCACHE=$CACHE_ROOT/go-mod
export GOPATH=$CACHE_ROOT/gopath
# -modcacherw keeps the module cache deletable with rm -rf; no VCS stamping outside a checkout.
export GOFLAGS="-modcacherw -buildvcs=false"
export CGO_ENABLED=0
mkdir -p "$BIN_DIR" "$GOCACHE" "$GOMODCACHE" "$GOPATH"

start=$(date +%s)

ensure_etcd() {
  command -v etcd >/dev/null 2>&1 && return 0
  log "etcd not found: installing Debian's etcd-server"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq etcd-server >/dev/null
  command -v etcd >/dev/null 2>&1 || die "etcd-server installed but 'etcd' is not on PATH"
}

# go_usable GO: the command exists and is Go >= 1.21 (which can switch to a newer toolchain).
go_usable() {
  local v major minor
  command -v "$1" >/dev/null 2>&1 || return 1
  v=$(GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null) || return 1
  v=${v#go}
  major=${v%%.*}
  minor=${v#*.}
  minor=${minor%%.*}
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 21 ]; }
}

# ensure_go: a Go that can build Kubernetes; on a machine without one, bootstrap from Debian's old
# Go plus the toolchain module from the module proxy (no other download site is needed).
ensure_go() {
  go_usable "$GO" && return 0
  log "no Go >= 1.21 ('$GO'): bootstrapping $GO_BOOTSTRAP from the Go module proxy"
  if ! command -v go >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq golang-go >/dev/null
  fi
  local arch dir
  arch=$(GOTOOLCHAIN=local go env GOARCH)
  dir=$(GOTOOLCHAIN=local go mod download -json "golang.org/toolchain@v0.0.1-$GO_BOOTSTRAP.linux-$arch" |
    sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')
  [ -d "$dir/bin" ] || die "could not fetch golang.org/toolchain for $GO_BOOTSTRAP (module proxy reachable?)"
  # Module zips do not keep the executable bit.
  chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/*
  GO=$dir/bin/go
  go_usable "$GO" || die "the bootstrapped $GO does not run"
}

# version_ok BINARY EXPECTED: the binary exists and its version output contains EXPECTED as a word.
version_ok() {
  local bin=$BIN_DIR/$1 expected=$2 out
  [ -x "$bin" ] || return 1
  case $1 in
    kubectl) out=$("$bin" version --client 2>/dev/null || true) ;;
    helm) out=$("$bin" version --short 2>/dev/null || true) ;;
    coredns) out=$("$bin" -version 2>/dev/null | sed 's/CoreDNS-/v/' || true) ;;
    pause) out=$("$bin" -v 2>/dev/null || true) ;;
    *) out=$("$bin" --version 2>/dev/null || true) ;;
  esac
  grep -qE "(^|[^0-9A-Za-z.])${expected//./\\.}([^0-9A-Za-z.]|$)" <<<"$out"
}

# build_kubernetes COMMAND...: the throwaway module that requires k8s.io/kubernetes, then COMMANDs
# (k8s.io/kubernetes/cmd/<COMMAND>) into the binary directory.
build_kubernetes() {
  local src=$CACHE_ROOT/k8s-$K8S_VERSION/src minor gomod
  minor=${K8S_VERSION#v1.}
  minor=${minor%%.*}
  mkdir -p "$src"

  log "fetching k8s.io/kubernetes@$K8S_VERSION's go.mod from the module proxy"
  gomod=$(cd "$src" && GOFLAGS="$GOFLAGS -mod=mod" "$GO" mod download -json "k8s.io/kubernetes@$K8S_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')
  [ -f "$gomod" ] || die "could not locate go.mod of k8s.io/kubernetes@$K8S_VERSION (module proxy reachable? GOPROXY=$("$GO" env GOPROXY))"

  # k8s.io/kubernetes replaces its staging modules with local paths; a consumer must pin each one to
  # the matching published v0.<minor>.<patch> instead. Generated here, never committed.
  local staging_version=v0.${K8S_VERSION#v1.}
  {
    echo "// Generated by localkube/build-binaries.sh: a throwaway module to build Kubernetes $K8S_VERSION."
    echo "module localkube.invalid/k8s-build"
    echo
    echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    grep -E '^[[:space:]]*k8s\.io/[A-Za-z0-9._/-]+[[:space:]]+=>[[:space:]]+\./staging/' "$gomod" |
      awk -v v="$staging_version" '{ printf "replace %s => %s %s\n", $1, $1, v }'
  } >"$src/go.mod"
  cat >"$src/tools.go" <<GO
//go:build tools

// Package tools pins the commands this throwaway module builds, so that go mod tidy keeps them.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO

  log "resolving modules (go mod tidy)"
  (cd "$src" && "$GO" mod tidy)

  # Without these stamps the binaries report v0.0.0-master+\$Format:%H\$, which kubectl, Helm and
  # client libraries cannot parse.
  local ldflags="-s -w"
  local pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean"
  done
  log "compiling $* (a cold build takes minutes)"
  local pkgs=() c
  for c in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  (cd "$src" && "$GO" build -trimpath -ldflags "$ldflags" -o "$BIN_DIR/" "${pkgs[@]}")
}

build_coredns() {
  log "compiling coredns $COREDNS_VERSION"
  GOBIN=$BIN_DIR "$GO" install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
}

# build_pause: the pod sandbox's pause program (localkube/node/pause), static, stamped with its
# version so that version_ok finds it.
build_pause() {
  local src=$CACHE_ROOT/pause-src
  log "compiling pause $PAUSE_VERSION"
  rm -rf "$src"
  mkdir -p "$src"
  cp "$HERE/node/pause/main.go" "$src/"
  printf 'module localkube.invalid/pause\n\ngo 1.21\n' >"$src/go.mod"
  (cd "$src" && GOTOOLCHAIN=local "$GO" build -trimpath -ldflags "-s -w -X main.version=$PAUSE_VERSION" \
    -o "$BIN_DIR/pause" .)
}

build_helm() {
  local pkg=helm.sh/helm/v3 gomod k8s_minor
  log "compiling helm $HELM_VERSION"
  # Like Helm's own Makefile: stamp the release and the Kubernetes version it was built against (the
  # minor of its client-go), which 'helm template' and 'helm lint' use when no cluster is asked.
  gomod=$(GOFLAGS="$GOFLAGS -mod=mod" "$GO" mod download -json "$pkg@$HELM_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')
  k8s_minor=$(sed -n 's#^[[:space:]]*k8s.io/client-go v0\.\([0-9]*\)\..*#\1#p' "$gomod" | head -n 1)
  [ -n "$k8s_minor" ] || die "cannot read the client-go version from $gomod"
  local ldflags="-s -w -X $pkg/internal/version.version=$HELM_VERSION"
  ldflags+=" -X $pkg/internal/version.metadata= -X $pkg/internal/version.gitTreeState=clean"
  ldflags+=" -X $pkg/pkg/lint/rules.k8sVersionMajor=1 -X $pkg/pkg/lint/rules.k8sVersionMinor=$k8s_minor"
  ldflags+=" -X $pkg/pkg/chartutil.k8sVersionMajor=1 -X $pkg/pkg/chartutil.k8sVersionMinor=$k8s_minor"
  GOBIN=$BIN_DIR "$GO" install -trimpath -ldflags "$ldflags" "$pkg/cmd/helm@$HELM_VERSION"
}

ensure_etcd

# One builder at a time per cache: parallel test forks or make targets wait instead of racing.
exec 9>"$CACHE_ROOT/.build.lock"
flock 9

K8S_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
$NODE && K8S_COMMANDS+=(kubelet kube-proxy)
missing=()
for b in "${K8S_COMMANDS[@]}"; do
  version_ok "$b" "$K8S_VERSION" || missing+=("$b")
done
if [ ${#missing[@]} -gt 0 ]; then
  ensure_go
  build_kubernetes "${missing[@]}"
else log "kubernetes $K8S_VERSION binaries already built"; fi
for b in "${K8S_COMMANDS[@]}"; do
  version_ok "$b" "$K8S_VERSION" || die "$BIN_DIR/$b does not report $K8S_VERSION after the build"
done

if $NODE; then
  if version_ok coredns "$COREDNS_VERSION"; then log "coredns $COREDNS_VERSION already built"; else
    ensure_go
    build_coredns
  fi
  version_ok coredns "$COREDNS_VERSION" || die "$BIN_DIR/coredns does not report $COREDNS_VERSION after the build"
  if version_ok pause "$PAUSE_VERSION"; then log "pause $PAUSE_VERSION already built"; else
    ensure_go
    build_pause
  fi
  version_ok pause "$PAUSE_VERSION" || die "$BIN_DIR/pause does not report $PAUSE_VERSION after the build"
fi

if version_ok helm "$HELM_VERSION"; then
  log "helm $HELM_VERSION already built"
else
  ensure_go
  build_helm
fi
version_ok helm "$HELM_VERSION" || die "$BIN_DIR/helm does not report $HELM_VERSION after the build"

log "binaries in $BIN_DIR ($(($(date +%s) - start)) s)"
echo "$BIN_DIR"
