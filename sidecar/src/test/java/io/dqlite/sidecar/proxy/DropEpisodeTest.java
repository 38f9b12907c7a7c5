package io.dqlite.sidecar.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.proxy.DropEpisode.Log;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Drops become a first line, periodic summaries while they go on, and a last summary. */
class DropEpisodeTest {

  private static long at(Duration d) {
    return 1_000_000_000_000L + d.toNanos();
  }

  @Test
  void thousandsOfDropsGiveAFirstLineAndOneSummary() {
    DropEpisode e = new DropEpisode();
    assertThat(e.drop("handshakes_per_source", at(Duration.ZERO))).isEqualTo(Log.FIRST);
    for (int i = 1; i < 5000; i++) {
      assertThat(
              e.drop(
                  i % 2 == 0 ? "handshakes_per_source" : "handshake_failed",
                  at(Duration.ofMillis(i))))
          .isEqualTo(Log.NOTHING);
    }
    assertThat(e.endIfQuiet(at(Duration.ofSeconds(14)))).as("not quiet long enough").isNull();
    assertThat(e.endIfQuiet(at(Duration.ofSeconds(15))))
        .isEqualTo("handshake_failed 2500, handshakes_per_source 2500 in 4 s");
    assertThat(e.endIfQuiet(at(Duration.ofSeconds(30)))).as("ended once").isNull();
    assertThat(e.drop("connections", at(Duration.ofSeconds(31))))
        .as("a new episode")
        .isEqualTo(Log.FIRST);
    assertThat(e.summary()).isEqualTo("connections 1");
  }

  @Test
  void dropsThatNeverStopAreSummedUpEveryMinute() {
    DropEpisode e = new DropEpisode();
    assertThat(e.drop("handshake_failed", at(Duration.ZERO))).isEqualTo(Log.FIRST);
    assertThat(e.drop("handshake_failed", at(Duration.ofSeconds(59)))).isEqualTo(Log.NOTHING);
    assertThat(e.drop("handshake_failed", at(Duration.ofSeconds(60)))).isEqualTo(Log.SUMMARY);
    assertThat(e.seconds(at(Duration.ofSeconds(60)))).isEqualTo(60);
    assertThat(e.drop("handshake_failed", at(Duration.ofSeconds(119)))).isEqualTo(Log.NOTHING);
    assertThat(e.drop("handshake_failed", at(Duration.ofSeconds(120)))).isEqualTo(Log.SUMMARY);
  }
}
