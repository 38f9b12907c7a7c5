package io.dqlite.sidecar.appsocket;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream to the leader dialled ahead of need, so that a client's first request does not wait
 * for a leader search and a TLS handshake. That wait is what an application pays when its
 * connection moves to this socket (another pod's socket went away in a rolling update) or when its
 * pool grows: 130 to 450 ms on the e2e suite's loaded machine, most of a rolling update's gap.
 *
 * <p>A session takes the spare only after asking over it who leads (one round trip), so a spare to
 * a node that lost leadership or went away is closed, never handed out; the session then searches
 * as before. A taken or discarded spare is replaced in the background, and every {@code refresh}
 * the spare is checked the same way (leadership moves without telling idle connections). The cost
 * is one idle client connection per socket on the leader.
 */
final class WarmUpstream implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WarmUpstream.class);

  /** How the spare is dialled: the connector's leader search. */
  interface Dial {
    Upstream dial() throws IOException;
  }

  private final Dial dial;
  private final Duration checkBudget;
  private final AtomicReference<Upstream> spare = new AtomicReference<>();
  private final AtomicLong taken = new AtomicLong();
  private final AtomicLong discarded = new AtomicLong();
  private final ScheduledExecutorService worker;
  private volatile boolean closed;

  /**
   * Starts keeping a spare.
   *
   * @param checkBudget how long the leadership check of a spare may take
   * @param refresh how often the spare is checked, or dialled when there is none
   */
  WarmUpstream(Dial dial, Duration checkBudget, Duration refresh) {
    this.dial = dial;
    this.checkBudget = checkBudget;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dqlite-app-socket-warm-upstream");
              t.setDaemon(true);
              return t;
            });
    worker.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The spare if it still reaches the leader, for one session to own; null otherwise. */
  Upstream take() {
    Upstream s = spare.getAndSet(null);
    if (s == null) {
      return null;
    }
    requestRefill();
    if (s.stillLeads(checkBudget)) {
      taken.incrementAndGet();
      return s;
    }
    discard(s);
    return null;
  }

  /** Dials a spare soon if there is none (after a session searched for the leader itself). */
  void requestRefill() {
    if (!closed && spare.get() == null) {
      try {
        worker.execute(this::refill);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  /** Spares handed to sessions, for tests and logs. */
  long taken() {
    return taken.get();
  }

  /** Spares closed because they no longer reached the leader. */
  long discarded() {
    return discarded.get();
  }

  /** Whether a spare is waiting, for tests. */
  boolean ready() {
    return spare.get() != null;
  }

  private void refresh() {
    Upstream s = spare.getAndSet(null);
    if (s != null) {
      if (s.stillLeads(checkBudget)) {
        keep(s);
        return;
      }
      discard(s);
    }
    refill();
  }

  private void refill() {
    if (closed || spare.get() != null) {
      return;
    }
    try {
      keep(dial.dial());
    } catch (IOException | RuntimeException e) {
      log.debug("app socket: no warm upstream for now: {}", e.getMessage());
    }
  }

  private void keep(Upstream u) {
    if (closed || !spare.compareAndSet(null, u)) {
      u.close();
    } else if (closed && spare.compareAndSet(u, null)) {
      u.close(); // close() ran between the check and the swap
    }
  }

  private void discard(Upstream s) {
    discarded.incrementAndGet();
    log.debug("app socket: warm upstream to {} no longer leads; closed", s.address());
    s.close();
  }

  /** Stops dialling and closes the spare; idempotent. */
  @Override
  public void close() {
    closed = true;
    worker.shutdownNow();
    Upstream s = spare.getAndSet(null);
    if (s != null) {
      s.close();
    }
  }
}
