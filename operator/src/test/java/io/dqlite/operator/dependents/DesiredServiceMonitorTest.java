package io.dqlite.operator.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MetricsSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class DesiredServiceMonitorTest {

  @Test
  void scrapesTheSidecarsAdminPortThroughTheHeadlessService() {
    DqliteCluster cr = TestClusters.cluster();
    ServiceMonitor monitor = DesiredServiceMonitor.build(cr);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getName()).isEqualTo("db-headless");
    assertThat(monitor.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(Serialization.asYaml(monitor))
        .contains(
            """
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: "dqlite"
                  app.kubernetes.io/instance: "db"
                  app.kubernetes.io/component: "database"
                  app.kubernetes.io/managed-by: "dqlite-operator"
              namespaceSelector:
                matchNames:
                - "shop"
              endpoints:
              - port: "admin"
                path: "/metrics"
                interval: "30s"
            """);
  }

  @Test
  void requestedOnlyWhenTheSpecSaysSo() {
    assertThat(ServiceMonitorDependent.requested(TestClusters.cluster())).isFalse();
    MetricsSpec on = new MetricsSpec();
    on.setServiceMonitor(true);
    assertThat(ServiceMonitorDependent.requested(TestClusters.cluster(s -> s.setMetrics(on))))
        .isTrue();
    assertThat(
            ServiceMonitorDependent.requested(
                TestClusters.cluster(s -> s.setMetrics(new MetricsSpec()))))
        .isFalse();
  }
}
