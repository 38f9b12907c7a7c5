package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The run loop's pause before its next tick (durations in ms; the period is the adjustment's). */
class RunLoopDelayTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          start-up tick made the App ready       | 0    | DONE  | false | 30000 | 30000
          join failed                            | 0    | RETRY | false | 30000 | 1000
          no leader before ready: same pause     | 1000 | SAME  | false | 30000 | 1000
          no leader at the very start            | 0    | SAME  | false | 30000 | 0
          tick done after a retry: the period    | 1000 | DONE  | true  | 30000 | 30000
          unexpected failure once ready          | 30000| RETRY | true  | 30000 | 1000
          failure with a period under 1 s        | 300  | RETRY | true  | 300   | 300
          no leader once ready: same pause       | 30000| SAME  | true  | 30000 | 30000
          """)
  void nextDelay(
      String name,
      long current,
      RunLoop.Outcome outcome,
      boolean ready,
      long period,
      long expected) {
    assertThat(
            RunLoop.nextDelay(
                Duration.ofMillis(current), outcome, ready, Duration.ofMillis(period)))
        .isEqualTo(Duration.ofMillis(expected));
  }
}
