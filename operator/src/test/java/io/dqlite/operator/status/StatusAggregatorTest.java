package io.dqlite.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.plan.RollDecision;
import io.dqlite.operator.plan.ScaleStep;
import io.dqlite.operator.testing.Fixtures;
import io.dqlite.operator.testing.Observations;
import io.dqlite.sidecar.api.SidecarView;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusAggregatorTest {

  @Test
  void aMemberWhosePodRunsANewNodeIsOfflineAndTheClusterDegraded() {
    DqliteCluster cr = Observations.bootstrapped(Fixtures.cluster());
    Observation steady = Observations.steady(cr, "0 1 2", "v0* v1 v2", "3z");
    Membership read = steady.membership();
    // Pod 1 lost its volume: its sidecar reports a new id at the old member's address.
    Membership withNewNode =
        new Membership(
            read.source(),
            read.leader(),
            read.members(),
            Map.of(
                "db-1",
                new SidecarView.Self(
                    "0x201", Fixtures.address(1), null, null, "none", 0L, false, false)),
            read.problems());
    Observation o =
        new Observation(
            cr,
            steady.statefulSet(),
            steady.pods(),
            withNewNode,
            steady.nodes(),
            new ScaleStep.Replace(1, 0x101, 0x201, "pod 1 runs node 0x201"),
            null,
            steady.roll(),
            Optional.empty(),
            Optional.empty(),
            Fixtures.DOMAIN,
            steady.now());

    DqliteClusterStatus status = StatusAggregator.aggregate(o);

    assertThat(status.getMembers())
        .filteredOn(m -> "0x101".equals(m.getId()))
        .singleElement()
        .satisfies(m -> assertThat(m.getOnline()).isFalse());
    assertThat(status.getVoters()).isEqualTo(2);
    assertThat(condition(status, ConditionTypes.READY).getReason()).isEqualTo("MembersNotJoined");
    Condition degraded = condition(status, ConditionTypes.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("StaleMembers");
    assertThat(degraded.getMessage()).contains("0x101").contains("0x201");
    Condition progressing = condition(status, ConditionTypes.PROGRESSING);
    assertThat(progressing.getReason()).isEqualTo("ReplacingMember");
    assertThat(progressing.getMessage()).contains("0x201");
  }

  /**
   * Pods on three zoned Nodes whose sidecars see no zone (their pods lack the label): the member
   * zones come from the sidecars' own reports (none), not from the operator's Node list, and the
   * status says raft is not spread.
   */
  @Test
  void memberZonesAreTheSidecarsOwnReports() {
    DqliteCluster cr = Observations.bootstrapped(Fixtures.cluster());
    Observation blind = withSelves(cr, "none", null, 0L);
    DqliteClusterStatus status = StatusAggregator.aggregate(blind);
    assertThat(status.getMembers())
        .extracting(MemberStatus::getZone, MemberStatus::getZoneSource)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(null, "none"));
    Condition topology = condition(status, ConditionTypes.VOTER_TOPOLOGY);
    assertThat(topology.getStatus()).isEqualTo("False");
    assertThat(topology.getReason()).isEqualTo("VotersNotSpread");
    assertThat(topology.getMessage()).contains("zone-0, zone-1, zone-2");
    Condition degraded = condition(status, ConditionTypes.DEGRADED);
    assertThat(degraded.getReason()).isEqualTo("ZonesNotSeenByNodes");

    // The same cluster once each sidecar reads its Node's label (spec.zones.readNodeLabels).
    status = StatusAggregator.aggregate(withSelves(cr, "node", "zone-", null));
    assertThat(status.getMembers())
        .extracting(MemberStatus::getPod, MemberStatus::getZone, MemberStatus::getZoneSource)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("db-0", "zone-0", "node"),
            org.assertj.core.groups.Tuple.tuple("db-1", "zone-1", "node"),
            org.assertj.core.groups.Tuple.tuple("db-2", "zone-2", "node"));
    assertThat(condition(status, ConditionTypes.VOTER_TOPOLOGY).getReason())
        .isEqualTo("VotersSpread");
    assertThat(condition(status, ConditionTypes.DEGRADED).getReason()).isEqualTo("AsExpected");
  }

  /**
   * Three voters on the zoned nodes of "3z"; each sidecar reports {@code zonePrefix + ordinal} (or
   * no zone) with {@code domain} (or 10 + ordinal).
   */
  private static Observation withSelves(
      DqliteCluster cr, String source, String zonePrefix, Long domain) {
    Observation steady = Observations.steady(cr, "0 1 2", "v0* v1 v2", "3z");
    Map<String, SidecarView.Self> selves = new java.util.HashMap<>();
    List<io.dqlite.operator.membership.RaftMember> members = new java.util.ArrayList<>();
    for (var m : steady.membership().members()) {
      int ordinal = (int) (m.id() - 0x100);
      String zone = zonePrefix == null ? null : zonePrefix + ordinal;
      long fd = domain != null ? domain : 10 + ordinal;
      members.add(
          new io.dqlite.operator.membership.RaftMember(
              m.id(), m.address(), m.role(), true, fd, null));
      selves.put(
          "db-" + ordinal,
          new SidecarView.Self(m.hexId(), m.address(), "voter", zone, source, fd, true, false));
    }
    Membership read = steady.membership();
    return new Observation(
        cr,
        steady.statefulSet(),
        steady.pods(),
        new Membership(read.source(), read.leader(), members, selves, read.problems()),
        steady.nodes(),
        steady.scaleStep(),
        null,
        steady.roll(),
        Optional.empty(),
        Optional.empty(),
        Fixtures.DOMAIN,
        steady.now());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                 | replicas | pods        | members         | ready | ready reason      | available | available reason
          all settled                            | 3        | 0 1 2       | v0* v1 v2       | True  | AllMembersReady   | True      | Quorum
          five: three voters and two stand-bys   | 5        | 0 1 2 3 4   | v0* v1 v2 s3 s4 | True  | AllMembersReady   | True      | Quorum
          roles not settled yet                  | 5        | 0 1 2 3 4   | v0* v1 v2 p3 p4 | False | RolesNotSettled   | True      | Quorum
          a pod not ready                        | 3        | 0 1 2!      | v0* v1 v2       | False | PodsNotReady      | True      | Quorum
          a pod missing                          | 3        | 0 1         | v0* v1          | False | PodsNotReady      | True      | Quorum
          a pod without a member                 | 3        | 0 1 2       | v0* v1 p2!      | False | MembersNotJoined  | True      | Quorum
          no leader                              | 3        | 0 1 2       |                 | False | MembershipUnknown | False     | NoLeader
          one voter of three offline             | 3        | 0 1 2       | v0* v1 v2!      | False | MembersNotJoined  | True      | Quorum
          two voters of three offline            | 3        | 0 1 2       | v0* v1! v2!     | False | MembersNotJoined  | False     | NoQuorum
          a single node                          | 1        | 0           | v0*             | True  | AllMembersReady   | True      | Quorum
          two nodes: one votes (voters odd)      | 2        | 0 1         | v0* p1          | True  | AllMembersReady   | True      | Quorum
          two nodes both voting: not settled     | 2        | 0 1         | v0* v1          | False | RolesNotSettled   | True      | Quorum
          four nodes: three vote, one stands by  | 4        | 0 1 2 3     | v0* v1 v2 s3    | True  | AllMembersReady   | True      | Quorum
          """)
  void readyAndAvailable(
      String description,
      int replicas,
      String pods,
      String members,
      String ready,
      String readyReason,
      String available,
      String availableReason) {
    DqliteCluster cr = Fixtures.cluster(spec -> spec.setReplicas(replicas));
    DqliteClusterStatus status =
        StatusAggregator.aggregate(Observations.steady(cr, pods, members, "3z"));
    assertThat(condition(status, ConditionTypes.READY))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly(ready, readyReason);
    assertThat(condition(status, ConditionTypes.AVAILABLE))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly(available, availableReason);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # step        | roll    | status | reason
          done          | done    | False  | Reconciled
          grow          | done    | True   | ScalingUp
          drain         | none    | True   | ScalingDown
          remove        | none    | True   | ScalingDown
          shrink        | none    | True   | ScalingDown
          recycle       | none    | True   | RecyclingPod
          wait          | done    | True   | ScaleWaiting
          done          | restart | True   | RollingUpdate
          done          | wait    | True   | RollingUpdateWaiting
          done          | none    | False  | Reconciled
          """)
  void progressing(String step, String roll, String status, String reason) {
    ScaleStep s =
        switch (step) {
          case "grow" -> new ScaleStep.Grow(5, "scale up from 3");
          case "drain" -> new ScaleStep.Drain(4, 0x104, "leads");
          case "remove" -> new ScaleStep.Remove(4, 0x104, "leaves raft");
          case "shrink" -> new ScaleStep.Shrink(3, "gone");
          case "recycle" -> new ScaleStep.Recycle(3, "removed");
          case "wait" -> new ScaleStep.Wait("short of a quorum");
          default -> new ScaleStep.Done();
        };
    Optional<RollDecision> r =
        switch (roll) {
          case "restart" -> Optional.of(new RollDecision.Restart(2, "pod 2 is outdated"));
          case "wait" -> Optional.of(new RollDecision.Wait("pod 1 is terminating"));
          case "done" -> Optional.of(new RollDecision.Done());
          default -> Optional.empty();
        };
    DqliteClusterStatus result =
        StatusAggregator.aggregate(
            Observations.of(
                Fixtures.cluster(),
                "0 1 2",
                "v0* v1 v2",
                "3z",
                s,
                r,
                Optional.empty(),
                Observations.NOW));
    Condition c = condition(result, ConditionTypes.PROGRESSING);
    assertThat(c.getStatus()).isEqualTo(status);
    assertThat(c.getReason()).isEqualTo(reason);
    if (status.equals("True")) {
      assertThat(c.getMessage())
          .isEqualTo(s instanceof ScaleStep.Done ? r.get().reason() : s.reason());
    }
  }

  @Test
  void fieldsFromTheObservation() {
    DqliteCluster cr = Fixtures.cluster();
    cr.getMetadata().setGeneration(7L);
    DqliteClusterStatus status =
        StatusAggregator.aggregate(Observations.steady(cr, "0 1 2!", "v0 v1* v2 sx", "3z"));
    assertThat(status.getObservedGeneration()).isEqualTo(7L);
    assertThat(status.getReplicas()).isEqualTo(3);
    assertThat(status.getReadyReplicas()).isEqualTo(2);
    assertThat(status.getSelector())
        .isEqualTo("app.kubernetes.io/name=dqlite,app.kubernetes.io/instance=db");
    assertThat(status.getLeader()).isEqualTo("db-1");
    assertThat(status.getVoters()).isEqualTo(3);
    assertThat(status.getBootstrapped()).isTrue();
    assertThat(status.getMembers())
        .extracting(MemberStatus::getPod)
        .containsExactly("db-0", "db-1", "db-2", null);
    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Available", "Progressing", "Degraded", "VoterTopology");
    assertThat(status.getConditions())
        .allSatisfy(
            c -> {
              assertThat(c.getObservedGeneration()).isEqualTo(7L);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-25T10:05:00Z");
            });
  }

  @Test
  void withoutALeaderTheLastKnownMembersStayAndBootstrappedIsKept() {
    DqliteCluster cr = Fixtures.cluster();
    DqliteClusterStatus before =
        StatusAggregator.aggregate(Observations.steady(cr, "0 1 2", "v0* v1 v2", "3z"));
    cr.setStatus(before);
    DqliteClusterStatus after =
        StatusAggregator.aggregate(Observations.steady(cr, "0 1 2", "", "3z"));
    assertThat(after.getMembers())
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(before.getMembers());
    assertThat(after.getBootstrapped()).isTrue();
    assertThat(after.getLeader()).isNull();
    assertThat(condition(after, ConditionTypes.DEGRADED).getReason()).isEqualTo("NoLeader");
  }

  @Test
  void transitionTimesChangeOnlyWithTheStatus() {
    DqliteCluster cr = Fixtures.cluster();
    DqliteClusterStatus first =
        StatusAggregator.aggregate(Observations.steady(cr, "0 1 2", "v0* v1 v2", "3z"));
    cr.setStatus(first);
    var later = Observations.NOW.plus(Duration.ofMinutes(3));
    DqliteClusterStatus second =
        StatusAggregator.aggregate(
            Observations.of(
                cr,
                "0 1 2!",
                "v0* v1 v2",
                "3z",
                new ScaleStep.Done(),
                Optional.of(new RollDecision.Done()),
                Optional.empty(),
                later));
    assertThat(condition(second, ConditionTypes.AVAILABLE).getLastTransitionTime())
        .isEqualTo("2026-11-25T10:05:00Z");
    assertThat(condition(second, ConditionTypes.READY).getLastTransitionTime())
        .isEqualTo("2026-11-25T10:08:00Z");
    assertThat(condition(second, ConditionTypes.READY).getStatus()).isEqualTo("False");
  }

  @Test
  void aSecondPassOverTheSameObservationChangesNothing() {
    DqliteCluster cr = Fixtures.cluster();
    DqliteClusterStatus first =
        StatusAggregator.aggregate(Observations.steady(cr, "0 1 2", "v0* v1 v2", "3z"));
    cr.setStatus(first);
    DqliteClusterStatus second =
        StatusAggregator.aggregate(
            Observations.of(
                cr,
                "0 1 2",
                "v0* v1 v2",
                "3z",
                new ScaleStep.Done(),
                Optional.of(new RollDecision.Done()),
                Optional.empty(),
                Observations.NOW.plusSeconds(30)));
    assertThat(second).usingRecursiveComparison().isEqualTo(first);
  }

  @Test
  void theScaleDownBookkeepingIsTheOneDecided() {
    ScaleDownStatus bookkeeping =
        new ScaleDownStatus(3, List.of(new ScaleDownStatus.Removal(4, "0x104")));
    var o = Observations.steady(Fixtures.cluster(), "0 1 2", "v0* v1 v2", "3z");
    var withBookkeeping =
        new Observation(
            o.cr(),
            o.statefulSet(),
            o.pods(),
            o.membership(),
            o.nodes(),
            o.scaleStep(),
            bookkeeping,
            o.roll(),
            o.failure(),
            o.tlsProblem(),
            o.clusterDomain(),
            o.now());
    assertThat(StatusAggregator.aggregate(withBookkeeping).getScaleDown()).isSameAs(bookkeeping);
  }

  private static Condition condition(DqliteClusterStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow();
  }
}
