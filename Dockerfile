# syntax=docker/dockerfile:1.7
#
# The two images of dqlite for Kubernetes, built from this repository (BuildKit):
#
#   docker build --target sidecar  -t dqlite-k8s/sidecar:0.1.0  .
#   docker build --target operator -t dqlite-k8s/operator:0.1.0 .
#
# Both run as the fixed non-root uid/gid 10001 on a read-only root filesystem (the pod mounts an
# emptyDir at /tmp), on Debian trixie-slim (libdqlite0 1.18.1) with a Java runtime jlink'd from
# Debian's JDK. Debian bookworm (libdqlite0 1.11.1) still builds:
#   --build-arg DEBIAN_IMAGE=debian:bookworm-slim --build-arg JDK_PACKAGE=openjdk-17-jdk-headless
# `make images` builds the same targets with buildah and prebuilt jars (--build-arg JARS=prebuilt). No HEALTHCHECK: Kubernetes
# ignores it and probes the containers itself (operator :8080 and sidecar :8081, /livez and /readyz),
# as the Helm chart and the operator's StatefulSets declare. See docs/packaging.md.

ARG DEBIAN_IMAGE=debian:trixie-slim
# Where the jars and the Java runtime come from: `maven` builds them in the stage below (what
# `docker build` does); `prebuilt` takes them from the context's prebuilt/ directory, where
# `make images` (scripts/images/build.sh) puts the jars the host's Maven reactor packaged and the
# runtime the host's jlink made, so that the image build runs no Maven and needs no network but
# Debian's archive.
ARG JARS=maven
# The Java modules of the runtime (jlink): `jdeps --print-module-deps` of both shaded jars (make
# images checks that it names nothing else), plus jdk.crypto.ec, which TLS with EC keys loads as
# a service and jdeps cannot see.
ARG JAVA_MODULES=java.base,java.compiler,java.desktop,java.net.http,java.sql.rowset,jdk.management,jdk.net,jdk.unsupported,jdk.crypto.ec

# ---------------------------------------------------------------------------------------------
# build-maven: the Maven reactor, for the sidecar and the operator and what they depend on, and
# a jlink'd Java runtime. The local repository is a BuildKit cache mount, so dependencies are
# downloaded once, not on every change.
# ---------------------------------------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS build-maven

# The JDK of the suite (bookworm: openjdk-17-jdk-headless; trixie has no JDK 17). The jars target
# Java 17 either way.
ARG JDK_PACKAGE=openjdk-21-jdk-headless
# Versions come from the suite's archive, which the base image tag pins; pinning each package
# would break the build at every Debian point release without making it more reproducible.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ${JDK_PACKAGE} maven \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /build
# Only what the reactor needs (.dockerignore keeps targets, tests and everything else out).
COPY . .
# Tests run outside the image build (`make test`): they need libdqlite, go-dqlite and real nodes.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl sidecar,operator -am package -DskipTests
ARG JAVA_MODULES
RUN jlink --add-modules "${JAVA_MODULES}" --strip-debug --no-header-files --no-man-pages \
      --compress=2 --generate-cds-archive --output /build/jre

# ---------------------------------------------------------------------------------------------
# build-prebuilt: the same files, built on the host by `make images`.
# ---------------------------------------------------------------------------------------------
FROM scratch AS build-prebuilt
COPY prebuilt/ /build/

# build: /build/sidecar/target/dqlite-sidecar.jar, /build/operator/target/dqlite-operator.jar and
# the Java runtime /build/jre, from one of the two stages above (only that one is built).
# A stage of this file, not an image: there is no tag to pin.
# hadolint ignore=DL3006
FROM build-${JARS} AS build

# ---------------------------------------------------------------------------------------------
# runtime: what both images share: the jlink'd Java runtime and the unprivileged user. No JDK,
# no Debian JRE (its desktop and tool libraries would double the image), no build tool.
# ---------------------------------------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS runtime

ARG VERSION=0.1.0
ARG REVISION=unknown
ARG DEBIAN_IMAGE
LABEL org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.vendor="dqlite for Kubernetes" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.url="https://dqlite.io" \
      org.opencontainers.image.base.name="${DEBIAN_IMAGE}"

COPY --from=build /build/jre /opt/java
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN groupadd --system --gid 10001 dqlite \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin dqlite \
 && java -Xshare:auto -version

# ---------------------------------------------------------------------------------------------
# sidecar: one dqlite node per pod, libdqlite (Debian's libdqlite0) through JNA.
# ---------------------------------------------------------------------------------------------
FROM runtime AS sidecar

LABEL org.opencontainers.image.title="dqlite-sidecar" \
      org.opencontainers.image.description="dqlite node daemon (go-dqlite's app in Java on libdqlite): app socket @dqlite, raft :9001, admin :8081"

# libdqlite0 puts libdqlite.so.0 in /usr/lib/<triplet>/, on the loader's standard path, where JNA
# finds it by soname: no jna.library.path, no LD_LIBRARY_PATH. Pinned by the base image tag.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libdqlite0 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/dqlite \
 && chown 10001:10001 /var/lib/dqlite

COPY --from=build /build/sidecar/target/dqlite-sidecar.jar /opt/dqlite/dqlite-sidecar.jar
COPY --chmod=0755 sidecar/src/main/dist/bin/dqlite-sidecar /opt/dqlite/bin/dqlite-sidecar

# The launcher picks the JVM flags (a small heap: libdqlite's memory is native); JAVA_OPTS replaces
# them. JNA unpacks its native stub into java.io.tmpdir, the /tmp emptyDir.
ENV DQLITE_HOME=/opt/dqlite

USER 10001:10001
WORKDIR /var/lib/dqlite
# raft (dqlite protocol) and admin HTTP (/livez /readyz /metrics /cluster, POST /handover).
EXPOSE 9001 8081
ENTRYPOINT ["/opt/dqlite/bin/dqlite-sidecar"]
CMD ["run"]

# ---------------------------------------------------------------------------------------------
# operator: reconciles DqliteClusters (java-operator-sdk).
# ---------------------------------------------------------------------------------------------
FROM runtime AS operator

LABEL org.opencontainers.image.title="dqlite-operator" \
      org.opencontainers.image.description="Kubernetes operator for dqlite clusters (DqliteCluster, dqlite.io/v1alpha1)"

COPY --from=build /build/operator/target/dqlite-operator.jar /opt/dqlite-operator/dqlite-operator.jar

USER 10001:10001
WORKDIR /opt/dqlite-operator
# Health (/livez /readyz) and /metrics.
EXPOSE 8080
# Extra JVM options through JDK_JAVA_OPTIONS, which the java launcher reads itself.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/dqlite-operator/dqlite-operator.jar"]
