package io.dqlite.operator.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.DqliteException;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.kube.WorkloadActions;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.SidecarAdmin.HandoverResult;
import io.dqlite.operator.plan.Decision;
import io.dqlite.operator.plan.RollDecision;
import io.dqlite.operator.plan.ScalePlan;
import io.dqlite.operator.plan.ScaleStep;
import io.dqlite.operator.status.ClusterEvent;
import io.dqlite.operator.testing.FakeRaft;
import io.dqlite.operator.testing.FakeSidecars;
import io.dqlite.operator.testing.FakeWorkloads;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StepRunnerTest {

  final DqliteCluster cr = Fixtures.cluster(spec -> spec.setReplicas(3));
  final FakeSidecars sidecars = new FakeSidecars();
  final FakeRaft raft = new FakeRaft();
  final FakeWorkloads workloads = new FakeWorkloads();
  final StepRunner runner = new StepRunner(sidecars, raft, workloads, Fixtures.DOMAIN);
  final List<Pod> pods = Fixtures.pods(5);
  final ScaleDownStatus bookkeeping =
      new ScaleDownStatus(
          3,
          List.of(
              new ScaleDownStatus.Removal(4, "0x104"), new ScaleDownStatus.Removal(3, "0x103")));

  StepResult take(ScaleStep step, Membership membership) {
    return take(step, Optional.empty(), membership);
  }

  StepResult take(ScaleStep step, Optional<RollDecision> roll, Membership membership) {
    Decision d = new Decision(new ScalePlan(step, List.of(), bookkeeping), false, roll);
    return runner.take(cr, d, OptionalInt.of(5), pods, membership, Fixtures.TOKEN);
  }

  @Test
  void aDrainAsksThePodsSidecarToHandOver() {
    sidecars.handover(Fixtures.ip(4), new HandoverResult(200, "success", null, "spare"));
    StepResult r =
        take(new ScaleStep.Drain(4, 0x104, "pod 4 leads"), Fixtures.membership("v0 v1 v2 s3 v4*"));
    assertThat(sidecars.handedOver).containsExactly(FakeSidecars.uri(Fixtures.ip(4)));
    assertThat(sidecars.handoverIds).as("the planned member's id").containsExactly(0x104L);
    assertThat(sidecars.excludes)
        .as("the other member leaving gets neither leadership nor the role")
        .containsExactly(java.util.Set.of(0x103L));
    assertThat(sidecars.tokens).containsExactly(Fixtures.TOKEN);
    assertThat(r.acted()).isTrue();
    assertThat(r.failure()).isEmpty();
    assertThat(r.events()).extracting(ClusterEvent::reason).containsExactly("ScaleDown");
    assertThat(r.bookkeeping()).isSameAs(bookkeeping);
  }

  @Test
  void leavingMembersAreTheRecordedRemovalsButTheNodeAndRecycledOnes() {
    assertThat(StepRunner.leaving(bookkeeping, 0x104)).containsExactly(0x103L);
    assertThat(StepRunner.leaving(bookkeeping, 0x100)).containsExactly(0x103L, 0x104L);
    assertThat(StepRunner.leaving(null, 0x100)).isEmpty();
    ScaleDownStatus.Removal recycled = new ScaleDownStatus.Removal(2, "0x102");
    recycled.setRecycled(true);
    ScaleDownStatus withRecycled =
        new ScaleDownStatus(3, List.of(recycled, new ScaleDownStatus.Removal(4, "0x104")));
    assertThat(StepRunner.leaving(withRecycled, 0x100)).containsExactly(0x104L);
  }

  @Test
  void aRefusedDrainIsAFailure() {
    sidecars.handover(Fixtures.ip(4), new HandoverResult(409, null, "node not ready", null));
    StepResult r =
        take(new ScaleStep.Drain(4, 0x104, "pod 4 leads"), Fixtures.membership("v0 v1 v2 s3 v4*"));
    assertThat(r.acted()).isFalse();
    assertThat(r.failure())
        .hasValueSatisfying(
            f -> assertThat(f).contains("db-4").contains("409").contains("node not ready"));
    assertThat(r.events()).singleElement().satisfies(e -> assertThat(e.warning()).isTrue());
  }

  @Test
  void aRemovalGoesThroughTheLeaderAtItsPodIp() {
    StepResult r =
        take(
            new ScaleStep.Remove(4, 0x104, "pod 4 leaves raft"),
            Fixtures.membership("v0 v1* v2 s3 s4"));
    assertThat(raft.removals).containsExactly(Fixtures.ip(1) + ":9001 0x104");
    assertThat(r.acted()).isTrue();
    assertThat(r.events())
        .singleElement()
        .satisfies(e -> assertThat(e.note()).contains("removed member 0x104 (db-4)"));
  }

  @Test
  void aFailedRemovalIsReportedNotThrown() {
    raft.removeFailure = new DqliteException(0, "not leader", "x");
    StepResult r =
        take(new ScaleStep.Remove(4, 0x104, "leaves"), Fixtures.membership("v0 v1* v2 s3 s4"));
    assertThat(r.acted()).isFalse();
    assertThat(r.failure())
        .hasValueSatisfying(
            f ->
                assertThat(f)
                    .contains("0x104")
                    .contains(Fixtures.ip(1) + ":9001")
                    .contains("not leader"));
  }

  @Test
  void recyclingDeletesTheClaimThenTheRunningPodAndMarksIt() {
    StepResult r =
        take(new ScaleStep.Recycle(3, "removed from raft"), Fixtures.membership("v0* v1 v2"));
    assertThat(workloads.deleted).containsExactly("claim 3", "pod 3");
    assertThat(r.bookkeeping().getRemovals())
        .filteredOn(x -> x.getOrdinal() == 3)
        .singleElement()
        .satisfies(x -> assertThat(x.getRecycled()).isTrue());
  }

  @Test
  void recyclingAPodAboveTheStatefulSetDeletesOnlyTheClaim() {
    Decision d =
        new Decision(
            new ScalePlan(new ScaleStep.Recycle(4, "retained"), List.of(), bookkeeping),
            false,
            Optional.empty());
    runner.take(cr, d, OptionalInt.of(3), pods, Fixtures.membership("v0* v1 v2"), Fixtures.TOKEN);
    assertThat(workloads.deleted).containsExactly("claim 4");
  }

  @Test
  void growAndShrinkOnlyReport() {
    StepResult r =
        take(new ScaleStep.Shrink(3, "every member left"), Fixtures.membership("v0* v1 v2"));
    assertThat(r.events())
        .singleElement()
        .satisfies(e -> assertThat(e.note()).startsWith("StatefulSet replicas 5 → 3"));
    assertThat(workloads.deleted).isEmpty();
    assertThat(raft.removals).isEmpty();
  }

  @Test
  void aRollingRestartOfTheLeaderHandsOverFirst() {
    sidecars.handover(Fixtures.ip(0), new HandoverResult(200, "success", null, "voter"));
    StepResult r =
        take(
            new ScaleStep.Done(),
            Optional.of(new RollDecision.Restart(0, "pod 0 is outdated")),
            Fixtures.membership("v0* v1 v2"));
    assertThat(sidecars.handedOver).containsExactly(FakeSidecars.uri(Fixtures.ip(0)));
    assertThat(sidecars.handoverIds).as("the leader's id").containsExactly(0x100L);
    assertThat(sidecars.excludes)
        .as("members of a pending scale-down are not handed the leadership")
        .containsExactly(java.util.Set.of(0x103L, 0x104L));
    assertThat(sidecars.tokens).containsExactly(Fixtures.TOKEN);
    assertThat(workloads.deleted).containsExactly("pod 0");
    assertThat(r.events())
        .extracting(ClusterEvent::reason)
        .containsExactly("RollingUpdate", "RollingUpdate");
  }

  @Test
  void aRollingRestartGoesOnWhenTheHandoverIsRefused() {
    StepResult r =
        take(
            new ScaleStep.Done(),
            Optional.of(new RollDecision.Restart(0, "pod 0 is outdated")),
            Fixtures.membership("v0* v1 v2"));
    assertThat(workloads.deleted).containsExactly("pod 0");
    assertThat(r.failure()).isEmpty();
    assertThat(r.events())
        .extracting(ClusterEvent::reason)
        .containsExactly("HandoverFailed", "RollingUpdate");
  }

  @Test
  void aFollowerRestartsWithoutHandover() {
    take(
        new ScaleStep.Done(),
        Optional.of(new RollDecision.Restart(2, "outdated")),
        Fixtures.membership("v0* v1 v2"));
    assertThat(sidecars.handedOver).isEmpty();
    assertThat(workloads.deleted).containsExactly("pod 2");
  }

  @Test
  void recordingFirstTakesNoStep() {
    Decision d =
        new Decision(
            new ScalePlan(new ScaleStep.Remove(4, 0x104, "x"), List.of(4), bookkeeping),
            true,
            Optional.empty());
    StepResult r =
        runner.take(cr, d, OptionalInt.of(5), pods, Fixtures.membership("v0*"), Fixtures.TOKEN);
    assertThat(r.acted()).isTrue();
    assertThat(r.bookkeeping()).isSameAs(bookkeeping);
    assertThat(raft.removals).isEmpty();
  }

  @Test
  void aRestartEvictsThePodTheDecisionSawByItsUid() {
    take(
        new ScaleStep.Done(),
        Optional.of(new RollDecision.Restart(2, "outdated")),
        Fixtures.membership("v0* v1 v2"));
    assertThat(workloads.evictionUids).containsExactly("2 uid-db-2");
  }

  @Test
  void anEvictionRefusedByTheBudgetChangesNothingAndIsReportedAsAFailure() {
    workloads.answers.put(2, WorkloadActions.Eviction.REFUSED_BY_BUDGET);
    StepResult r =
        take(
            new ScaleStep.Done(),
            Optional.of(new RollDecision.Restart(2, "outdated")),
            Fixtures.membership("v0* v1 v2"));
    assertThat(workloads.deleted).isEmpty();
    assertThat(r.acted()).isFalse();
    assertThat(r.failure())
        .hasValueSatisfying(f -> assertThat(f).contains("db-2").contains("PodDisruptionBudget"));
    assertThat(r.events()).isEmpty();
  }

  @Test
  void aRecreatedPodIsNotEvictedAndTheNextPassDecidesAgain() {
    workloads.answers.put(2, WorkloadActions.Eviction.STALE);
    StepResult r =
        take(
            new ScaleStep.Done(),
            Optional.of(new RollDecision.Restart(2, "outdated")),
            Fixtures.membership("v0* v1 v2"));
    assertThat(r.acted()).isFalse();
    assertThat(r.failure()).isEmpty();
    assertThat(r.events())
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("EvictionSkipped"));
  }

  @Test
  void aRecycleWhoseEvictionIsRefusedIsNotMarkedAndIsTakenAgain() {
    workloads.answers.put(3, WorkloadActions.Eviction.REFUSED_BY_BUDGET);
    StepResult r =
        take(new ScaleStep.Recycle(3, "removed from raft"), Fixtures.membership("v0* v1 v2"));
    assertThat(workloads.deleted).containsExactly("claim 3");
    assertThat(r.failure()).isPresent();
    assertThat(r.bookkeeping()).isSameAs(bookkeeping);
  }
}
