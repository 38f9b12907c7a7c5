package io.dqlite.localkube.pods;

import java.time.Duration;
import java.time.Instant;

/**
 * The kubelet's crash-loop back-off for one container: {@code base} after the first exit, doubling
 * up to {@code max}; reset once a run lasted {@code 2 × max} (the kubelet: 10 s, 5 min, 10 min).
 */
public final class Backoff {
  private final Duration base;
  private final Duration max;
  private Duration current = Duration.ZERO;

  public Backoff(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  /** Records an exit of a run that started at {@code started}; returns when to start again. */
  public Instant onExit(Instant started, Instant exited) {
    if (Duration.between(started, exited).compareTo(max.multipliedBy(2)) >= 0) {
      current = Duration.ZERO;
    }
    current = current.isZero() ? base : min(current.multipliedBy(2), max);
    return exited.plus(current);
  }

  /** The delay chosen by the last {@link #onExit}. */
  public Duration current() {
    return current;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
