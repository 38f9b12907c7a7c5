package io.dqlite.client.protocol;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces deadlines on blocking reads and writes by closing the transport when one passes: the
 * same mechanism for every transport (TCP, unix sockets, TLS), including writes, which the JDK
 * cannot time out. One shared daemon thread serves every connection.
 */
final class Watchdog {

  private static final ScheduledThreadPoolExecutor TIMER = newTimer();

  private Watchdog() {}

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "dqlite-deadlines");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** Runs {@code onExpiry} after {@code timeout} unless the returned guard is closed first. */
  static Guard arm(Duration timeout, Runnable onExpiry) {
    Guard guard = new Guard(onExpiry);
    guard.future = TIMER.schedule(guard::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    return guard;
  }

  /** A pending deadline; closing it disarms it. */
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

    /** True once the deadline passed and {@code onExpiry} ran (or is running). */
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
