package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.roles.Spec;

import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The order of a handover's steps: the leader transfers before any role changes. */
class HandoverPlanTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          leader with a candidate for its role   | true  | true  | TRANSFER PROMOTE DEMOTE
          leader without a candidate             | true  | false | TRANSFER
          follower voter or stand-by             | false | true  | PROMOTE DEMOTE
          spare, or nobody to take the role      | false | false | none
          """)
  void steps(String name, boolean leader, boolean roleToPass, String expected) {
    String steps =
        HandoverPlan.steps(leader, roleToPass).stream()
            .map(Enum::name)
            .collect(Collectors.joining(" "));
    assertThat(steps.isEmpty() ? "none" : steps).isEqualTo(expected);
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
}
