package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.ScaleDownStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scale plan, state by state; the notation is {@link Notation}'s. */
class ScalePlannerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                | want | sts | members                 | bookkeeping before           | retain | next        | bookkeeping after            | condemned | reason contains
          steady                                | 3    | 3   | v0* v1 v2               |                              | false  | done        |                              |           |
          first creation, no leader yet         | 3    | 0   |                         |                              | false  | grow 3      |                              |           |
          scale up                              | 5    | 3   | v0* v1 v2               |                              | false  | grow 5      |                              |           |
          scale up while the cluster is down    | 5    | 3   | v0 v1! v2!              |                              | false  | grow 5      |                              |           |
          stand-bys leave without a drain       | 3    | 5   | v0* v1 v2 s3 s4         |                              | false  | remove 4    | 4:0x104 3:0x103              | 4 3       | pod 4
          the leader hands over first           | 3    | 5   | v0 v1 s2 s3 v4*         |                              | false  | drain 4     | 4:0x104 3:0x103              | 4 3       | leads
          a voter with a staying replacement    | 3    | 5   | v0* v1 s2 s3 v4         |                              | false  | drain 4     | 4:0x104 3:0x103              | 4 3       | promote
          a voter with no replacement left      | 3    | 5   | v0* v1 s2! s3 v4        |                              | false  | remove 4    | 4:0x104 3:0x103              | 4 3       |
          removal would break the quorum        | 2    | 3   | v0* v1! v2              |                              | false  | wait        | 2:0x102                      | 2         | short of a quorum
          an offline voter is removed           | 2    | 3   | v0* v1 v2!              |                              | false  | remove 2    | 2:0x102                      | 2         |
          resume: 4 already gone, never twice   | 3    | 5   | v0* v1 v2 s3            | 4:0x104 3:0x103              | false  | remove 3    | 4:0x104 3:0x103              | 3         | pod 3
          every member gone: shrink             | 3    | 5   | v0* v1 v2               | 4:0x104 3:0x103              | false  | shrink 3    | 4:0x104 3:0x103              |           |
          shrunk, volumes deleted: forget       | 3    | 3   | v0* v1 v2               | 4:0x104 3:0x103              | false  | done        |                              |           |
          shrunk, volumes retained: remember    | 3    | 3   | v0* v1 v2               | 4:0x104 3:0x103              | true   | done        | 4:0x104 3:0x103              |           |
          scale up over retained volumes        | 5    | 3   | v0* v1 v2               | 4:0x104 3:0x103              | true   | recycle 3   | 4:0x104 3:0x103              |           | removed from raft
          one recycled, the next                | 5    | 3   | v0* v1 v2               | 4:0x104 3:0x103+r            | true   | recycle 4   | 4:0x104 3:0x103+r            |           |
          both recycled: grow                   | 5    | 3   | v0* v1 v2               | 4:0x104+r 3:0x103+r          | true   | grow 5      | 4:0x104+r 3:0x103+r          |           |
          3 rejoined, 4 still joining           | 5    | 5   | v0* v1 v2 p3@203        | 4:0x104+r 3:0x103+r          | true   | wait        | 4:0x104+r                    |           | pod 4 is rejoining
          all rejoined                          | 5    | 5   | v0* v1 v2 p3@203 p4@204 | 4:0x104+r                    | true   | done        |                              |           |
          cancelled before any removal          | 5    | 5   | v0* v1 v2 s3 s4         | 4:0x104 3:0x103              | false  | done        |                              |           |
          cancelled after 4 left raft           | 5    | 5   | v0* v1 v2 s3            | 4:0x104 3:0x103              | false  | recycle 4   | 4:0x104                      |           |
          no leader: no membership change      | 3    | 5   | v0 v1 v2 s3 s4          | 4:0x104                      | false  | wait        | 4:0x104                      |           | no raft leader
          no leader: no shrink                  | 3    | 5   | v0! v1 v2               |                              | false  | wait        |                              |           | no raft leader
          a condemned pod rejoined under a new id | 3  | 5   | v0* v1 v2 p4@204        | 4:0x104 3:0x103              | false  | remove 4    | 4:0x104 4:0x204 3:0x103      | 4         |
          nodes outside the pods are left alone | 3    | 3   | v0* v1 v2 px            |                              | false  | done        |                              |           |
          """)
  void next(
      String description,
      int desired,
      int statefulSetReplicas,
      String members,
      String before,
      boolean retain,
      String expectedStep,
      String expectedBookkeeping,
      String expectedCondemned,
      String reasonFragment) {
    ScalePlan plan =
        ScalePlanner.plan(
            desired,
            statefulSetReplicas,
            Notation.members(members),
            Notation.bookkeeping(desired, before),
            retain);
    assertThat(Notation.step(plan.next())).isEqualTo(expectedStep);
    assertThat(Notation.bookkeeping(plan.bookkeeping()))
        .isEqualTo(expectedBookkeeping == null ? "" : expectedBookkeeping);
    assertThat(plan.condemned())
        .containsExactlyElementsOf(
            expectedCondemned == null
                ? List.of()
                : Arrays.stream(expectedCondemned.split(" ")).map(Integer::valueOf).toList());
    if (reasonFragment != null) {
      assertThat(plan.next().reason()).contains(reasonFragment);
    }
  }

  /**
   * Shrunk from five to three with volumes retained: each entry stays while its claim does, and
   * goes when a person deletes the claim, not never.
   */
  @ParameterizedTest(name = "retained, claims left [{0}]: bookkeeping [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {"4 3 | 4:0x104 3:0x103", "4 | 4:0x104", "''| ''"})
  void aRetainedRemovalIsRememberedUntilItsClaimIsDeleted(String claimsLeft, String expected) {
    Set<Integer> claims =
        claimsLeft.isBlank()
            ? Set.of()
            : Arrays.stream(claimsLeft.trim().split(" "))
                .map(Integer::valueOf)
                .collect(Collectors.toSet());
    ScalePlan plan =
        ScalePlanner.plan(
            3,
            3,
            Notation.members("v0* v1 v2"),
            Notation.bookkeeping(3, "4:0x104 3:0x103"),
            true,
            claims);
    assertThat(Notation.step(plan.next())).isEqualTo("done");
    assertThat(Notation.bookkeeping(plan.bookkeeping())).isEqualTo(expected.trim());
  }

  /** Shrunk from five to three with volumes deleted when scaled: the record outlives each claim. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                  | claims left | bookkeeping after
          both claims gone: forget                |             |
          claim 4 still there: remember it        | 4           | 4:0x104
          both claims still there                 | 4 3         | 4:0x104 3:0x103
          """)
  void aRemovalScaledAwayIsRememberedUntilItsClaimIsGone(
      String description, String claimsLeft, String expectedBookkeeping) {
    Set<Integer> claims =
        claimsLeft == null
            ? Set.of()
            : Arrays.stream(claimsLeft.split(" "))
                .map(Integer::valueOf)
                .collect(Collectors.toSet());
    ScalePlan plan =
        ScalePlanner.plan(
            3,
            3,
            Notation.members("v0* v1 v2"),
            Notation.bookkeeping(3, "4:0x104 3:0x103"),
            false,
            claims);
    assertThat(Notation.step(plan.next())).isEqualTo("done");
    assertThat(Notation.bookkeeping(plan.bookkeeping()))
        .isEqualTo(expectedBookkeeping == null ? "" : expectedBookkeeping);
  }

  @Test
  void markRecycledMarksOnlyThatOrdinal() {
    ScaleDownStatus marked =
        ScalePlanner.markRecycled(Notation.bookkeeping(5, "4:0x104 3:0x103"), 3);
    assertThat(Notation.bookkeeping(marked)).isEqualTo("4:0x104 3:0x103+r");
  }

  // Scenarios: a toy cluster that does what each step asks, until the plan is done.

  @Test
  void fiveToThreeWithTheLeaderOnPodFour() {
    assertThat(run(3, 5, "v0 v1 s2 s3 v4*"))
        .containsExactly("drain 4", "remove 4", "remove 3", "shrink 3", "done");
  }

  @Test
  void threeToOne() {
    assertThat(run(1, 3, "v0 v1 v2*"))
        .containsExactly("drain 2", "remove 2", "remove 1", "shrink 1", "done");
  }

  @Test
  void interruptedAfterARemovalResumesWithoutRemovingTwice() {
    ToyCluster cluster = new ToyCluster(5, "v0* v1 v2 s3 s4");
    List<String> steps = new ArrayList<>();
    steps.add(cluster.step(3)); // remove 4
    ScaleDownStatus saved = cluster.bookkeeping;
    // The operator restarts: a new cluster view, the status read back.
    ToyCluster resumed = new ToyCluster(cluster.replicas, cluster.members);
    resumed.bookkeeping = saved;
    while (!steps.get(steps.size() - 1).equals("done")) {
      steps.add(resumed.step(3));
    }
    assertThat(steps).containsExactly("remove 4", "remove 3", "shrink 3", "done");
    assertThat(resumed.removed).containsExactly(0x103L);
  }

  private static List<String> run(int desired, int replicas, String members) {
    ToyCluster cluster = new ToyCluster(replicas, members);
    List<String> steps = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      steps.add(cluster.step(desired));
      if (steps.get(steps.size() - 1).equals("done")) {
        return steps;
      }
    }
    throw new AssertionError("no end after 20 steps: " + steps);
  }

  /** Applies steps the way the cluster would answer them, for scenario tests. */
  private static final class ToyCluster {
    int replicas;
    List<Member> members;
    ScaleDownStatus bookkeeping;
    final List<Long> removed = new ArrayList<>();

    ToyCluster(int replicas, String members) {
      this(replicas, Notation.members(members));
    }

    ToyCluster(int replicas, List<Member> members) {
      this.replicas = replicas;
      this.members = new ArrayList<>(members);
    }

    String step(int desired) {
      ScalePlan plan = ScalePlanner.plan(desired, replicas, members, bookkeeping, false);
      bookkeeping = plan.bookkeeping();
      ScaleStep step = plan.next();
      if (step instanceof ScaleStep.Drain d) {
        drain(d.id());
      } else if (step instanceof ScaleStep.Remove r) {
        assertThat(members.stream().anyMatch(m -> m.id() == r.id())).isTrue();
        members.removeIf(m -> m.id() == r.id());
        removed.add(r.id());
      } else if (step instanceof ScaleStep.Shrink s) {
        replicas = s.replicas();
      }
      return Notation.step(step);
    }

    /**
     * go-dqlite's Handover: a voter or stand-by promotes an online stand-by or spare (stand-bys
     * first) to its role; a leader passes leadership to another online voter; if it promoted
     * someone, it demotes itself to spare.
     */
    private void drain(long id) {
      Member self = find(id);
      boolean promoted = false;
      if (self.role() != NodeRole.SPARE) {
        var candidate =
            members.stream()
                .filter(m -> m.online() && m.id() != id)
                .filter(
                    m ->
                        m.role() == NodeRole.SPARE
                            || (self.isVoter() && m.role() == NodeRole.STANDBY))
                .min(java.util.Comparator.comparing(Member::role));
        if (candidate.isPresent()) {
          replace(candidate.get(), self.role(), false);
          promoted = true;
        }
      }
      if (self.leader()) {
        members.stream()
            .filter(m -> m.online() && m.isVoter() && m.id() != id)
            .findFirst()
            .ifPresent(m -> replace(m, m.role(), true));
      }
      replace(find(id), promoted ? NodeRole.SPARE : self.role(), false);
    }

    private Member find(long id) {
      return members.stream().filter(m -> m.id() == id).findFirst().orElseThrow();
    }

    private void replace(Member m, NodeRole role, boolean leader) {
      members.set(
          members.indexOf(m),
          new Member(m.id(), m.address(), m.ordinal(), role, m.online(), leader));
    }
  }

  @Test
  void ordinalNotationSanity() {
    assertThat(Notation.members("v0* px").get(1).ordinal()).isEqualTo(OptionalInt.empty());
  }
}
