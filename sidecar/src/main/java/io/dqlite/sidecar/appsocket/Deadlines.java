package io.dqlite.sidecar.appsocket;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds blocking reads on transports that have no read timeout (abstract unix sockets) by closing
 * the transport when a deadline passes.
 *
 * <p>Arming and disarming must cost next to nothing: the proxy arms a deadline around every request
 * it forwards and every answer it waits for. So no timer task is scheduled per request (a scheduled
 * executor wakes its thread on every schedule into an empty queue: two thread hand-offs per
 * request, measured as a fifth of the proxy's CPU per write). Instead a {@link Watch} lives as long
 * as its connection, arming is a volatile write of the deadline, and one shared daemon thread scans
 * the registered watches every {@link #TICK_MILLIS} ms, firing the expired ones. A deadline
 * therefore fires up to one tick late. With no watch registered the thread parks until one is.
 *
 * <p>The sweeper never runs an expiry action itself: it hands it to a small pool of closer threads.
 * An expiry action closes a socket, and closing can block (a TLS socket's close sends close_notify,
 * which waits for a peer that stopped reading); a blocked sweeper would let every other deadline of
 * the process pass unnoticed. Nor does anything thrown stop the sweeper: it catches every {@link
 * Throwable}, an {@link Error} included, and goes on.
 */
final class Deadlines {

  private static final Logger log = LoggerFactory.getLogger(Deadlines.class);

  /**
   * Threads that run expiry actions. Sixteen: each blocks at most as long as one close, and more
   * closes than that blocking at once means the process is in deeper trouble than a late close.
   */
  private static final int CLOSERS = 16;

  /** How often the watchdog looks for expired deadlines; the precision of every deadline. */
  static final long TICK_MILLIS = 100;

  private static final Set<Watch> WATCHES = ConcurrentHashMap.newKeySet();
  private static final Executor CLOSER = newCloser();
  private static final Thread WATCHDOG = newWatchdog();

  private Deadlines() {}

  private static Thread newWatchdog() {
    Thread t = new Thread(Deadlines::watchLoop, "dqlite-app-socket-deadlines");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Executor newCloser() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            CLOSERS,
            CLOSERS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "dqlite-app-socket-closer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static void watchLoop() {
    while (true) {
      try {
        if (WATCHES.isEmpty()) {
          LockSupport.park(Deadlines.class); // register() unparks; spurious wake-ups loop again
        } else {
          LockSupport.parkNanos(Deadlines.class, TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
        }
        sweep(System.nanoTime());
      } catch (Throwable t) {
        // Nothing may end the sweeper: every connection's deadlines depend on it.
        log.warn("deadline sweeper: {} (sweeping on)", t.toString());
      }
    }
  }

  private static void sweep(long now) {
    for (Watch w : WATCHES) {
      if (w.takeIfDue(now)) {
        try {
          CLOSER.execute(() -> runExpiry(w));
        } catch (RejectedExecutionException e) {
          log.warn("deadline sweeper: expiry action refused: {}", e.toString());
        }
      }
    }
  }

  private static void runExpiry(Watch w) {
    try {
      w.onExpiry.run();
    } catch (Throwable t) {
      log.warn("deadline expiry action failed: {}", t.toString());
    }
  }

  /**
   * A watch for one connection: {@link #arm(Duration)} before a blocking call, close the returned
   * guard after it; {@link #close()} when the connection closes.
   */
  static Watch watch(Runnable onExpiry) {
    Watch w = new Watch(onExpiry);
    WATCHES.add(w);
    // Always: with "unpark only when the set went from 0 to 1", two watches registered at once
    // both saw a size of 2, the parked watchdog was never woken, and no deadline fired again
    // while any watch stayed registered (a hung leader then held its clients forever). An
    // unpark is cheap, and registering happens per connection, not per request.
    LockSupport.unpark(WATCHDOG);
    return w;
  }

  /** One deadline for one call: runs {@code onExpiry} after {@code timeout} unless closed first. */
  static Guard arm(Duration timeout, Runnable onExpiry) {
    Watch w = watch(onExpiry);
    Guard g = w.arm(timeout);
    return new Guard(w) {
      @Override
      public void close() {
        g.close();
        w.close();
      }
    };
  }

  /** A connection's deadline: unarmed (0) or the {@link System#nanoTime()} it expires at. */
  static final class Watch implements AutoCloseable {
    private final Runnable onExpiry;
    private final Guard guard = new Guard(this);
    private volatile long deadline;
    private volatile boolean armed;
    private volatile boolean fired;

    private Watch(Runnable onExpiry) {
      this.onExpiry = onExpiry;
    }

    /** Arms the deadline {@code timeout} from now; close the guard to disarm. */
    Guard arm(Duration timeout) {
      deadline = System.nanoTime() + timeout.toNanos();
      fired = false;
      armed = true;
      return guard;
    }

    private void disarm() {
      armed = false;
    }

    /** Marks the watch fired if its deadline passed; the caller then runs the expiry action. */
    private boolean takeIfDue(long now) {
      if (armed && now - deadline >= 0) {
        armed = false;
        fired = true;
        return true;
      }
      return false;
    }

    boolean fired() {
      return fired;
    }

    /** Unregisters: the watch never fires again. Idempotent. */
    @Override
    public void close() {
      armed = false;
      WATCHES.remove(this);
    }
  }

  /** An armed deadline; closing it disarms. */
  static class Guard implements AutoCloseable {
    private final Watch watch;

    private Guard(Watch watch) {
      this.watch = watch;
    }

    /** Whether the deadline passed and the expiry action ran. */
    boolean fired() {
      return watch.fired();
    }

    @Override
    public void close() {
      watch.disarm();
    }
  }
}
