package io.dqlite.sidecar.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns connections dropped one by one (refused by a limit, failed or timed-out handshakes) into
 * log lines per episode, not per connection: the first drop of an episode is logged, then a summary
 * with the counts every {@link #SUMMARY_EVERY} while drops go on, and a last one once {@link
 * #QUIET} passed without any. A flood of thousands of connections gives a few lines. Pure: the
 * caller passes the time and logs what it is told.
 */
final class DropEpisode {

  /** No drop for this long ends an episode. */
  static final Duration QUIET = Duration.ofSeconds(10);

  /** While drops go on, a summary this often. */
  static final Duration SUMMARY_EVERY = Duration.ofSeconds(60);

  /** What to log after a drop. */
  enum Log {
    NOTHING,
    FIRST,
    SUMMARY
  }

  private final Map<String, Long> counts = new TreeMap<>();
  private boolean open;
  private long lastDrop;
  private long lastSummary;
  private long startedAt;

  /** Records a drop for {@code reason} at {@code now} (nanoTime); says what to log. */
  synchronized Log drop(String reason, long now) {
    counts.merge(reason, 1L, Long::sum);
    lastDrop = now;
    if (!open) {
      open = true;
      startedAt = now;
      lastSummary = now;
      return Log.FIRST;
    }
    if (now - lastSummary >= SUMMARY_EVERY.toNanos()) {
      lastSummary = now;
      return Log.SUMMARY;
    }
    return Log.NOTHING;
  }

  /** The episode's counts so far, e.g. "handshakes_per_source 4968, handshake_failed 2500". */
  synchronized String summary() {
    StringBuilder b = new StringBuilder();
    counts.forEach(
        (reason, n) -> b.append(b.isEmpty() ? "" : ", ").append(reason).append(' ').append(n));
    return b.toString();
  }

  /** How long the episode has lasted at {@code now}, in whole seconds. */
  synchronized long seconds(long now) {
    return open ? Duration.ofNanos(now - startedAt).toSeconds() : 0;
  }

  /**
   * Ends the episode if it has been quiet for {@link #QUIET} at {@code now}: returns its final
   * summary, or null when there is none to end.
   */
  synchronized String endIfQuiet(long now) {
    if (!open || now - lastDrop < QUIET.toNanos()) {
      return null;
    }
    String last = summary() + " in " + seconds(lastDrop) + " s";
    open = false;
    counts.clear();
    return last;
  }
}
