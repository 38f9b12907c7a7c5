package io.dqlite.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.status.ClusterEvent;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import org.junit.jupiter.api.Test;

class KubernetesEventRecorderTest {

  @Test
  void anEventRegardsTheCluster() {
    DqliteCluster cr = Fixtures.cluster();
    cr.getMetadata().setResourceVersion("42");
    Event e =
        KubernetesEventRecorder.build(
            cr,
            ClusterEvent.warning("MembersOffline", "Observe", "1 member(s) offline"),
            "db.187b2c3d4e5f",
            "dqlite-operator-abc",
            "2026-11-25T10:00:00.000000Z");
    assertThat(e.getMetadata().getName()).isEqualTo("db.187b2c3d4e5f");
    assertThat(e.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(e.getRegarding().getKind()).isEqualTo("DqliteCluster");
    assertThat(e.getRegarding().getApiVersion()).isEqualTo("dqlite.io/v1alpha1");
    assertThat(e.getRegarding().getName()).isEqualTo("db");
    assertThat(e.getRegarding().getUid()).isEqualTo("uid-db");
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getReason()).isEqualTo("MembersOffline");
    assertThat(e.getAction()).isEqualTo("Observe");
    assertThat(e.getNote()).isEqualTo("1 member(s) offline");
    assertThat(e.getReportingController()).isEqualTo("dqlite.io/dqlite-operator");
    assertThat(e.getReportingInstance()).isEqualTo("dqlite-operator-abc");
    assertThat(e.getEventTime().getTime()).isEqualTo("2026-11-25T10:00:00.000000Z");
  }

  @Test
  void longNotesAreCut() {
    Event e =
        KubernetesEventRecorder.build(
            Fixtures.cluster(),
            ClusterEvent.normal("X", "Y", "n".repeat(5000)),
            "db.1",
            "i",
            "2026-11-25T10:00:00.000000Z");
    assertThat(e.getNote()).hasSize(KubernetesEventRecorder.MAX_NOTE);
    assertThat(e.getType()).isEqualTo("Normal");
  }
}
