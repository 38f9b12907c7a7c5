#!/usr/bin/env bash
# Runs examples/spring against a throwaway local 3-node cluster: see ../run.sh.
exec bash "$(dirname "$0")/../run.sh" spring
