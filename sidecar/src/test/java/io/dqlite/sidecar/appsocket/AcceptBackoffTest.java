package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptBackoffTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "@dqlite: accept failed: [24] Too many open files | true",
        "Too many open files in system | true",
        "@dqlite: accept failed: [12] Cannot allocate memory | true",
        "[105] No buffer space available | true",
        "[103] Software caused connection abort | true",
        "unable to create native thread: possibly out of memory | true",
        "@dqlite: socket closed | false",
        "[9] Bad file descriptor | false",
        "[22] Invalid argument | false",
      })
  void transientErrorsAreThoseThatPass(String message, boolean isTransient) {
    assertThat(AcceptBackoff.isTransient(message)).isEqualTo(isTransient);
  }

  @Test
  void delaysDoubleToASecondAndOnlyTheFirstFailureOfAnEpisodeIsLogged() {
    AcceptBackoff b = new AcceptBackoff(Duration.ofSeconds(60));
    long t = 0;
    AcceptBackoff.Step first = b.failed(t, "EMFILE");
    assertThat(first.firstOfEpisode()).isTrue();
    assertThat(first.delayNanos()).isEqualTo(Duration.ofMillis(10).toNanos());
    long last = 0;
    for (int i = 0; i < 20; i++) {
      AcceptBackoff.Step s = b.failed(t, "EMFILE");
      assertThat(s.firstOfEpisode()).isFalse();
      assertThat(s.delayNanos()).isGreaterThanOrEqualTo(last);
      last = s.delayNanos();
    }
    assertThat(last).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(b.succeeded(Duration.ofSeconds(3).toNanos())).contains(Duration.ofSeconds(3));
    assertThat(b.succeeded(Duration.ofSeconds(4).toNanos())).isEmpty();
    AcceptBackoff.Step again = b.failed(Duration.ofSeconds(5).toNanos(), "ENFILE");
    assertThat(again.firstOfEpisode()).isTrue();
    assertThat(again.delayNanos()).isEqualTo(Duration.ofMillis(10).toNanos());
  }

  @Test
  void anEpisodeLongerThanTheBoundIsAProblemUntilItEnds() {
    AcceptBackoff b = new AcceptBackoff(Duration.ofSeconds(60));
    long t0 = 1_000;
    b.failed(t0, "[24] Too many open files");
    assertThat(b.problem(t0 + Duration.ofSeconds(59).toNanos())).isEmpty();
    b.failed(t0 + Duration.ofSeconds(61).toNanos(), "[24] Too many open files");
    assertThat(b.problem(t0 + Duration.ofSeconds(61).toNanos()))
        .get()
        .asString()
        .contains("61 s")
        .contains("2 tries")
        .contains("Too many open files");
    b.succeeded(t0 + Duration.ofSeconds(62).toNanos());
    assertThat(b.problem(t0 + Duration.ofSeconds(63).toNanos())).isEmpty();
  }
}
