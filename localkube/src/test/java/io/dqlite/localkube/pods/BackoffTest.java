package io.dqlite.localkube.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void doublesUpToTheCapAndResetsAfterALongRun() {
    Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300));
    assertThat(b.onExit(T0, T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(11));
    b.onExit(T0, T0.plusSeconds(1));
    assertThat(b.current()).isEqualTo(Duration.ofSeconds(20));
    for (int i = 0; i < 10; i++) {
      b.onExit(T0, T0.plusSeconds(1));
    }
    assertThat(b.current()).isEqualTo(Duration.ofSeconds(300));
    b.onExit(T0, T0.plusSeconds(600));
    assertThat(b.current()).isEqualTo(Duration.ofSeconds(10));
  }
}
