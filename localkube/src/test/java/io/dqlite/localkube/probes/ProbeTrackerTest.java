package io.dqlite.localkube.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Probe probe(int delay, int period, int success, int failure) {
    return new ProbeBuilder()
        .withInitialDelaySeconds(delay)
        .withPeriodSeconds(period)
        .withSuccessThreshold(success)
        .withFailureThreshold(failure)
        .build();
  }

  @Test
  void firstRunAfterTheInitialDelayThenEveryPeriod() {
    ProbeTracker t = new ProbeTracker(probe(5, 2, 1, 3), T0, false);
    assertThat(t.due(T0.plusSeconds(4))).isFalse();
    assertThat(t.due(T0.plusSeconds(5))).isTrue();
    t.record(true, "", T0.plusSeconds(5));
    assertThat(t.due(T0.plusSeconds(6))).isFalse();
    assertThat(t.nextRun()).isEqualTo(T0.plusSeconds(7));
  }

  @Test
  void flipsOnlyAfterTheThresholdsInARow() {
    ProbeTracker t = new ProbeTracker(probe(0, 1, 2, 3), T0, false);
    assertThat(t.record(true, "", T0)).isFalse();
    assertThat(t.record(true, "", T0.plusSeconds(1))).isTrue();
    assertThat(t.success()).isTrue();
    t.record(false, "boom", T0.plusSeconds(2));
    t.record(false, "boom", T0.plusSeconds(3));
    t.record(true, "", T0.plusSeconds(4));
    t.record(false, "boom", T0.plusSeconds(5));
    t.record(false, "boom", T0.plusSeconds(6));
    assertThat(t.success()).as("a success in between resets the failure count").isTrue();
    assertThat(t.record(false, "boom", T0.plusSeconds(7))).isTrue();
    assertThat(t.success()).isFalse();
    assertThat(t.failedThreshold()).isTrue();
    assertThat(t.lastMessage()).isEqualTo("boom");
  }

  @Test
  void livenessStartsHealthyAndDefaultsAreTheKubelets() {
    ProbeTracker t = new ProbeTracker(new Probe(), T0, true);
    assertThat(t.success()).isTrue();
    assertThat(t.timeout().toSeconds()).isEqualTo(1);
    t.record(false, "x", T0);
    t.record(false, "x", T0.plusSeconds(10));
    assertThat(t.success()).isTrue();
    t.record(false, "x", T0.plusSeconds(20));
    assertThat(t.success()).isFalse();
    assertThat(t.nextRun()).isEqualTo(T0.plusSeconds(30));
  }
}
