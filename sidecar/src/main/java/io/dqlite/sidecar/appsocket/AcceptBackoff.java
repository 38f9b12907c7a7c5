package io.dqlite.sidecar.appsocket;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The accept loop's memory of a failure episode: which errors are worth waiting out, how long to
 * wait before the next try, whether to log, and when the episode has lasted too long to call the
 * process live. Pure: the caller passes the time.
 *
 * <p>Out of descriptors (EMFILE, ENFILE), memory (ENOMEM, ENOBUFS, or no native thread for the
 * connection) and a connection aborted before it was accepted are transient: connections close,
 * memory is freed. The loop waits 10 ms, doubling up to 1 s, and logs the first failure and the
 * recovery of an episode, not every attempt. Any other error stops the loop for good.
 */
final class AcceptBackoff {

  static final Duration FIRST_DELAY = Duration.ofMillis(10);
  static final Duration MAX_DELAY = Duration.ofSeconds(1);

  /** How long an episode may last before liveness fails: Kubernetes then restarts the pod. */
  static final Duration UNHEALTHY_AFTER = Duration.ofSeconds(60);

  private static final String[] TRANSIENT = {
    "too many open files", // EMFILE, and ENFILE's "too many open files in system"
    "cannot allocate memory", // ENOMEM
    "no buffer space available", // ENOBUFS
    "software caused connection abort", // ECONNABORTED
    "connection aborted",
    "resource temporarily unavailable", // EAGAIN
    "interrupted system call", // EINTR
    "unable to create native thread", // the JVM's OutOfMemoryError for a connection's thread
    "unable to create new native thread",
    "protocol error", // EPROTO, which Linux's accept(2) lists among the errors to retry
  };

  private final Duration unhealthyAfter;
  private long episodeStart;
  private boolean inEpisode;
  private long failures;
  private long nextDelayNanos = FIRST_DELAY.toNanos();
  private String lastError = "";

  AcceptBackoff() {
    this(UNHEALTHY_AFTER);
  }

  AcceptBackoff(Duration unhealthyAfter) {
    this.unhealthyAfter = unhealthyAfter;
  }

  /** Whether an accept failure with this message is worth waiting out. */
  static boolean isTransient(String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    for (String t : TRANSIENT) {
      if (m.contains(t)) {
        return true;
      }
    }
    return false;
  }

  /** What a failure at {@code now} means: how long to wait, and whether it opens an episode. */
  record Step(long delayNanos, boolean firstOfEpisode) {}

  synchronized Step failed(long now, String error) {
    boolean first = !inEpisode;
    if (first) {
      inEpisode = true;
      episodeStart = now;
      failures = 0;
      nextDelayNanos = FIRST_DELAY.toNanos();
    }
    failures++;
    lastError = error;
    long delay = nextDelayNanos;
    nextDelayNanos = Math.min(MAX_DELAY.toNanos(), nextDelayNanos * 2);
    return new Step(delay, first);
  }

  /** A successful accept; the length of the episode it ends, if one was running. */
  synchronized Optional<Duration> succeeded(long now) {
    if (!inEpisode) {
      return Optional.empty();
    }
    inEpisode = false;
    return Optional.of(Duration.ofNanos(now - episodeStart));
  }

  /** Failures in the current or last episode. */
  synchronized long failures() {
    return failures;
  }

  /** Why the socket cannot be called live at {@code now}, if the episode lasted too long. */
  synchronized Optional<String> problem(long now) {
    if (!inEpisode || now - episodeStart < unhealthyAfter.toNanos()) {
      return Optional.empty();
    }
    return Optional.of(
        "accepting connections has failed for "
            + Duration.ofNanos(now - episodeStart).toSeconds()
            + " s ("
            + failures
            + " tries; last: "
            + lastError
            + ")");
  }
}
