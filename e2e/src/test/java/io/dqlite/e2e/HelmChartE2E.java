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
 * The chart as a user installs it, with its default values: `helm install --wait` runs the
 * operator as a pod (image dqlite-k8s/operator, mapped by localkube/images.yaml to the shaded
 * jar) with its own ServiceAccount and RBAC; the pod leads (its Lease is renewed), reconciles a
 * DqliteCluster, and `helm uninstall` removes everything the chart made except the CRD. The
 * suite's local operator is stopped meanwhile, so only the pod reconciles. {@link
 * HelmChartDemoValuesE2E} does the same without leader election, as `make demo` installs it.
 */
@ExtendWith(E2eExtension.class)
class HelmChartE2E {

  static final String RELEASE = "dqlite-operator";

  /** Default values: leader election on, so the pod must hold and renew its Lease. */
  @Test
  void helmInstallWithDefaultValuesRunsTheOperatorPodAndHelmUninstallRemovesIt(
      E2eEnvironment env, TestNamespace ns) throws Exception {
    installReconcileUninstall(env, ns, true);
  }

  static void installReconcileUninstall(E2eEnvironment env, TestNamespace ns,
      boolean leaderElection) throws Exception {
    // The chart's operator pod listens on 0.0.0.0:8080 and pods share this machine's network
    // here: another process holding 8080 (a previous operator pod still stopping, a demo) would
    // make it crash-loop.
    try {
      Awaitility.await("port 8080 free").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).until(() -> portFree(8080));
    } catch (org.awaitility.core.ConditionTimeoutException busy) {
      assumeThat(false).as("another process holds port 8080, where the chart's operator pod"
          + " must listen").isTrue();
    }
    KubernetesClient client = env.client();
    env.operator().stop();
    boolean installed = false;
    try {
      long t0 = System.nanoTime();
      List<String> install = new ArrayList<>(List.of("install", RELEASE,
          RepoPaths.chart().toString(), "--namespace", ns.name(), "--wait", "--timeout", "4m"));
      if (!leaderElection) {
        install.addAll(List.of("--set", "leaderElection.enabled=false"));
      }
      ProcessResult installed0 = helm(env, install.toArray(String[]::new));
      System.out.println("E2E helm install:\n" + installed0.output());
      assertThat(installed0.exitCode()).as("helm install exit code; output:\n%s",
          installed0.output()).isZero();
      installed = true;
      Measurements.record("helm install --wait (operator pod Ready), leader election "
          + leaderElection, Duration.ofNanos(System.nanoTime() - t0));

      Pod operatorPod = client.pods().inNamespace(ns.name())
          .withLabel("app.kubernetes.io/name", "dqlite-operator").list().getItems().get(0);
      String podName = operatorPod.getMetadata().getName();

      if (leaderElection) {
        // Leader election with the chart's RBAC: the pod holds the Lease and renews it.
        AtomicReference<ZonedDateTime> firstRenew = new AtomicReference<>();
        Awaitility.await("Lease dqlite-operator held by " + podName + " and renewed")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> {
              Lease lease =
                  client.leases().inNamespace(ns.name()).withName("dqlite-operator").get();
              if (lease == null || !podName.equals(lease.getSpec().getHolderIdentity())
                  || lease.getSpec().getRenewTime() == null) {
                return false;
              }
              firstRenew.compareAndSet(null, lease.getSpec().getRenewTime());
              return lease.getSpec().getRenewTime().isAfter(firstRenew.get());
            });
      }

      // The pod reconciles: a DqliteCluster gets its StatefulSet.
      DqliteClusters.create(client, ns.name(), Specs.minimal("charted", 1));
      Awaitility.await("StatefulSet of a DqliteCluster created by the chart's operator")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> client.apps().statefulSets().inNamespace(ns.name()).withName("charted")
              .get() != null);
      DqliteClusters.resource(client, ns.name(), "charted").delete();
      Awaitility.await("DqliteCluster deleted (finalizer handled by the chart's operator)")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> DqliteClusters.get(client, ns.name(), "charted") == null);
      Pod now = client.pods().inNamespace(ns.name()).withName(podName).get();
      assertThat(now.getStatus().getContainerStatuses().get(0).getRestartCount())
          .as("restarts of the operator pod").isZero();

      List<String> before = chartObjects(client, ns.name());
      System.out.println("E2E chart objects: " + before);
      assertThat(before).as("objects of the release").anyMatch(o -> o.startsWith("Deployment/"))
          .anyMatch(o -> o.startsWith("ClusterRole/"));
      ProcessResult uninstall = helm(env, "uninstall", RELEASE, "--namespace", ns.name(),
          "--wait", "--timeout", "3m");
      assertThat(uninstall.exitCode()).as("helm uninstall; output:\n%s", uninstall.output())
          .isZero();
      installed = false;
      Awaitility.await("everything the chart made is gone")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertThat(chartObjects(client, ns.name())).isEmpty());
      assertThat(client.apiextensions().v1().customResourceDefinitions()
          .withName("dqliteclusters.dqlite.io").get()).as("the CRD (Helm never deletes crds/)")
          .isNotNull();
    } finally {
      if (installed) {
        helm(env, "uninstall", RELEASE, "--namespace", ns.name(), "--wait", "--timeout", "2m");
      }
      // The agent removes a pod from the API once its processes have exited.
      try {
        Awaitility.await("operator pod gone").atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> client.pods().inNamespace(ns.name())
                .withLabel("app.kubernetes.io/name", "dqlite-operator").list().getItems()
                .isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException stillThere) {
        System.out.println("E2E cleanup: the chart's operator pod is still there after 2 min");
      }
      env.operator().start();
      env.operator().awaitReady(Duration.ofMinutes(2));
    }
  }

  /** Objects labelled as the release's, namespaced and cluster-scoped. */
  private static List<String> chartObjects(KubernetesClient client, String ns) {
    String label = "app.kubernetes.io/instance";
    List<String> found = new ArrayList<>();
    client.apps().deployments().inNamespace(ns).withLabel(label, RELEASE).list().getItems()
        .forEach(o -> found.add("Deployment/" + o.getMetadata().getName()));
    client.serviceAccounts().inNamespace(ns).withLabel(label, RELEASE).list().getItems()
        .forEach(o -> found.add("ServiceAccount/" + o.getMetadata().getName()));
    client.services().inNamespace(ns).withLabel(label, RELEASE).list().getItems()
        .forEach(o -> found.add("Service/" + o.getMetadata().getName()));
    client.rbac().roles().inNamespace(ns).withLabel(label, RELEASE).list().getItems()
        .forEach(o -> found.add("Role/" + o.getMetadata().getName()));
    client.rbac().roleBindings().inNamespace(ns).withLabel(label, RELEASE).list().getItems()
        .forEach(o -> found.add("RoleBinding/" + o.getMetadata().getName()));
    client.rbac().clusterRoles().withLabel(label, RELEASE).list().getItems()
        .forEach(o -> found.add("ClusterRole/" + o.getMetadata().getName()));
    client.rbac().clusterRoleBindings().withLabel(label, RELEASE).list().getItems()
        .forEach(o -> found.add("ClusterRoleBinding/" + o.getMetadata().getName()));
    client.pods().inNamespace(ns).withLabel("app.kubernetes.io/name", "dqlite-operator").list()
        .getItems().forEach(o -> found.add("Pod/" + o.getMetadata().getName()));
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

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
