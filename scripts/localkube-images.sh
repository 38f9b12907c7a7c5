#!/usr/bin/env bash
# Installs, on a localkube host (no container runtime), the image paths that pods name in their
# container commands: /opt/dqlite/bin/dqlite-sidecar, the sidecar image's launcher, which the
# operator sets as the sidecar container's command. The path becomes a symbolic link to
# scripts/localkube/dqlite-sidecar of this checkout. Idempotent; needs write access to /opt.
#
#   scripts/localkube-images.sh install|uninstall|check
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TARGET=$HERE/localkube/dqlite-sidecar
LINK=${LOCALKUBE_SIDECAR_LAUNCHER:-/opt/dqlite/bin/dqlite-sidecar}

log() { echo "localkube-images: $*" >&2; }

case "${1:-}" in
  install)
    if [ "$(readlink "$LINK" 2>/dev/null)" = "$TARGET" ]; then
      exit 0
    fi
    if [ -e "$LINK" ] && [ ! -L "$LINK" ]; then
      log "error: $LINK exists and is not a link made by this script; remove it first"
      exit 1
    fi
    SUDO=$([ -w "$(dirname "$(dirname "$LINK")")" ] || [ "$(id -u)" = 0 ] || echo sudo)
    $SUDO mkdir -p "$(dirname "$LINK")"
    $SUDO ln -sfn "$TARGET" "$LINK"
    log "$LINK -> $TARGET"
    ;;
  uninstall)
    if [ -L "$LINK" ]; then
      SUDO=$([ -w "$(dirname "$LINK")" ] || echo sudo)
      $SUDO rm -f "$LINK"
      log "removed $LINK"
    fi
    ;;
  check)
    [ "$(readlink "$LINK" 2>/dev/null)" = "$TARGET" ]
    ;;
  *)
    echo "usage: $(basename "$0") install|uninstall|check" >&2
    exit 2
    ;;
esac
