package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.Measurements;
import io.dqlite.e2e.support.ProcessResult;
import io.dqlite.e2e.support.RepoPaths;
import io.dqlite.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart as a user installs it, with its default values: `helm install --wait` runs the operator
 * as a pod (image dqlite-k8s/operator, mapped by localkube/images.yaml to the shaded jar) with its
 * own ServiceAccount and RBAC; the pod leads (its Lease is renewed); `helm upgrade` with a changed
 * value replaces the pod, and the new one leads; it reconciles a DqliteCluster, and `helm
 * uninstall` removes everything the chart made except the CRD. The suite's local operator is
 * stopped meanwhile, so only the pod reconciles. {@link HelmChartDemoValuesE2E} does the same
 * without leader election, as `make demo` installs it.
 */
@ExtendWith(E2eExtension.class)
class HelmChartE2E {

  static final String RELEASE = "dqlite-operator";

  /** Default values: leader election on, so the pod must hold and renew its Lease. */
  @Test
  void installUpgradeAndUninstallWithDefaultValues(E2eEnvironment env, TestNamespace ns)
      throws Exception {
    installUpgradeReconcileUninstall(env, ns, true);
  }

  static void installUpgradeReconcileUninstall(
      E2eEnvironment env, TestNamespace ns, boolean leaderElection) throws Exception {
    // The chart's operator pod listens on its pod IP's port 8080 (localkube/images.yaml) and
    // pods share this machine's network: a process listening on the wildcard address's 8080
    // (outside this suite) would take that port on every pod IP and make the pod crash-loop.
    assumeThat(portFreeOnEveryAddress(8080))
        .as(
            "port 8080 is free on every address (a process"
                + " listening on 0.0.0.0:8080 would keep the chart's operator pod from listening)")
        .isTrue();
    KubernetesClient client = env.client();
    long tStop = System.nanoTime();
    env.operator().stop();
    Measurements.record(
        "suite's operator process stopped (SIGTERM -> exit)",
        Duration.ofNanos(System.nanoTime() - tStop));
    boolean installed = false;
    try {
      long t0 = System.nanoTime();
      List<String> install =
          new ArrayList<>(
              List.of(
                  "install",
                  RELEASE,
                  RepoPaths.chart().toString(),
                  "--namespace",
                  ns.name(),
                  "--wait",
                  "--timeout",
                  "4m"));
      if (!leaderElection) {
        install.addAll(List.of("--set", "leaderElection.enabled=false"));
      }
      ProcessResult installed0 = helm(env, install.toArray(String[]::new));
      System.out.println("E2E helm install:\n" + installed0.output());
      assertThat(installed0.exitCode())
          .as("helm install exit code; output:\n%s", installed0.output())
          .isZero();
      installed = true;
      Measurements.record(
          "helm install --wait (operator pod Ready), leader election " + leaderElection,
          Duration.ofNanos(System.nanoTime() - t0));

      String firstPod = operatorPod(client, ns.name()).getMetadata().getName();
      if (leaderElection) {
        awaitLeaseRenewedBy(client, ns.name(), firstPod);
      }

      // An upgrade that changes the pod template replaces the pod (RollingUpdate with leader
      // election: the new pod starts beside the old one; Recreate without).
      long t1 = System.nanoTime();
      ProcessResult upgraded =
          helm(
              env,
              "upgrade",
              RELEASE,
              RepoPaths.chart().toString(),
              "--namespace",
              ns.name(),
              "--reuse-values",
              "--set",
              "logFormat=json",
              "--wait",
              "--timeout",
              "4m");
      assertThat(upgraded.exitCode())
          .as("helm upgrade exit code; output:\n%s", upgraded.output())
          .isZero();
      Awaitility.await("one operator pod, not " + firstPod + ", with LOG_FORMAT=json, Ready")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                List<Pod> pods = operatorPods(client, ns.name());
                return pods.size() == 1
                    && !pods.get(0).getMetadata().getName().equals(firstPod)
                    && DqliteClusters.podReady(pods.get(0))
                    && pods.get(0).getSpec().getContainers().get(0).getEnv().stream()
                        .anyMatch(
                            e -> e.getName().equals("LOG_FORMAT") && "json".equals(e.getValue()));
              });
      Measurements.record(
          "helm upgrade --wait (operator pod replaced), leader election " + leaderElection,
          Duration.ofNanos(System.nanoTime() - t1));
      ProcessResult history = helm(env, "history", RELEASE, "--namespace", ns.name());
      assertThat(history.output())
          .as("helm history")
          .contains("Install complete")
          .contains("Upgrade complete");
      String podName = operatorPod(client, ns.name()).getMetadata().getName();
      if (leaderElection) {
        awaitLeaseRenewedBy(client, ns.name(), podName);
      }

      // The pod reconciles: a DqliteCluster gets its StatefulSet.
      long t2 = System.nanoTime();
      DqliteClusters.create(client, ns.name(), Specs.minimal("charted", 1));
      Awaitility.await("StatefulSet of a DqliteCluster created by the chart's operator")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  client.apps().statefulSets().inNamespace(ns.name()).withName("charted").get()
                      != null);
      DqliteClusters.resource(client, ns.name(), "charted").delete();
      Awaitility.await("DqliteCluster deleted (finalizer handled by the chart's operator)")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> DqliteClusters.get(client, ns.name(), "charted") == null);
      Measurements.record(
          "chart's operator: DqliteCluster -> StatefulSet, then deleted, leader"
              + " election "
              + leaderElection,
          Duration.ofNanos(System.nanoTime() - t2));
      Pod now = client.pods().inNamespace(ns.name()).withName(podName).get();
      assertThat(now.getStatus().getContainerStatuses().get(0).getRestartCount())
          .as("restarts of the operator pod")
          .isZero();

      List<String> before = chartObjects(client, ns.name());
      System.out.println("E2E chart objects: " + before);
      assertThat(before)
          .as("objects of the release")
          .anyMatch(o -> o.startsWith("Deployment/"))
          .anyMatch(o -> o.startsWith("ClusterRole/"));
      long t3 = System.nanoTime();
      ProcessResult uninstall =
          helm(env, "uninstall", RELEASE, "--namespace", ns.name(), "--wait", "--timeout", "3m");
      assertThat(uninstall.exitCode())
          .as("helm uninstall; output:\n%s", uninstall.output())
          .isZero();
      installed = false;
      Awaitility.await("everything the chart made is gone")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertThat(chartObjects(client, ns.name())).isEmpty());
      Measurements.record(
          "helm uninstall --wait (every object gone), leader election " + leaderElection,
          Duration.ofNanos(System.nanoTime() - t3));
      assertThat(
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("dqliteclusters.dqlite.io")
                  .get())
          .as("the CRD (Helm never deletes crds/)")
          .isNotNull();
    } finally {
      if (installed) {
        helm(env, "uninstall", RELEASE, "--namespace", ns.name(), "--wait", "--timeout", "2m");
      }
      // The agent removes a pod from the API once its processes have exited.
      try {
        Awaitility.await("operator pod gone")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    client
                        .pods()
                        .inNamespace(ns.name())
                        .withLabel("app.kubernetes.io/name", "dqlite-operator")
                        .list()
                        .getItems()
                        .isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException stillThere) {
        System.out.println("E2E cleanup: the chart's operator pod is still there after 2 min");
      }
      long tStart = System.nanoTime();
      env.operator().start();
      env.operator().awaitReady(Duration.ofMinutes(2));
      Measurements.record(
          "suite's operator process restarted and ready",
          Duration.ofNanos(System.nanoTime() - tStart));
    }
  }

  private static List<Pod> operatorPods(KubernetesClient client, String ns) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/name", "dqlite-operator")
        .list()
        .getItems();
  }

  private static Pod operatorPod(KubernetesClient client, String ns) {
    List<Pod> pods = operatorPods(client, ns);
    assertThat(pods).as("operator pods of the release").hasSize(1);
    return pods.get(0);
  }

  /** Leader election with the chart's RBAC: {@code podName} holds the Lease and renews it. */
  private static void awaitLeaseRenewedBy(KubernetesClient client, String ns, String podName) {
    AtomicReference<ZonedDateTime> firstRenew = new AtomicReference<>();
    Awaitility.await("Lease dqlite-operator held by " + podName + " and renewed")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Lease lease = client.leases().inNamespace(ns).withName("dqlite-operator").get();
              if (lease == null
                  || !podName.equals(lease.getSpec().getHolderIdentity())
                  || lease.getSpec().getRenewTime() == null) {
                return false;
              }
              firstRenew.compareAndSet(null, lease.getSpec().getRenewTime());
              return lease.getSpec().getRenewTime().isAfter(firstRenew.get());
            });
  }

  /** Objects labelled as the release's, namespaced and cluster-scoped. */
  private static List<String> chartObjects(KubernetesClient client, String ns) {
    String label = "app.kubernetes.io/instance";
    List<String> found = new ArrayList<>();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withLabel(label, RELEASE)
        .list()
        .getItems()
        .forEach(o -> found.add("Deployment/" + o.getMetadata().getName()));
    client
        .serviceAccounts()
        .inNamespace(ns)
        .withLabel(label, RELEASE)
        .list()
        .getItems()
        .forEach(o -> found.add("ServiceAccount/" + o.getMetadata().getName()));
    client
        .services()
        .inNamespace(ns)
        .withLabel(label, RELEASE)
        .list()
        .getItems()
        .forEach(o -> found.add("Service/" + o.getMetadata().getName()));
    client
        .rbac()
        .roles()
        .inNamespace(ns)
        .withLabel(label, RELEASE)
        .list()
        .getItems()
        .forEach(o -> found.add("Role/" + o.getMetadata().getName()));
    client
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .withLabel(label, RELEASE)
        .list()
        .getItems()
        .forEach(o -> found.add("RoleBinding/" + o.getMetadata().getName()));
    client
        .rbac()
        .clusterRoles()
        .withLabel(label, RELEASE)
        .list()
        .getItems()
        .forEach(o -> found.add("ClusterRole/" + o.getMetadata().getName()));
    client
        .rbac()
        .clusterRoleBindings()
        .withLabel(label, RELEASE)
        .list()
        .getItems()
        .forEach(o -> found.add("ClusterRoleBinding/" + o.getMetadata().getName()));
    client
        .pods()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/name", "dqlite-operator")
        .list()
        .getItems()
        .forEach(o -> found.add("Pod/" + o.getMetadata().getName()));
    return found;
  }

  private static ProcessResult helm(E2eEnvironment env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(env.binDir().resolve("helm").toString());
    cmd.addAll(List.of(args));
    cmd.add("--kubeconfig");
    cmd.add(env.kubeconfig().toString());
    return ProcessResult.run(Duration.ofMinutes(5), cmd, null);
  }

  /** No wildcard listener holds {@code port}: it binds on an address no pod is given. */
  private static boolean portFreeOnEveryAddress(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.254", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
