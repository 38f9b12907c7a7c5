package io.dqlite.sidecar.proxy;

import io.dqlite.client.net.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies bytes both ways between pairs of connections, like go-dqlite's {@code proxy}
 * (app/proxy.go, v1.11.9): one thread per direction; when either direction ends (end of stream or
 * error) both connections are closed, which ends the other direction too. {@link #close()} ends
 * every pair still running, as cancelling go-dqlite's app context does.
 *
 * <p>go-dqlite half-closes the reading side of the other connection and waits for the second copy
 * before closing; closing both at once has the same effect for dqlite's request/response traffic,
 * where a connection that lost one direction is useless.
 */
public final class ProxyGroup implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyGroup.class);
  private static final int BUFFER = 64 * 1024;

  private final String name;
  private final ExecutorService threads;
  private final Set<Pair> live = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param name names the threads and log lines, e.g. "node 0x2dc171858c3155be"
   */
  public ProxyGroup(String name) {
    this.name = name;
    AtomicInteger counter = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread =
                  new Thread(runnable, "dqlite-proxy-" + name + "-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts copying between {@code remote} and {@code local}; the group owns both from now on, and
   * closes them itself if it is closed already.
   */
  public void start(Transport remote, Transport local) {
    start(remote, local, () -> {});
  }

  /**
   * As {@link #start(Transport, Transport)}, running {@code onClose} once when the pair ends
   * (however it ends, also when the group is closed already), e.g. to give back a connection slot.
   */
  public void start(Transport remote, Transport local, Runnable onClose) {
    Pair pair = new Pair(remote, local, onClose);
    live.add(pair);
    if (closed.get()) {
      pair.close();
      return;
    }
    try {
      threads.execute(() -> pair.copy(remote, local));
      threads.execute(() -> pair.copy(local, remote));
    } catch (RejectedExecutionException e) {
      pair.close(); // closed concurrently
    }
    LOG.debug("proxy {}: {} <-> {}", name, remote.address(), local.address());
  }

  /** Whether {@link #close()} was called: new pairs are closed at once. */
  public boolean isClosed() {
    return closed.get();
  }

  /** How many pairs are being proxied now. */
  public int size() {
    return live.size();
  }

  /** Closes every connection and waits (at most 5 s) for the copying threads. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    threads.shutdown();
    for (Pair pair : live) {
      pair.close();
    }
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("proxy {}: copying threads still running 5 s after close", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Pair {
    private final Transport remote;
    private final Transport local;
    private final Runnable onClose;
    private final AtomicBoolean done = new AtomicBoolean();

    Pair(Transport remote, Transport local, Runnable onClose) {
      this.remote = remote;
      this.local = local;
      this.onClose = onClose;
    }

    void copy(Transport from, Transport to) {
      byte[] buffer = new byte[BUFFER];
      try {
        InputStream in = from.input();
        OutputStream out = to.output();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
        try {
          to.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
          // Best effort: the connections are closed right after.
        }
      } catch (IOException e) {
        if (!done.get() && !closed.get()) {
          LOG.debug("proxy {}: {} -> {}: {}", name, from.address(), to.address(), e.toString());
        }
      } finally {
        close();
      }
    }

    void close() {
      if (done.compareAndSet(false, true)) {
        remote.close();
        local.close();
        live.remove(this);
        onClose.run();
      }
    }
  }
}
