package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeRole;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link StepDown#decide}: every branch, one row each. */
class StepDownTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          fit, unmarked: nothing                      | false | false | VOTER   | true  | -  | -
          fit again: restore the weight               | false | true  | VOTER   | true  | 1  | unmark
          unfit leader: mark and hand over            | true  | false | VOTER   | true  | -  | mark handOver
          unfit leader, marked: hand over             | true  | true  | VOTER   | true  | -  | handOver
          unfit voter, not leading: hand over         | true  | true  | VOTER   | false | -  | handOver
          unfit leader listed as spare: hand over     | true  | true  | SPARE   | true  | -  | handOver
          unfit stand-by: keeps its role              | true  | false | STANDBY | false | -  | mark
          unfit spare: nothing to give                | true  | true  | SPARE   | false | -  | -
          not listed: nothing to give                 | true  | true  | -       | false | -  | -
          handed over 9 s ago: not yet again          | true  | true  | VOTER   | true  | 9  | -
          handed over 10 s ago: again                 | true  | true  | VOTER   | true  | 10 | handOver
          """)
  void decide(
      String name,
      boolean unfit,
      boolean marked,
      NodeRole role,
      boolean leading,
      Integer secondsSince,
      String expected) {
    StepDown.Decision d =
        StepDown.decide(
            unfit,
            marked,
            Optional.ofNullable(role),
            leading,
            secondsSince == null ? null : Duration.ofSeconds(secondsSince));
    StringBuilder actions = new StringBuilder();
    if (d.mark()) {
      actions.append(" mark");
    }
    if (d.unmark()) {
      actions.append(" unmark");
    }
    if (d.handOver()) {
      actions.append(" handOver");
    }
    assertThat(actions.toString().strip()).isEqualTo(expected == null ? "" : expected);
  }
}
