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
          an unfit voter last, however quick     | 1V 2V@0w9223372036854775807t0 3Vt1500 | 1 | 3,2
          failure domains do not matter          | 1V@1 2V@1 3V@2            | 1 | 2,3
          quicker answer first                   | 1V 2Vt900 3Vt20           | 1 | 3,2
          answers in one 100 ms step are equal    | 1V 2Vt99 3Vt0             | 1 | 2,3
          next step is later                     | 1V 2Vt100 3Vt99           | 1 | 3,2
          weight before answer time              | 1V 2V@0w1t0 3V@0w2t1500   | 1 | 2,3
          a slow answer is still a target        | 1V 2Vt1900 3V!            | 1 | 2
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
