package io.dqlite.client.leader;

import java.time.Duration;

/**
 * Retry delays: binary exponential, capped, with jitter. Pure. The leader search, the driver's busy
 * retries and {@code DqliteTransactions} all space their retries with it.
 */
public final class Backoff {

  private Backoff() {}

  /**
   * The delay before retry round {@code attempt} (1 for the first retry): {@code factor *
   * 2^attempt} capped at {@code cap} (go-dqlite's schedule), then scaled into [half, all] of itself
   * by {@code jitter} in [0, 1]. Attempt 0 gives {@code factor} itself.
   */
  public static Duration delay(int attempt, Duration factor, Duration cap, double jitter) {
    long capNanos = cap.toNanos();
    long nanos;
    if (attempt >= 62) {
      nanos = capNanos;
    } else {
      long base = factor.toNanos();
      long multiplier = 1L << attempt;
      nanos = base > capNanos / multiplier ? capNanos : base * multiplier;
      nanos = Math.min(nanos, capNanos);
    }
    return Duration.ofNanos(nanos / 2 + (long) (nanos / 2.0 * jitter));
  }
}
