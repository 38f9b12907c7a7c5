package io.dqlite.operator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.testing.FakeRaft;
import io.dqlite.operator.testing.FakeSidecars;
import io.dqlite.operator.testing.Fixtures;
import io.dqlite.sidecar.api.SidecarView;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipReaderTest {

  final DqliteCluster cr = Fixtures.cluster();
  final FakeSidecars sidecars = new FakeSidecars();
  final FakeRaft raft = new FakeRaft();
  final MembershipReader reader = new MembershipReader(sidecars, raft, Duration.ofSeconds(2));

  @Test
  void theFirstSidecarThatNamesALeaderWins() {
    Membership truth = Fixtures.membership("v0* v1 v2!");
    sidecars
        .fail(Fixtures.ip(0), "connection refused")
        .answer(Fixtures.ip(1), Fixtures.view(truth, 1, "zone-b"))
        .answer(Fixtures.ip(2), noLeader(2));

    Membership read = reader.read(cr, Fixtures.pods(3), Fixtures.DOMAIN, Fixtures.TOKEN);

    assertThat(read.source()).isEqualTo(Membership.Source.SIDECAR);
    assertThat(read.leader()).contains(new Membership.Leader(0x100, Fixtures.address(0)));
    assertThat(read.members())
        .extracting(RaftMember::hexId, RaftMember::role, RaftMember::online)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("0x100", NodeRole.VOTER, true),
            org.assertj.core.groups.Tuple.tuple("0x101", NodeRole.VOTER, true),
            org.assertj.core.groups.Tuple.tuple("0x102", NodeRole.VOTER, false));
    assertThat(read.member(0x101).orElseThrow().zone()).isEqualTo("zone-b");
    assertThat(read.selves()).containsOnlyKeys("db-1", "db-2");
    assertThat(read.problems())
        .anySatisfy(p -> assertThat(p).contains("db-0").contains("connection refused"))
        .anySatisfy(p -> assertThat(p).contains("db-2").contains("joining"));
    assertThat(raft.reads).as("the protocol is not needed").isEmpty();
  }

  @Test
  void anAnswerFromAnotherClustersNodeIsIgnored() {
    Membership theirs = Fixtures.membership("v0* v1 v2");
    // Pod 1's IP now answers as pod 0 of the cluster behind it (a reused IP).
    sidecars.answer(Fixtures.ip(1), Fixtures.view(theirs, 0, null));
    Membership read = reader.read(cr, List.of(Fixtures.pod(1)), Fixtures.DOMAIN, Fixtures.TOKEN);
    assertThat(read.hasLeader()).isFalse();
    assertThat(read.selves()).isEmpty();
    assertThat(read.problems())
        .anySatisfy(
            p -> assertThat(p).startsWith("db-1: answered by the node " + Fixtures.address(0)));
  }

  @Test
  void standByRolesAsTheSidecarSpellsThem() {
    Membership truth = Fixtures.membership("v0* s1 p2");
    sidecars.answer(Fixtures.ip(0), Fixtures.view(truth, 0, null));
    Membership read = reader.read(cr, Fixtures.pods(1), Fixtures.DOMAIN, Fixtures.TOKEN);
    assertThat(read.members())
        .extracting(RaftMember::role)
        .containsExactly(NodeRole.VOTER, NodeRole.STANDBY, NodeRole.SPARE);
  }

  @Test
  void withoutALeaderFromAnySidecarTheProtocolIsAsked() {
    sidecars.answer(Fixtures.ip(0), noLeader(0)).fail(Fixtures.ip(1), "timeout");
    raft.membership = Fixtures.membership("v0 v1*");

    Membership read = reader.read(cr, Fixtures.pods(2), Fixtures.DOMAIN, Fixtures.TOKEN);

    assertThat(read.leader()).contains(new Membership.Leader(0x101, Fixtures.address(1)));
    assertThat(raft.reads)
        .singleElement()
        .isEqualTo(
            java.util.Map.of(
                Fixtures.address(0), Fixtures.ip(0) + ":9001",
                Fixtures.address(1), Fixtures.ip(1) + ":9001"));
    assertThat(read.selves()).containsOnlyKeys("db-0");
  }

  @Test
  void nothingAnswersNoLeaderIsKnown() {
    Membership read = reader.read(cr, Fixtures.pods(3), Fixtures.DOMAIN, Fixtures.TOKEN);
    assertThat(read.hasLeader()).isFalse();
    assertThat(read.members()).isEmpty();
    assertThat(read.problems()).hasSizeGreaterThanOrEqualTo(4); // three pods, then the protocol
  }

  @Test
  void podsWithoutAnIpAreNotAskedAndSilentSidecarsAreWaitedForBoundedly() {
    Pod pending = new PodBuilder(Fixtures.pod(1)).editStatus().withPodIP(null).endStatus().build();
    sidecars.hang(Fixtures.ip(0));
    MembershipReader quick = new MembershipReader(sidecars, raft, Duration.ofMillis(300));

    long start = System.nanoTime();
    Membership read =
        quick.read(cr, List.of(Fixtures.pod(0), pending), Fixtures.DOMAIN, Fixtures.TOKEN);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(sidecars.asked).containsExactly(FakeSidecars.uri(Fixtures.ip(0)));
    assertThat(read.problems())
        .anySatisfy(p -> assertThat(p).isEqualTo("db-1 has no IP yet"))
        .anySatisfy(p -> assertThat(p).contains("did not answer within"));
  }

  @Test
  void aLeaderWinsWithoutWaitingForSilentSidecars() {
    Membership truth = Fixtures.membership("v0* v1 v2");
    sidecars.answer(Fixtures.ip(0), Fixtures.view(truth, 0, null)).hang(Fixtures.ip(1));
    MembershipReader patient = new MembershipReader(sidecars, raft, Duration.ofSeconds(30));

    long start = System.nanoTime();
    Membership read = patient.read(cr, Fixtures.pods(2), Fixtures.DOMAIN, Fixtures.TOKEN);

    assertThat(read.hasLeader()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(MembershipReader.GRACE.plusSeconds(3));
  }

  @Test
  void aMemberWhosePodRunsAnotherNodeIsOfflineAndStale() {
    // Pod 1 lost its volume: its new node 0x201 answers at the address of member 0x101, whose
    // probe the leader's sidecar counted as online (it reached the new node).
    Membership truth = Fixtures.membership("v0* v1 v2");
    SidecarView fresh = noLeader(1);
    SidecarView.Self s = fresh.self();
    SidecarView newNode =
        new SidecarView(
            new SidecarView.Self("0x201", s.address(), null, null, "none", 0L, false, false),
            null,
            List.of(),
            fresh.observedAt(),
            "join cluster: server address already in use");
    sidecars
        .answer(Fixtures.ip(0), Fixtures.view(truth, 0, null))
        .answer(Fixtures.ip(1), newNode)
        .answer(Fixtures.ip(2), Fixtures.view(truth, 2, null));
    MembershipReader patient = new MembershipReader(sidecars, raft, Duration.ofSeconds(30));

    // Arrival order decides which views are kept within the grace; wait for all three.
    Membership read =
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> patient.read(cr, Fixtures.pods(3), Fixtures.DOMAIN, Fixtures.TOKEN),
                m -> m.selves().size() == 3);

    assertThat(read.member(0x101).orElseThrow().online()).isFalse();
    assertThat(read.member(0x100).orElseThrow().online()).isTrue();
    assertThat(read.stale())
        .singleElement()
        .satisfies(
            st -> {
              assertThat(st.member().id()).isEqualTo(0x101);
              assertThat(st.nodeId()).isEqualTo(0x201);
            });
    assertThat(MemberMapping.staleMembers(cr, read, Fixtures.DOMAIN))
        .containsExactly(new io.dqlite.operator.plan.Replacement.Stale(1, 0x101, 0x201));
    assertThat(MemberMapping.statusMembers(cr, read, Fixtures.DOMAIN))
        .filteredOn(m -> "0x101".equals(m.getId()))
        .singleElement()
        .satisfies(m -> assertThat(m.getOnline()).isFalse());
  }

  private static SidecarView noLeader(int ordinal) {
    return new SidecarView(
        new SidecarView.Self(
            "0x" + Long.toHexString(0x100 + ordinal),
            Fixtures.address(ordinal),
            null,
            null,
            "none",
            0L,
            false,
            false),
        null,
        List.of(),
        "2026-11-25T10:00:00Z",
        "node not ready yet (joining)");
  }
}
