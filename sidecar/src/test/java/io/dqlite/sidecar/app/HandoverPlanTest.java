package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.roles.Spec;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The order of a handover's steps, and when a leader may demote itself. */
class HandoverPlanTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          leader with a candidate for its role   | true  | true  | true  | TRANSFER PROMOTE DEMOTE
          leader without a candidate             | true  | false | true  | TRANSFER
          only online voter, with a candidate    | true  | true  | false | PROMOTE TRANSFER DEMOTE
          only online voter, nobody to promote   | true  | false | false | none
          follower voter or stand-by             | false | true  | false | PROMOTE DEMOTE
          spare, or nobody to take the role      | false | false | false | none
          """)
  void steps(String name, boolean leader, boolean roleToPass, boolean otherVoter, String expected) {
    assertThat(names(HandoverPlan.steps(leader, roleToPass, otherVoter))).isEqualTo(expected);
  }

  /** The plan from a snapshot: who leads, who is online, who could take the role. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          leader of 3 voters and a stand-by      | 1V 2V 3V 4SB      | 1 | true  | TRANSFER PROMOTE DEMOTE
          leader of 3 voters, no candidate       | 1V 2V 3V          | 1 | true  | TRANSFER
          leader of 2: one voter and a spare     | 1V 2SP            | 1 | true  | PROMOTE TRANSFER DEMOTE
          leader of 2: one voter and a stand-by  | 1V 2SB            | 1 | true  | PROMOTE TRANSFER DEMOTE
          leader whose other voters are offline  | 1V 2V! 3V! 4SP    | 1 | true  | PROMOTE TRANSFER DEMOTE
          leader of 2, the spare offline         | 1V 2SP!           | 1 | true  | none
          leader alone                           | 1V                | 1 | true  | none
          the spare of 2                         | 1V 2SP            | 2 | false | none
          follower voter with a spare            | 1V 2V 3V 4SP      | 2 | false | PROMOTE DEMOTE
          stand-by with a spare                  | 1V 2V 3V 4SB 5SP  | 4 | false | PROMOTE DEMOTE
          """)
  void stepsFromSnapshot(String name, String cluster, long self, boolean leader, String expected) {
    assertThat(names(HandoverPlan.steps(Spec.changes("3/1", cluster), self, leader)))
        .isEqualTo(expected);
  }

  /**
   * A leader whose transfers all failed demotes itself only when the voters left without it (the
   * one it promoted included) have an online majority; otherwise the demotion could not commit.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          3 voters, stand-by promoted             | 1V 2V 3V 4SB     | 4 | true
          3 voters, one offline, spare promoted   | 1V 2V 3V! 4SP    | 4 | true
          3 voters, both others offline           | 1V 2V! 3V! 4SP   | 4 | false
          2 members, spare promoted               | 1V 2SP           | 2 | true
          5 voters, two others offline            | 1V 2V 3V 4V! 5V! 6SB | 6 | true
          5 voters, three others offline          | 1V 2V 3V! 4V! 5V! 6SB | 6 | false
          """)
  void demoteWhileLeading(String name, String cluster, long promoted, boolean expected) {
    assertThat(HandoverPlan.demoteWhileLeading(Spec.changes("3/1", cluster), 1, promoted))
        .isEqualTo(expected);
  }

  private static String names(List<HandoverPlan> steps) {
    String names = steps.stream().map(Enum::name).collect(Collectors.joining(" "));
    return names.isEmpty() ? "none" : names;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          voter, offline stand-by                 | 1V 2V 3V 4SB!         | 1 | true
          voter, offline spare                    | 1V 2V 3V 4SP!         | 1 | true
          voter, a candidate answered             | 1V 2V 3V 4SB 5SP!     | 1 | false
          voter, only another voter offline       | 1V 2V 3V!             | 1 | false
          voter, nobody else                      | 1V 2V 3V              | 1 | false
          stand-by, offline spare                 | 1V 2V 3V 4SB 5SP!     | 4 | true
          stand-by, offline stand-by is no candidate | 1V 2V 3V 4SB 5SB!  | 4 | false
          spare never hands over                  | 1V 2V 3V 4SP 5SP!     | 4 | false
          not a member                            | 1V 2V 3V 4SB!         | 9 | false
          """)
  void probeAgain(String name, String cluster, long self, boolean expected) {
    assertThat(HandoverPlan.probeAgain(Spec.changes("3/1", cluster), self)).isEqualTo(expected);
  }

  /**
   * Members about to be removed (the operator's exclude list) are neither transfer targets nor
   * promotion candidates: without the list the leader would give them leadership or its role.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          leader of 3 voters, 2 excluded         | 1V 2V 3V          | 1 | 2     | 3   | -
          leader of 3 voters, 3 excluded         | 1V 2V 3V          | 1 | 3     | 2   | -
          leader of 3 voters, both excluded      | 1V 2V 3V          | 1 | 2,3   | -   | -
          voter: the excluded spare is skipped   | 1V 2V 3V 4SP 5SP  | 2 | 4     | 1,3 | 5
          voter: the only spare excluded         | 1V 2V 3V 4SP      | 2 | 4     | 1,3 | -
          stand-by: the excluded spare skipped   | 1V 2V 3V 4SB 5SP  | 4 | 5     | 1,2,3 | -
          self is never excluded                 | 1V 2V 3V          | 1 | 1     | 2,3 | -
          nothing excluded                       | 1V 2V 3V 4SP      | 2 | -     | 1,3 | 4
          """)
  void excludedNodesGetNeitherLeadershipNorTheRole(
      String name, String cluster, long self, String exclude, String targets, String candidate) {
    java.util.Set<Long> excluded =
        "-".equals(exclude)
            ? java.util.Set.of()
            : java.util.Arrays.stream(exclude.split(","))
                .map(Long::parseLong)
                .collect(Collectors.toSet());
    var changes = HandoverPlan.excluding(Spec.changes("3/1", cluster), excluded, self);
    assertThat(
            io.dqlite.sidecar.roles.TransferTargets.of(changes, self).stream()
                .map(n -> String.valueOf(n.id()))
                .sorted()
                .collect(Collectors.joining(",")))
        .isEqualTo("-".equals(targets) ? "" : targets);
    assertThat(
            changes
                .handover(self)
                .map(
                    c ->
                        c.candidates().stream()
                            .map(n -> String.valueOf(n.id()))
                            .collect(Collectors.joining(",")))
                .filter(c -> !c.isEmpty())
                .orElse("-"))
        .isEqualTo(candidate);
  }
}
