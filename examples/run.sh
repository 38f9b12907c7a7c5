#!/usr/bin/env bash
# Runs one framework example (hibernate, jooq, spring, flyway) against a throwaway 3-node cluster of
# go-dqlite's dqlite-demo on loopback: bash examples/run.sh hibernate
# Needs: Maven's cache filled once (make build) and go-dqlite's tools (make deps).
set -euo pipefail
name=${1:?usage: run.sh hibernate|jooq|spring|flyway}
case "$name" in
  hibernate) main=example.hibernate.HibernateExample ;;
  jooq) main=example.jooq.JooqExample ;;
  spring) main=example.spring.SpringExample ;;
  flyway) main=example.flyway.FlywayExample ;;
  *) echo "unknown example: $name (hibernate, jooq, spring, flyway)" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
host=${EXAMPLE_HOST:-127.0.22.1}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Package the examples with the modules they use (client, flyway) and write their class path; the
# examples module comes last in the reactor, so the file ends up holding its class path.
(cd "$root" && mvn -B -q -o -pl examples -am package dependency:build-classpath -Dmaven.test.skip=true \
  -DincludeScope=runtime -Dstyle.color=never -Dmdep.outputFile="$work/classpath" >/dev/null)
classes="$root/examples/target/classes"
cp=$(cat "$work/classpath")

join=()
for i in 1 2 3; do
  dqlite-demo -a "$host:1800$i" -d "$host:1900$i" -D "$work/n$i" "${join[@]}" >"$work/n$i.log" 2>&1 &
  pids+=($!)
  join=(-j "$host:19001")
done

# The driver searches the listed nodes for the leader, retrying until its leaderTimeout.
java -cp "$classes:$cp" "$main" "jdbc:dqlite://$host:19001,$host:19002,$host:19003/app?leaderTimeout=60000"
