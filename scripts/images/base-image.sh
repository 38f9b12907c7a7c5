#!/usr/bin/env bash
# The Debian base image of the project's images (debian:<suite>-slim) in buildah's local storage,
# without a daemon: pulled when a registry serves it, else made with debootstrap from the Debian
# mirror apt uses and cached as a tarball, so that a later machine state only imports it.
#
#   scripts/images/base-image.sh [SUITE]     SUITE defaults to $DEBIAN_SUITE, else bookworm
#
# Environment: DEBIAN_MIRROR (default: the first Debian archive in apt's sources, else
# http://deb.debian.org/debian), DEBIAN_SECURITY_MIRROR, IMAGES_CACHE (default
# ${XDG_CACHE_HOME:-~/.cache}/dqlite-k8s/images), BASE_PULL=0 to skip the registry attempt.
set -euo pipefail

SUITE=${1:-${DEBIAN_SUITE:-bookworm}}
CACHE=${IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dqlite-k8s/images}
IMAGE=docker.io/library/debian:$SUITE-slim
TARBALL=$CACHE/debian-$SUITE-minbase.tar
# Bump when the slimming below changes, so that cached tarballs are rebuilt.
RECIPE=2
# Bump when the import (the apt configuration added on top of the tarball) changes.
IMPORT=2

log() { echo "base-image: $*" >&2; }
die() { log "error: $*"; exit 1; }

# apt_mirror: the Debian archive this machine's apt uses (deb822 or one-line sources).
apt_mirror() {
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    sed -n 's#^URIs:[[:space:]]*\(\S*/debian\)/\{0,1\}$#\1#p' | head -n 1)
  [ -n "$m" ] || m=$(sed -n 's#^deb[[:space:]]\+\(\S*/debian\)/\{0,1\}[[:space:]].*#\1#p' \
    /etc/apt/sources.list 2>/dev/null | head -n 1)
  echo "${m:-http://deb.debian.org/debian}"
}

if buildah inspect --type image "$IMAGE" >/dev/null 2>&1; then
  if [ "$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "io.dqlite-k8s.base.import"}}' "$IMAGE" 2>/dev/null)" != "$IMPORT" ] &&
    [ -f "$TARBALL" ]; then
    log "$IMAGE was imported by an older recipe: importing it again"
  else
    log "$IMAGE present"
    exit 0
  fi
fi

mkdir -p "$CACHE"
exec 8>"$CACHE/.debootstrap.lock"
flock 8

if [ "${BASE_PULL:-1}" = 1 ] && ! buildah inspect --type image "$IMAGE" >/dev/null 2>&1 &&
  timeout 60 buildah pull --policy always --quiet "$IMAGE" >/dev/null 2>&1; then
  log "pulled $IMAGE"
  exit 0
fi

if [ ! -f "$TARBALL" ] || [ "$(cat "$TARBALL.recipe" 2>/dev/null)" != "$RECIPE" ]; then
  mirror=${DEBIAN_MIRROR:-$(apt_mirror)}
  security=${DEBIAN_SECURITY_MIRROR:-${mirror%/debian}/debian-security}
  rootfs=$CACHE/rootfs-$SUITE
  log "no registry serves $IMAGE: debootstrap --variant=minbase $SUITE from $mirror (about a minute)"
  rm -rf "$rootfs"
  started=$(date +%s)
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" >"$CACHE/debootstrap-$SUITE.log" 2>&1 ||
    { tail -n 20 "$CACHE/debootstrap-$SUITE.log" >&2; die "debootstrap failed; log: $CACHE/debootstrap-$SUITE.log"; }
  # As Docker's debian:*-slim: the suite with its updates and security archives; dpkg leaves
  # documentation, manuals and translations out of every later install. The man1..man8
  # directories stay (empty): some maintainer scripts (openjdk's update-alternatives of java.1.gz)
  # fail without them.
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security $SUITE-security main
SOURCES
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
DPKG
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/groff/* \
    "$rootfs"/usr/share/lintian/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  for n in 1 2 3 4 5 6 7 8; do mkdir -p "$rootfs/usr/share/man/man$n"; done
  : >"$rootfs/etc/resolv.conf"
  : >"$rootfs/etc/hostname"
  tar --numeric-owner -C "$rootfs" -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  echo "$RECIPE" >"$TARBALL.recipe"
  rm -rf "$rootfs"
  log "cached $TARBALL ($(du -m "$TARBALL" | cut -f1) MB, $(($(date +%s) - started)) s)"
fi

ctr=$(buildah from --quiet scratch)
conf=$(mktemp -d)
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true; rm -rf "$conf"' EXIT
buildah add --quiet "$ctr" "$TARBALL" / >/dev/null
# As Docker's slim images: apt keeps no downloaded packages and no binary caches (78 MB after one
# apt-get install), and fetches no translations.
cat >"$conf/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
echo 'Acquire::Languages "none";' >"$conf/docker-no-languages"
buildah copy --quiet "$ctr" "$conf/docker-clean" "$conf/docker-no-languages" /etc/apt/apt.conf.d/ >/dev/null
buildah config --cmd '["bash"]' --label io.dqlite-k8s.base.import="$IMPORT" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --label org.opencontainers.image.description="debian $SUITE minbase (debootstrap)" "$ctr"
buildah commit --quiet --rm "$ctr" "$IMAGE" >/dev/null
trap - EXIT
log "imported $IMAGE from $TARBALL"
