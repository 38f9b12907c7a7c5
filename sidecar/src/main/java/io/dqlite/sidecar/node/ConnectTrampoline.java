package io.dqlite.sidecar.node;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-callable connect function of one node. libdqlite calls it from a libuv thread-pool thread
 * (its {@code uv_queue_work}), which that pool needs back for other work: the call is handed to a
 * Java worker and bounded to {@link #TIMEOUT}; whatever happens, C gets 0 and an fd, or {@link
 * #RAFT_NOCONNECTION}. No exception crosses into C.
 *
 * <p>The JNA callback object must stay strongly reachable while libdqlite may call it; the node
 * holds this trampoline until {@code dqlite_node_destroy} has returned.
 */
final class ConnectTrampoline implements LibDqlite.ConnectFunc {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectTrampoline.class);

  /** go-dqlite's bound on a dial from the connect callback. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** raft's error code for "could not connect". */
  static final int RAFT_NOCONNECTION = 16;

  private final String nodeName;
  private final NodeConnector connector;
  private final ExecutorService workers;
  private final AtomicLong calls = new AtomicLong();

  ConnectTrampoline(String nodeName, NodeConnector connector) {
    this.nodeName = nodeName;
    this.connector = connector;
    this.workers = Executors.newCachedThreadPool(daemonThreads("dqlite-connect-" + nodeName));
    // Detach after every call. Staying attached looks cheaper, but libuv joins its pool threads
    // from a destructor at process exit, after the JVM is gone: an attached thread then blocks
    // forever in DetachCurrentThread and the process never exits.
    Native.setCallbackThreadInitializer(
        this, new CallbackThreadInitializer(true, true, "dqlite-uv-" + nodeName));
  }

  /** How many times libdqlite called in; for tests and metrics. */
  long calls() {
    return calls.get();
  }

  @Override
  public int invoke(Pointer arg, Pointer addressPointer, Pointer fdOut) {
    calls.incrementAndGet();
    String address = null;
    try {
      address = addressPointer.getString(0, StandardCharsets.UTF_8.name());
      int fd = connectBounded(address);
      fdOut.setInt(0, fd);
      LOG.debug("node {}: connected to {} (fd {})", nodeName, address, fd);
      return 0;
    } catch (Throwable e) {
      LOG.debug("node {}: cannot connect to {}: {}", nodeName, address, e.toString());
      return RAFT_NOCONNECTION;
    }
  }

  private int connectBounded(String address) throws Exception {
    CompletableFuture<Integer> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return connector.connect(address, TIMEOUT);
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            },
            workers);
    int fd;
    try {
      fd = result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // The connector may still deliver an fd that nobody will use: close it then.
      result.thenAccept(NativeSockets::close);
      throw new TimeoutException("connect to " + address + " took longer than " + TIMEOUT);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    if (fd < 0) {
      throw new IOException("connector returned invalid fd " + fd + " for " + address);
    }
    return fd;
  }

  /** Called once the node is destroyed: libdqlite will not call again. */
  void shutdown() {
    workers.shutdownNow();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
