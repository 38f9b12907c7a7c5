#!/usr/bin/env bash
# Runs JdbcExample.java against a throwaway 3-node cluster of go-dqlite's dqlite-demo on loopback.
# Needs: the client module built (make build) and go-dqlite's tools (make deps).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
host=${EXAMPLE_HOST:-127.0.11.1}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

jar=$(ls "$root"/client/target/dqlite-client-*.jar 2>/dev/null | grep -v -e tests -e sources | head -1 || true)
[ -n "$jar" ] || { echo "client jar missing: run 'make build' first" >&2; exit 1; }
(cd "$root" && mvn -B -q -o -pl client dependency:build-classpath -DincludeScope=runtime -Dstyle.color=never \
  -Dmdep.outputFile="$work/classpath" >/dev/null)
cp=$(cat "$work/classpath")

join=()
for i in 1 2 3; do
  dqlite-demo -a "$host:1800$i" -d "$host:1900$i" -D "$work/n$i" "${join[@]}" >"$work/n$i.log" 2>&1 &
  pids+=($!)
  join=(-j "$host:19001")
done

# The driver searches the listed nodes for the leader, retrying until its leaderTimeout.
java -cp "$jar:$cp" "$root/examples/jdbc/JdbcExample.java" \
  "jdbc:dqlite://$host:19001,$host:19002,$host:19003/app?leaderTimeout=60000"
