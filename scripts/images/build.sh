#!/usr/bin/env bash
# make images: the sidecar and operator images, built with buildah from the Dockerfile, without a
# daemon and without Maven inside the build (docs/packaging.md, "Images without a daemon").
#
#  1. apt packages buildah, debootstrap and runc (when missing);
#  2. the jars, with the host's Maven reactor (skipped when they are newer than their sources);
#  3. the Java runtime, with the host's jlink (the Dockerfile's JAVA_MODULES, checked against
#     jdeps of both jars);
#  4. the base image debian:<suite>-slim (scripts/images/base-image.sh: pulled, or debootstrap'd
#     and cached);
#  5. `buildah bud --target sidecar|operator --build-arg JARS=prebuilt` on a context of the files
#     above, tagged as the chart and the CRD name them (docker.io/dqlite-k8s/…:<version>);
#  6. OCI archives target/images/sidecar.tar and operator.tar (`ctr images import`, `podman load`).
#
# Environment: DEBIAN_SUITE [trixie; bookworm still builds], DEBIAN_MIRROR, MVN [mvn -B -ntp], BUILDAH_RUNTIME
# [/usr/sbin/runc; crun 1.8 refuses cgroup v1 hybrid].
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SUITE=${DEBIAN_SUITE:-trixie}
OUT=$REPO/target/images
CONTEXT=$OUT/context
RUNTIME=${BUILDAH_RUNTIME:-/usr/sbin/runc}
MVN=${MVN:-mvn -B -ntp}
APT_PACKAGES=(buildah debootstrap runc)

log() { echo "images: $*" >&2; }
die() { log "error: $*"; exit 1; }
started=$(date +%s)
step() { log "$* (+$(($(date +%s) - started)) s)"; }

# --- 1. packages ----------------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"ok installed"* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x "$RUNTIME" ] || die "$RUNTIME is missing (BUILDAH_RUNTIME): install Debian's runc"

# The images' names: the chart's appVersion tags the operator, the CRD's default names the sidecar.
version=$(sed -n 's/^appVersion:[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$REPO/helm/dqlite-operator/Chart.yaml")
sidecar_ref=$(sed -n 's/.*DEFAULT_IMAGE = "\([^"]*\)".*/\1/p' \
  "$REPO/operator/src/main/java/io/dqlite/operator/crd/DqliteClusterSpec.java")
operator_repo=$(sed -n 's/^  repository:[[:space:]]*\(\S*\)$/\1/p' "$REPO/helm/dqlite-operator/values.yaml" | head -n 1)
[ -n "$version" ] && [ -n "$sidecar_ref" ] && [ -n "$operator_repo" ] ||
  die "cannot read the image names from Chart.yaml, values.yaml and DqliteClusterSpec.DEFAULT_IMAGE"
# A short name means Docker Hub to the kubelet and containerd: tag the full name they look up.
SIDECAR_IMAGE=docker.io/$sidecar_ref
OPERATOR_IMAGE=docker.io/$operator_repo:$version
[ "${sidecar_ref##*:}" = "$version" ] ||
  die "the CRD's default sidecar image $sidecar_ref and the chart's appVersion $version differ"

# --- 2. jars --------------------------------------------------------------------------------------
SIDECAR_JAR=$REPO/sidecar/target/dqlite-sidecar.jar
OPERATOR_JAR=$REPO/operator/target/dqlite-operator.jar
stale() {
  [ -f "$1" ] || return 0
  [ -n "$(find "$REPO"/{http,client,sidecar,operator}/src/main "$REPO"/{http,client,sidecar,operator}/pom.xml \
    "$REPO/pom.xml" -newer "$1" -print -quit)" ]
}
if stale "$SIDECAR_JAR" || stale "$OPERATOR_JAR"; then
  step "packaging the jars (Maven reactor: -pl sidecar,operator -am package -DskipTests)"
  (cd "$REPO" && $MVN -q -pl sidecar,operator -am package -DskipTests)
else
  step "jars are newer than their sources"
fi

# --- 3. Java runtime ------------------------------------------------------------------------------
modules=$(sed -n 's/^ARG JAVA_MODULES=\(.*\)$/\1/p' "$REPO/Dockerfile")
[ -n "$modules" ] || die "the Dockerfile declares no ARG JAVA_MODULES=…"
# jdeps reads every class of both jars (a minute on a busy machine): only for jars it has not seen.
if [ ! -f "$OUT/jdeps.ok" ] || [ "$SIDECAR_JAR" -nt "$OUT/jdeps.ok" ] || [ "$OPERATOR_JAR" -nt "$OUT/jdeps.ok" ] ||
  [ "$(cat "$OUT/jdeps.ok")" != "$modules" ]; then
  step "jdeps: the Java modules both jars need"
  for jar in "$SIDECAR_JAR" "$OPERATOR_JAR"; do
    needed=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$jar" 2>/dev/null | tail -n 1)
    [ -n "$needed" ] || die "jdeps found no module dependencies in $jar"
    for m in ${needed//,/ }; do
      [[ ",$modules," == *",$m,"* ]] ||
        die "$(basename "$jar") needs Java module $m (jdeps), which the Dockerfile's JAVA_MODULES lacks: add it there"
    done
  done
  mkdir -p "$OUT"
  echo "$modules" >"$OUT/jdeps.ok"
fi
JRE=$CONTEXT/prebuilt/jre
stamp="$modules $(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.runtime.version = //p')"
if [ "$(cat "$OUT/jre.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -x "$JRE/bin/java" ]; then
  step "jlink: $modules"
  rm -rf "$JRE"
  mkdir -p "$(dirname "$JRE")"
  # The Dockerfile's build-maven stage runs the same jlink (DockerfileTest compares the flags).
  jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive --output "$JRE" >/dev/null
  echo "$stamp" >"$OUT/jre.stamp"
else
  step "Java runtime up to date ($(du -sm "$JRE" | cut -f1) MB)"
fi

# --- 4. base image --------------------------------------------------------------------------------
step "base image debian:$SUITE-slim"
bash "$HERE/base-image.sh" "$SUITE"

# --- 5. build -------------------------------------------------------------------------------------
# The context holds exactly what the prebuilt path copies: hard links, so nothing is duplicated.
mkdir -p "$CONTEXT/prebuilt/sidecar/target" "$CONTEXT/prebuilt/operator/target" \
  "$CONTEXT/sidecar/src/main/dist/bin"
ln -f "$SIDECAR_JAR" "$CONTEXT/prebuilt/sidecar/target/dqlite-sidecar.jar"
ln -f "$OPERATOR_JAR" "$CONTEXT/prebuilt/operator/target/dqlite-operator.jar"
cp -p "$REPO/sidecar/src/main/dist/bin/dqlite-sidecar" "$CONTEXT/sidecar/src/main/dist/bin/"

revision=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
bud() {
  local target=$1 image=$2
  step "buildah bud --target $target -t $image"
  buildah bud --runtime "$RUNTIME" --network host --pull=never --layers --quiet \
    --build-arg JARS=prebuilt --build-arg DEBIAN_IMAGE="debian:$SUITE-slim" \
    --build-arg VERSION="$version" --build-arg REVISION="$revision" \
    --target "$target" -t "$image" -f "$REPO/Dockerfile" "$CONTEXT" >/dev/null
}
bud sidecar "$SIDECAR_IMAGE"
bud operator "$OPERATOR_IMAGE"

# --- 6. archives ----------------------------------------------------------------------------------
# Only an image that changed is written again (half a minute each on a busy machine).
for pair in "sidecar $SIDECAR_IMAGE" "operator $OPERATOR_IMAGE"; do
  set -- $pair
  id=$(buildah inspect --type image --format '{{.FromImageID}}' "$2")
  if [ -f "$OUT/$1.tar" ] && [ "$(cat "$OUT/$1.id" 2>/dev/null)" = "$id" ]; then continue; fi
  step "exporting $OUT/$1.tar"
  rm -f "$OUT/$1.tar" "$OUT/$1.id"
  buildah push --quiet "$2" "oci-archive:$OUT/$1.tar:$2" >/dev/null
  echo "$id" >"$OUT/$1.id"
done
echo "$SUITE" >"$OUT/suite"
step "done"
buildah images --format '{{.Name}}:{{.Tag}}  {{.Size}}' | grep -E "dqlite-k8s|debian" >&2 || true
ls -l "$OUT"/*.tar >&2
