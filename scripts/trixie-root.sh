#!/usr/bin/env bash
# A Debian trixie userland for tests of libdqlite 1.18.1: a debootstrap'd root directory with
# trixie's libdqlite0, go-dqlite 2.0.0 and a headless JRE, built once into a per-user cache, and a
# way to run one process inside it that shares the host's network (loopback) and leaves no mount
# behind. trixie's packages need glibc 2.38, which the bookworm host does not have.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: $(basename "$0") [build | path | run [--bind PATH]... [--env NAME=VALUE]... -- COMMAND [ARG]...]

  build   make the root once (debootstrap --variant=minbase trixie, then libdqlite0, go-dqlite and
          openjdk-21-jre-headless); a later build finds its stamp file and returns at once. Default.
  path    print the root directory (builds nothing)
  run     run COMMAND inside the root (needs root, as unshare -m and chroot do): a private mount
          namespace gets /proc, /dev, a fresh tmpfs on /tmp and each --bind PATH at the same path
          inside; the network namespace is the host's. The mounts vanish with the process. COMMAND
          replaces this script (same pid), so signalling the pid signals COMMAND.

Environment (defaults in brackets):
  TRIXIE_ROOT     the root directory  [\${XDG_CACHE_HOME:-\$HOME/.cache}/dqlite-k8s/trixie-root]
  TRIXIE_MIRROR   the Debian mirror   [the first URIs of /etc/apt/sources.list.d/debian.sources,
                                       else http://deb.debian.org/debian]
USAGE
}

CACHE_ROOT=${XDG_CACHE_HOME:-$HOME/.cache}/dqlite-k8s
ROOT=${TRIXIE_ROOT:-$CACHE_ROOT/trixie-root}
PACKAGES=(libdqlite0 go-dqlite openjdk-21-jre-headless)
# Bump when PACKAGES or the recipe changes: an older root is then rebuilt.
RECIPE=1
STAMP=$ROOT/.dqlite-k8s-trixie-root

log() { echo "trixie-root: $*" >&2; }
die() { log "error: $*"; exit 1; }

mirror() {
  if [ -n "${TRIXIE_MIRROR:-}" ]; then echo "$TRIXIE_MIRROR"; return; fi
  local uri
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [ -z "$uri" ]; then
    uri=$(awk '/^deb / && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

build() {
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$RECIPE" ]; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "building the root needs root (debootstrap, chroot)"
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
  local start mirror_url partial
  start=$(date +%s)
  mirror_url=$(mirror)
  partial=$ROOT.partial
  log "building $ROOT from $mirror_url (once; the stamp file marks it done)"
  rm -rf "$partial" "$ROOT"
  mkdir -p "$(dirname "$ROOT")"
  # In a private mount namespace: whatever debootstrap or a package script mounts (/proc, /sys)
  # is gone when it ends, even if it fails half-way.
  unshare -m --propagation private bash -euo pipefail -c '
    partial=$1 mirror=$2; shift 2
    debootstrap --variant=minbase trixie "$partial" "$mirror" >&2
    cp /etc/hosts "$partial/etc/hosts"
    mount -t proc proc "$partial/proc"
    chroot "$partial" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends "$@" >&2
    chroot "$partial" apt-get clean
    umount "$partial/proc"
  ' trixie-root "$partial" "$mirror_url" "${PACKAGES[@]}"
  echo "$RECIPE" >"$partial/.dqlite-k8s-trixie-root"
  mv "$partial" "$ROOT"
  log "built in $(($(date +%s) - start)) s: $(chroot "$ROOT" dpkg-query -W -f='${Package} ${Version}, ' "${PACKAGES[@]}")"
}

run() {
  local binds=() envs=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --bind) binds+=("$2"); shift 2 ;;
      --env) envs+=("$2"); shift 2 ;;
      --) shift; break ;;
      *) die "run: unknown option $1 (did you forget -- before the command?)" ;;
    esac
  done
  [ $# -gt 0 ] || die "run: no command"
  [ -f "$STAMP" ] || die "no trixie root at $ROOT: run $(basename "$0") build first"
  for b in "${binds[@]}"; do
    [ -e "$b" ] || die "run: --bind $b does not exist"
  done
  exec unshare -m --propagation private bash -euo pipefail -c '
    root=$1 nbinds=$2; shift 2
    binds=("${@:1:$nbinds}"); shift "$nbinds"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
    declare -A fresh=([/tmp]=1)
    for b in "${binds[@]}"; do
      top=/$(echo "$b" | cut -d/ -f2)
      # A missing or empty top-level directory (/work, /home, ...) gets a tmpfs of its own, so
      # the cached root gains at most an empty top-level directory, never the paths below it.
      if [ -z "${fresh[$top]:-}" ] && { [ ! -e "$root$top" ] || [ -z "$(ls -A "$root$top")" ]; }; then
        mkdir -p "$root$top"
        mount -t tmpfs tmpfs "$root$top"
        fresh[$top]=1
      fi
      if [ -d "$b" ]; then mkdir -p "$root$b"; else mkdir -p "$(dirname "$root$b")"; touch "$root$b"; fi
      mount --rbind "$b" "$root$b"
    done
    # The working directory is the fresh /tmp: a JVM crash file (hs_err_pid*.log) lands there,
    # not in the cached root.
    exec chroot "$root" /usr/bin/env -i -C /tmp PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME=/root LANG=C.UTF-8 "$@"
  ' trixie-run "$ROOT" "${#binds[@]}" "${binds[@]}" "${envs[@]}" "$@"
}

case "${1:-build}" in
  -h | --help) usage ;;
  build) build; echo "$ROOT" ;;
  path) echo "$ROOT" ;;
  run) shift; run "$@" ;;
  *) usage >&2; exit 2 ;;
esac
