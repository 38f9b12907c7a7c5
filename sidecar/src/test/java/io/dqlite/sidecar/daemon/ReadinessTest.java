package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
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
}
