package io.dqlite.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.testing.Fixtures;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final OperatorMetrics metrics = new OperatorMetrics(registry);

  @Test
  void membersByRoleFollowTheClustersStatus() {
    List<DqliteCluster> clusters =
        new ArrayList<>(List.of(cluster("voter", "voter", "voter", "stand-by", "spare")));
    metrics.clusters(clusters::stream);
    metrics.refresh();
    String text = registry.scrape();
    assertThat(text)
        .contains("dqlite_operator_members{name=\"db\",namespace=\"shop\",role=\"voter\"} 3.0")
        .contains("dqlite_operator_members{name=\"db\",namespace=\"shop\",role=\"standby\"} 1.0")
        .contains("dqlite_operator_members{name=\"db\",namespace=\"shop\",role=\"spare\"} 1.0");

    clusters.clear();
    metrics.refresh();
    assertThat(registry.scrape()).doesNotContain("dqlite_operator_members{");
  }

  @Test
  void aClusterWithoutStatusCountsZero() {
    DqliteCluster cr = Fixtures.cluster();
    cr.setStatus(null);
    metrics.clusters(() -> Stream.of(cr));
    metrics.refresh();
    assertThat(registry.scrape())
        .contains("dqlite_operator_members{name=\"db\",namespace=\"shop\",role=\"voter\"} 0.0");
  }

  @Test
  void reconcileDurationsByOutcome() {
    metrics.reconciled(Fixtures.cluster(), Duration.ofMillis(120), true);
    metrics.reconciled(Fixtures.cluster(), Duration.ofMillis(80), true);
    metrics.reconciled(Fixtures.cluster(), Duration.ofMillis(5), false);
    String text = registry.scrape();
    assertThat(text)
        .contains(
            "dqlite_operator_reconcile_seconds_count{name=\"db\",namespace=\"shop\","
                + "outcome=\"success\"} 2")
        .contains(
            "dqlite_operator_reconcile_seconds_count{name=\"db\",namespace=\"shop\","
                + "outcome=\"error\"} 1")
        .contains(
            "dqlite_operator_reconcile_seconds_sum{name=\"db\",namespace=\"shop\","
                + "outcome=\"success\"} 0.2");
  }

  private static DqliteCluster cluster(String... roles) {
    DqliteCluster cr = Fixtures.cluster();
    DqliteClusterStatus status = new DqliteClusterStatus();
    List<MemberStatus> members = new ArrayList<>();
    for (int i = 0; i < roles.length; i++) {
      members.add(new MemberStatus("db-" + i, "0x" + i, "a" + i, roles[i], true));
    }
    status.setMembers(members);
    cr.setStatus(status);
    return cr;
  }
}
