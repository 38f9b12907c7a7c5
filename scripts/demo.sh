#!/usr/bin/env bash
# The local demo. Today: a 3-node dqlite cluster of the project's own nodes on loopback.
set -euo pipefail
echo "demo: not yet assembled; see README"
