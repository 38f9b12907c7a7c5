package io.dqlite.operator.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.membership.AdminToken;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.SidecarAdmin;
import io.dqlite.operator.plan.CatchUpGate;
import io.dqlite.operator.testing.Fixtures;
import io.dqlite.sidecar.api.SidecarView;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The probe's order (the leader first, then the restarted members) and its bounded wait. */
class CatchUpProbeTest {

  /** Answers /cluster with a raft index per pod IP, from a function of how often it was asked. */
  private static final class Sidecars implements SidecarAdmin {
    final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    final Map<String, IntFunction<Long>> index = new ConcurrentHashMap<>();
    final Map<String, Integer> count = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<SidecarView> cluster(URI admin, AdminToken token) {
      String ip = admin.getHost();
      asked.add(ip);
      int n = count.merge(ip, 1, Integer::sum);
      Long at = index.get(ip).apply(n);
      SidecarView.Self self =
          new SidecarView.Self(
              "0x1",
              "x",
              "voter",
              null,
              "none",
              0L,
              true,
              false,
              null,
              at == null ? null : SidecarView.RaftLog.at(at));
      return CompletableFuture.completedFuture(
          new SidecarView(self, null, List.of(), "2026-12-06T00:00:00Z", null));
    }

    @Override
    public HandoverResult handover(URI admin, AdminToken token, long nodeId) {
      throw new UnsupportedOperationException();
    }
  }

  private static List<Pod> pods(String... revisions) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < revisions.length; i++) {
      Pod p = Fixtures.pod(i);
      p.getMetadata().getLabels().put("controller-revision-hash", revisions[i]);
      pods.add(p);
    }
    return pods;
  }

  private final Sidecars sidecars = new Sidecars();
  private final CatchUpProbe probe = new CatchUpProbe(sidecars, Fixtures.DOMAIN);
  private final Membership leaderOn0 = Fixtures.membership("v0* v1 v2");

  private CatchUpGate.Verdict check(List<Pod> pods) throws InterruptedException {
    return probe.check(Fixtures.cluster(), pods, leaderOn0, "new", Fixtures.TOKEN);
  }

  @Test
  void asksTheLeaderFirst_thenWaitsForTheRestartedMemberToReachIt() throws Exception {
    sidecars.index.put(Fixtures.ip(0), n -> 500L + n); // the leader keeps writing
    sidecars.index.put(Fixtures.ip(2), n -> 490L + 4L * n); // catching up: 494, 498, 502
    CatchUpGate.Verdict v = check(pods("old", "old", "new"));
    assertThat(v.caughtUp()).as(v.reason()).isTrue();
    assertThat(sidecars.asked.get(0)).isEqualTo(Fixtures.ip(0));
    assertThat(sidecars.asked)
        .containsExactly(Fixtures.ip(0), Fixtures.ip(2), Fixtures.ip(2), Fixtures.ip(2));
    assertThat(v.reason()).contains("501");
  }

  @Test
  void aMemberThatStaysBehindTurnsTheRestartIntoAWait_boundedInTime() throws Exception {
    sidecars.index.put(Fixtures.ip(0), n -> 500L);
    sidecars.index.put(Fixtures.ip(2), n -> 100L);
    long start = System.nanoTime();
    CatchUpGate.Verdict v = check(pods("old", "old", "new"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(v.caughtUp()).isFalse();
    assertThat(v.reason()).contains("db-2 at 100", "500", "db-0");
    assertThat(ms).isBetween(CatchUpProbe.WAIT.toMillis(), CatchUpProbe.WAIT.toMillis() + 5_000);
  }

  @Test
  void nothingIsAskedBeforeAnyPodWasRestarted_norOfSparesOrTheLeader() throws Exception {
    assertThat(check(pods("old", "old", "old")).caughtUp()).isTrue();
    Membership spare2 = Fixtures.membership("v0* v1 p2");
    assertThat(
            probe
                .check(Fixtures.cluster(), pods("new", "old", "new"), spare2, "new", Fixtures.TOKEN)
                .caughtUp())
        .isTrue();
    assertThat(sidecars.asked).isEmpty();
  }

  @Test
  void withoutALeaderNothingGoes() throws Exception {
    CatchUpGate.Verdict v =
        probe.check(
            Fixtures.cluster(),
            pods("old", "old", "new"),
            Fixtures.membership("v0 v1 v2"),
            "new",
            Fixtures.TOKEN);
    assertThat(v.caughtUp()).isFalse();
    assertThat(sidecars.asked).isEmpty();
  }

  @Test
  void withoutALeaderAPodThatNeverJoinedMayStillBeReplaced() throws Exception {
    // A pod that never started (Pending, no member at its address): Decision replaces it without
    // a leader, and there is nothing restarted to compare with.
    CatchUpGate.Verdict v =
        probe.check(
            Fixtures.cluster(),
            pods("old", "old", "old"),
            Membership.unknown(java.util.Map.of(), List.of()),
            "new",
            Fixtures.TOKEN);
    assertThat(v.caughtUp()).as(v.reason()).isTrue();
    assertThat(sidecars.asked).isEmpty();
  }
}
