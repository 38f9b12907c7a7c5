package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinPlanTest {

  private static final String A = "db-0.db.ns.svc.cluster.local:9001";
  private static final String B = "db-1.db.ns.svc.cluster.local:9001";
  private static final String C = "db-2.db.ns.svc.cluster.local:9001";

  @Test
  void dataMeansRestartWhateverTheFlags() {
    JoinPlan p = JoinPlan.decide(B, List.of(A, B, C), true);
    assertThat(p).isEqualTo(new JoinPlan(JoinPlan.Kind.RESTART, List.of()));
  }

  @Test
  void noSeedsOrOnlySelfBootstraps() {
    assertThat(JoinPlan.decide(A, List.of(), false).kind()).isEqualTo(JoinPlan.Kind.BOOTSTRAP);
    assertThat(JoinPlan.decide(A, List.of(A), false).kind()).isEqualTo(JoinPlan.Kind.BOOTSTRAP);
  }

  @Test
  void othersJoinThroughTheListWithoutThemselves() {
    assertThat(JoinPlan.decide(B, List.of(A, B, C, A), false))
        .isEqualTo(new JoinPlan(JoinPlan.Kind.JOIN, List.of(A, C)));
    assertThat(JoinPlan.decide(B, List.of(A), false))
        .isEqualTo(new JoinPlan(JoinPlan.Kind.JOIN, List.of(A)));
  }

  @Test
  void theFirstPodRestartingEmptyJoinsOnceEveryPodIsASeed() {
    // After bootstrap the operator lists every pod: pod 0 on a new volume must not bootstrap.
    assertThat(JoinPlan.decide(A, List.of(A, B, C), false))
        .isEqualTo(new JoinPlan(JoinPlan.Kind.JOIN, List.of(B, C)));
  }

  @Test
  void dnsSeedsExpandToEveryAddressWithThePort() throws Exception {
    JoinPlan.Resolver resolver =
        host -> {
          assertThat(host).isEqualTo("db.ns.svc.cluster.local");
          return new InetAddress[] {
            InetAddress.getByName("10.0.0.5"), InetAddress.getByName("fd00::7")
          };
        };
    assertThat(JoinPlan.expand(List.of("dns:db.ns.svc.cluster.local", "x:1"), 9001, resolver))
        .containsExactly("10.0.0.5:9001", "[fd00:0:0:0:0:0:0:7]:9001", "x:1");
    assertThat(JoinPlan.expand(List.of("dns:db.ns.svc.cluster.local:7000"), 9001, resolver))
        .containsExactly("10.0.0.5:7000", "[fd00:0:0:0:0:0:0:7]:7000");
  }

  @Test
  void unresolvableDnsSeedSaysWhatToCheck() {
    JoinPlan.Resolver none =
        host -> {
          throw new UnknownHostException(host);
        };
    assertThatThrownBy(() -> JoinPlan.expand(List.of("dns:nope"), 9001, none))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope does not resolve")
        .hasMessageContaining("publishNotReadyAddresses");
    assertThatThrownBy(() -> JoinPlan.expand(List.of("dns:x:port"), 9001, none))
        .hasMessageContaining("port must be a number");
  }
}
