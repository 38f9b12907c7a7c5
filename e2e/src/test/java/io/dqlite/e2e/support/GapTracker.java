package io.dqlite.e2e.support;

/**
 * The longest time without an acknowledged write: between the start and the first success, between
 * consecutive successes, and between the last success and the end. {@link #restart} begins a new
 * window (e.g. once the writer is connected, before the fault under test). Times in nanoseconds
 * from any fixed origin; not thread-safe (one writer thread).
 */
public final class GapTracker {

  private long lastSuccess;
  private long longest;
  private long longestEndsAt;
  private boolean finished;
  private boolean succeeded;

  public GapTracker(long start) {
    this.lastSuccess = start;
  }

  public void success(long at) {
    observe(at);
    lastSuccess = at;
    succeeded = true;
  }

  /**
   * Forgets the gaps measured so far: only what follows {@code at} counts, the gap in progress
   * (since the last success) included; with no success yet, the window starts at {@code at}.
   */
  public void restart(long at) {
    longest = 0;
    longestEndsAt = 0;
    if (!succeeded) {
      lastSuccess = at;
    }
  }

  public void finish(long at) {
    if (!finished) {
      observe(at);
      finished = true;
    }
  }

  private void observe(long at) {
    long gap = at - lastSuccess;
    if (gap > longest) {
      longest = gap;
      longestEndsAt = at;
    }
  }

  /** The longest gap so far, in nanoseconds. */
  public long longestNanos() {
    return longest;
  }

  /** When the longest gap ended (same origin as the times given). */
  public long longestEndsAt() {
    return longestEndsAt;
  }
}
