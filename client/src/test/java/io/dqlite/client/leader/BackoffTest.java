package io.dqlite.client.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

  private static final Duration FACTOR = Duration.ofMillis(100);
  private static final Duration CAP = Duration.ofSeconds(1);

  @ParameterizedTest(name = "attempt {0}, jitter {1} -> {2} ms")
  @CsvSource({
    "1, 1.0, 200",
    "1, 0.0, 100",
    "2, 1.0, 400",
    "3, 1.0, 800",
    "4, 1.0, 1000",
    "4, 0.0, 500",
    "4, 0.5, 750",
    "30, 1.0, 1000",
    "62, 1.0, 1000",
    "1000, 0.0, 500"
  })
  void doublesFromTheFactorUpToTheCapWithJitterDownToHalf(int attempt, double jitter, long ms) {
    assertThat(Backoff.delay(attempt, FACTOR, CAP, jitter).toMillis()).isEqualTo(ms);
  }
}
