package io.dqlite.sidecar.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeRole;
import io.dqlite.client.protocol.RequestType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SidecarMetricsTest {

  private final SidecarMetrics metrics = new SidecarMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(metrics.scrape());
  }

  @Test
  void nodeGaugesFollowTheSetters() {
    metrics.setRole(Optional.of(NodeRole.STANDBY));
    metrics.setLeader(true);
    metrics.setReady(true);
    metrics.setFailureDomain(12345);
    metrics.setMembers(NodeRole.VOTER, true, 3);
    metrics.setMembers(NodeRole.SPARE, false, 1);
    PrometheusText t = scrape();
    assertThat(t.value("dqlite_role", Map.of("role", "stand-by"))).contains(1.0);
    assertThat(t.value("dqlite_role", Map.of("role", "voter"))).contains(0.0);
    assertThat(t.value("dqlite_leader", Map.of())).contains(1.0);
    assertThat(t.value("dqlite_ready", Map.of())).contains(1.0);
    assertThat(t.value("dqlite_failure_domain", Map.of())).contains(12345.0);
    assertThat(t.value("dqlite_cluster_members", Map.of("role", "voter", "online", "true")))
        .contains(3.0);
    assertThat(t.value("dqlite_cluster_members", Map.of("role", "spare", "online", "false")))
        .contains(1.0);
    metrics.setRole(Optional.empty());
    assertThat(scrape().value("dqlite_role", Map.of("role", "stand-by"))).contains(0.0);
  }

  @Test
  void countersAndHistograms() {
    metrics.roleChanged(NodeRole.SPARE, NodeRole.VOTER);
    metrics.handover(true, Duration.ofMillis(300));
    metrics.handover(false, Duration.ofSeconds(3));
    metrics.adjustmentRan();
    metrics.appSocket().opened();
    metrics.appSocket().request(RequestType.EXEC_SQL, 2_000_000);
    PrometheusText t = scrape();
    assertThat(t.value("dqlite_role_changes_total", Map.of("from", "spare", "to", "voter")))
        .contains(1.0);
    assertThat(t.value("dqlite_handovers_total", Map.of("outcome", "success"))).contains(1.0);
    assertThat(t.value("dqlite_handovers_total", Map.of("outcome", "failure"))).contains(1.0);
    assertThat(t.value("dqlite_handover_seconds_bucket", Map.of("le", "0.5"))).contains(1.0);
    assertThat(t.value("dqlite_handover_seconds_count", Map.of())).contains(2.0);
    assertThat(t.value("dqlite_roles_adjustments_total", Map.of())).contains(1.0);
    assertThat(t.value("dqlite_app_socket_connections_active", Map.of())).contains(1.0);
    assertThat(t.value("dqlite_app_socket_connections_accepted_total", Map.of())).contains(1.0);
    assertThat(
            t.value(
                "dqlite_app_socket_request_seconds_bucket",
                Map.of("type", "exec-sql", "le", "0.0025")))
        .contains(1.0);
    assertThat(
            t.value(
                "dqlite_app_socket_request_seconds_bucket",
                Map.of("type", "exec-sql", "le", "0.001")))
        .contains(0.0);
    assertThat(
            t.named("dqlite_app_socket_request_seconds_count").stream()
                .map(s -> s.labels().get("type")))
        .containsExactly("exec-sql");
  }

  @Test
  void jvmAndProcessMetricsAreThere() {
    PrometheusText t = scrape();
    for (String name :
        new String[] {
          "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds",
          "process_cpu_usage", "process_files_open_files", "jvm_classes_loaded_classes"
        }) {
      assertThat(t.named(name)).as(name).isNotEmpty();
    }
  }
}
