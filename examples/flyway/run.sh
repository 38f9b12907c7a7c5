#!/usr/bin/env bash
# Runs examples/flyway against a throwaway local 3-node cluster: see ../run.sh.
exec bash "$(dirname "$0")/../run.sh" flyway
