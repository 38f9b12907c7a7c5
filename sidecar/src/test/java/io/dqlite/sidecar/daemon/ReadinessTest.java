package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.NodeInfo;
import io.dqlite.client.NodeRole;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  private static final long SELF = 7;
  private static final NodeInfo LEADER = new NodeInfo(1, "db-0:9001", NodeRole.VOTER);

  private static ClusterStatus with(NodeRole selfRole) {
    return new ClusterStatus(
        Instant.EPOCH,
        Optional.of(LEADER),
        List.of(
            new ClusterStatus.Member(1, "db-0:9001", NodeRole.VOTER, true, 0, 0),
            new ClusterStatus.Member(SELF, "db-1:9001", selfRole, true, 0, 0)),
        Optional.empty());
  }

  @Test
  void readyWithAnyRoleTheLeaderLists() {
    for (NodeRole r : NodeRole.values()) {
      Readiness.Verdict v = Readiness.of(true, false, false, SELF, with(r));
      assertThat(v.ready()).as(r.toString()).isTrue();
      assertThat(v.reason()).contains(r.toString()).contains("db-0:9001");
    }
  }

  @Test
  void notReadyCases() {
    ClusterStatus ok = with(NodeRole.VOTER);
    assertThat(Readiness.of(false, false, false, SELF, ok).reason()).contains("joining");
    assertThat(Readiness.of(true, true, false, SELF, ok).reason()).contains("handing over");
    assertThat(Readiness.of(true, false, true, SELF, ok).reason()).contains("shutting down");
    assertThat(Readiness.of(true, false, false, 99, ok).reason()).contains("does not list");
    Readiness.Verdict noLeader =
        Readiness.of(true, false, false, SELF, ClusterStatus.failed(Instant.EPOCH, "no leader"));
    assertThat(noLeader.ready()).isFalse();
    assertThat(noLeader.reason()).contains("no leader");
    assertThat(Readiness.of(true, false, false, SELF, ClusterStatus.unknown()).ready()).isFalse();
  }

  @Test
  void aJoiningNodeWhoseAddressAnotherMemberHoldsSaysWhich() {
    // This node (id 8) is new at db-1:9001, where member 7 (SELF) lost its data.
    ClusterStatus ghost = with(NodeRole.VOTER);
    Readiness.Verdict v = Readiness.of(false, false, false, 8, "db-1:9001", ghost);
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).contains("member 0x7 holds this node's address db-1:9001")
        .contains(".remove 0x7");
    assertThat(Readiness.of(false, false, false, 8, "db-2:9001", ghost).reason())
        .as("nobody at its address").isEqualTo("not ready: joining the cluster (start-up tasks"
            + " not done)");
    assertThat(Readiness.of(false, false, false, SELF, "db-1:9001", ghost).reason())
        .as("listed itself: finishing its start-up").doesNotContain("holds");
  }
}
