package io.dqlite.sidecar.appsocket;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds blocking reads on transports that have no read timeout (abstract unix sockets) by closing
 * the transport when a deadline passes. One shared daemon thread.
 */
final class Deadlines {

  private static final ScheduledThreadPoolExecutor TIMER = newTimer();

  private Deadlines() {}

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "dqlite-app-socket-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** Runs {@code onExpiry} after {@code timeout} unless the returned guard is closed first. */
  static Guard arm(Duration timeout, Runnable onExpiry) {
    Guard g = new Guard(onExpiry);
    g.future = TIMER.schedule(g::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    return g;
  }

  /** A pending deadline. */
  static final class Guard implements AutoCloseable {
    private final Runnable onExpiry;
    private volatile ScheduledFuture<?> future;
    private volatile boolean fired;

    private Guard(Runnable onExpiry) {
      this.onExpiry = onExpiry;
    }

    private void fire() {
      fired = true;
      onExpiry.run();
    }

    boolean fired() {
      return fired;
    }

    @Override
    public void close() {
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
    }
  }
}
