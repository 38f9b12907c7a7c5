package io.dqlite.sidecar.roles;

import static io.dqlite.sidecar.roles.Spec.changes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which voters a leader about to stop tries for the leadership transfer; {@link Spec} notation. */
class TransferTargetsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          the other voters in listing order      | 1V 2V 3V 4SB              | 1 | 2,3
          leader listed in the middle            | 1V 2V 3V 4SB              | 2 | 1,3
          never the leader itself                | 1V                        | 1 | none
          never a stand-by or a spare            | 1V 2SB 3SP 4V             | 1 | 4
          offline voters are left out            | 1V 2V! 3V 4SB             | 1 | 3
          every other voter offline              | 1V 2V! 3V! 4SB            | 1 | none
          lower weight first                     | 1V 2V@0w7 3V@0w2 4V@0w5 5V | 1 | 5,3,4,2
          weight is unsigned                     | 1V 2V@0w18446744073709551615 3V@0w1 | 1 | 3,2
          failure domains do not matter          | 1V@1 2V@1 3V@2            | 1 | 2,3
          a leader that is not a listed voter    | 1SP 2V 3V                 | 1 | 2,3
          """)
  void of(String name, String cluster, long leader, String expected) {
    String targets =
        TransferTargets.of(changes("3/1", cluster), leader).stream()
            .map(n -> Long.toString(n.id()))
            .collect(Collectors.joining(","));
    assertThat(targets.isEmpty() ? "none" : targets).isEqualTo(expected);
  }
}
