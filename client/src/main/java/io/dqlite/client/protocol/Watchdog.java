package io.dqlite.client.protocol;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces deadlines on blocking reads and writes by closing the transport when one passes: the
 * same mechanism for every transport (TCP, unix sockets, TLS), including writes, which the JDK
 * cannot time out. One shared daemon thread serves every connection.
 *
 * <p>Arming is cheap because it happens for every request: the guard goes into a concurrent set and
 * nothing else. The thread sweeps the set at least every {@link #TICK} while guards are armed (and
 * sooner when one expires earlier), and parks when none is. Only a request whose timeout is shorter
 * than the tick, or the first one after an idle period, wakes it up. A deadline therefore fires up
 * to one tick late, which request timeouts of seconds do not notice. (The previous design scheduled
 * and cancelled a task on a {@code ScheduledThreadPoolExecutor} per request: each new task became
 * the head of its queue and woke the timer thread, a context switch per request, about 10 µs of CPU
 * each on a busy machine.)
 *
 * <p>The sweeper never runs an expiry action itself: it hands it to a pool of daemon threads.
 * Closing a socket can block: an {@code SSLSocket} sends its close_notify under the lock that a
 * writer stuck on a full send buffer holds, which is exactly the writer the deadline is meant to
 * free. Run inline, one such close would stop every other deadline of the JVM. Nothing an action
 * throws, an {@link Error} included, reaches the sweeper either.
 */
final class Watchdog {

  /** The longest a passed deadline goes unnoticed. */
  static final Duration TICK = Duration.ofMillis(50);

  private static final long TICK_NANOS = TICK.toNanos();
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
  private static final Set<Guard> ARMED = ConcurrentHashMap.newKeySet();

  /**
   * Runs expiry actions. Threads are made on demand and end after a minute idle; an action that
   * blocks holds only its own thread.
   */
  private static final ExecutorService ACTIONS =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "dqlite-deadline-action");
            t.setDaemon(true);
            return t;
          });

  /** Set by the sweeper before it parks with nothing armed; an arm then unparks it. */
  private static volatile boolean idle;

  private Watchdog() {}

  /** Runs {@code onExpiry} after {@code timeout} unless the returned guard is closed first. */
  static Guard arm(Duration timeout, Runnable onExpiry) {
    long nanos = timeout.toNanos();
    Guard guard = new Guard(System.nanoTime() + nanos, onExpiry);
    ARMED.add(guard);
    Thread sweeper = Sweeper.THREAD; // started by the first arm
    if (idle || nanos < TICK_NANOS) {
      LockSupport.unpark(sweeper);
    }
    return guard;
  }

  /** The sweeping thread, started with the first guard. */
  private static final class Sweeper {
    static final Thread THREAD = start();

    private static Thread start() {
      Thread t = new Thread(Sweeper::loop, "dqlite-deadlines");
      t.setDaemon(true);
      t.start();
      return t;
    }

    private static void loop() {
      while (true) {
        try {
          sweep();
        } catch (Throwable t) { // an OutOfMemoryError, say: the sweeper must outlive it
          log.warn("deadline sweeper: {}; continuing", t.toString());
          LockSupport.parkNanos(Watchdog.class, TICK_NANOS);
        }
      }
    }

    /** Fires the passed deadlines, then parks until the next one is due (or an arm wakes it). */
    private static void sweep() {
      long now = System.nanoTime();
      long next = now + TICK_NANOS;
      for (Guard g : ARMED) {
        if (g.deadline - now <= 0) {
          if (ARMED.remove(g)) {
            g.fire();
          }
        } else if (g.deadline - next < 0) {
          next = g.deadline;
        }
      }
      if (ARMED.isEmpty()) {
        idle = true;
        // Re-check after publishing idle: an arm either is seen here or sees idle and unparks.
        if (ARMED.isEmpty()) {
          LockSupport.park(Watchdog.class);
        }
        idle = false;
      } else {
        LockSupport.parkNanos(Watchdog.class, Math.max(1, next - System.nanoTime()));
      }
    }
  }

  /** A pending deadline; closing it disarms it. */
  static final class Guard implements AutoCloseable {
    private final long deadline;
    private final Runnable onExpiry;
    private volatile boolean fired;

    private Guard(long deadline, Runnable onExpiry) {
      this.deadline = deadline;
      this.onExpiry = onExpiry;
    }

    /** Marks the guard fired and has its action run on another thread. */
    private void fire() {
      fired = true;
      try {
        ACTIONS.execute(this::runAction);
      } catch (Throwable t) { // no thread to be had: closing late is worse than blocking a while
        log.warn(
            "deadline action could not be handed off ({}); running it on the sweeper",
            t.toString());
        runAction();
      }
    }

    private void runAction() {
      try {
        onExpiry.run();
      } catch (Throwable t) {
        log.warn("deadline action failed: {}", t.toString());
      }
    }

    /** True once the deadline passed and {@code onExpiry} ran (or is running). */
    boolean fired() {
      return fired;
    }

    @Override
    public void close() {
      ARMED.remove(this);
    }
  }
}
