package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

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
}
