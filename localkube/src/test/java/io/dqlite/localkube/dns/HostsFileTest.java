package io.dqlite.localkube.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostsFileTest {
  private static final String API = "127.0.0.1";

  @Test
  void headlessServiceListsEveryReadyPodAndPodNamesInOwnNamespaceToo() {
    List<Pod> pods =
        List.of(
            pod("db", "db-0", "127.1.0.1", true),
            pod("db", "db-1", "127.1.0.2", true),
            pod("db", "db-2", "127.1.0.3", false));
    String hosts =
        HostsFile.render("db", pods, List.of(service("db", "db", true, false)), API, "m");
    assertThat(hosts)
        .contains(
            "127.1.0.1 db db-0.db db-0.db.db db-0.db.db.svc db-0.db.db.svc.cluster.local db.db"
                + " db.db.svc db.db.svc.cluster.local\n",
            "127.1.0.2 db db-1.db ");
    assertThat(hosts).doesNotContain("127.1.0.3");
  }

  @Test
  void otherNamespacesSeeOnlyQualifiedNames() {
    List<Pod> pods = List.of(pod("db", "db-0", "127.1.0.1", true));
    String hosts =
        HostsFile.render("app", pods, List.of(service("db", "db", true, false)), API, "m");
    assertThat(hosts)
        .contains(
            "127.1.0.1 db-0.db.db db-0.db.db.svc db-0.db.db.svc.cluster.local"
                + " db.db db.db.svc db.db.svc.cluster.local\n");
  }

  @Test
  void publishNotReadyAddressesIncludesUnreadyPods() {
    List<Pod> pods = List.of(pod("db", "db-0", "127.1.0.1", false));
    assertThat(HostsFile.render("db", pods, List.of(service("db", "db", true, true)), API, "m"))
        .contains("127.1.0.1 db db-0.db");
  }

  @Test
  void clusterIpServiceResolvesToItsFirstReadyPodByName() {
    List<Pod> pods =
        List.of(
            pod("db", "db-1", "127.1.0.2", true),
            pod("db", "db-0", "127.1.0.1", false),
            pod("db", "db-2", "127.1.0.3", true));
    String hosts =
        HostsFile.render("db", pods, List.of(service("db", "client", false, false)), API, "m");
    assertThat(hosts)
        .contains("127.1.0.2 client client.db client.db.svc client.db.svc.cluster.local\n");
    assertThat(hosts).doesNotContain("127.1.0.3").doesNotContain("db-1.client");
  }

  @Test
  void serviceWithoutEndpointsAndTerminatingPodsGetNoEntry() {
    Pod terminating =
        new PodBuilder(pod("db", "db-0", "127.1.0.1", true))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .build();
    String hosts =
        HostsFile.render(
            "db", List.of(terminating), List.of(service("db", "db", true, false)), API, "m");
    assertThat(hosts).doesNotContain("127.1.0.1");
  }

  @Test
  void terminatingPodsStayWhileTheServicePublishesNotReadyAddresses() {
    Pod terminating =
        new PodBuilder(pod("db", "db-0", "127.1.0.1", false))
            .editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z")
            .endMetadata()
            .build();
    Pod finished =
        new PodBuilder(pod("db", "db-1", "127.1.0.2", false))
            .editStatus()
            .withPhase("Failed")
            .endStatus()
            .build();
    String hosts =
        HostsFile.render(
            "db",
            List.of(terminating, finished),
            List.of(service("db", "db", true, true)),
            API,
            "m");
    assertThat(hosts).contains("127.1.0.1 db db-0.db ").doesNotContain("127.1.0.2");
  }

  @Test
  void alwaysHasLocalhostTheMachineAndTheApiServer() {
    String hosts = HostsFile.render("default", List.of(), List.of(), "127.0.0.9", "box");
    assertThat(hosts)
        .startsWith("# ")
        .contains(
            "127.0.0.1 box localhost\n",
            "127.0.0.9 kubernetes kubernetes.default kubernetes.default.svc"
                + " kubernetes.default.svc.cluster.local\n");
    assertThat(HostsFile.render("other", List.of(), List.of(), API, "box"))
        .doesNotContain(" kubernetes ")
        .contains("kubernetes.default.svc.cluster.local");
  }

  private static Pod pod(String ns, String name, String ip, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(Map.of("app", "db"))
        .endMetadata()
        .withNewSpec()
        .withHostname(name)
        .withSubdomain("db")
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Service service(String ns, String name, boolean headless, boolean notReady) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withClusterIP(headless ? "None" : "10.96.0.20")
        .withSelector(Map.of("app", "db"))
        .withPublishNotReadyAddresses(notReady)
        .endSpec()
        .build();
  }
}
