package io.dqlite.sidecar.proxy;

import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.DqliteAddress;
import io.dqlite.client.net.SocketTransport;
import io.dqlite.client.net.Transport;
import io.dqlite.sidecar.proxy.ProxyLimits.Admission;
import io.dqlite.sidecar.tls.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a node's public TCP address and forwards every accepted connection to the node's
 * private socket, optionally terminating TLS first: go-dqlite's {@code App.proxy} (app/app.go,
 * v1.11.9). With a {@link TlsConfig} in server mode, peers must complete a mutual-TLS handshake
 * before anything reaches the node.
 *
 * <p>Anyone who reaches the port can connect, so what an unauthenticated peer can hold is bounded
 * ({@link ProxyLimits}): a connection over a limit is closed at accept (with a reset); a handshake
 * runs on a pool of at most {@link ProxyLimits#MAX_HANDSHAKES} threads and is cut at {@link
 * ProxyLimits#HANDSHAKE_DEADLINE} after the accept, however slowly the peer trickles bytes. Once
 * the handshake is done, the connection is copied by the {@link ProxyGroup} (two threads, the
 * blocking data path). Dropped connections are counted ({@link ProxyMeters}) and logged once per
 * episode ({@link DropEpisode}).
 */
public final class ProxyListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyListener.class);

  private static final Duration LOCAL_DIAL_TIMEOUT = Duration.ofSeconds(5);

  /** Pause after a failed accept (e.g. out of descriptors) before accepting again, as Go does. */
  private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

  private final String address;
  private final ServerSocket server;
  private final TlsConfig tls;
  private final Dialer localDialer;
  private final String localAddress;
  private final ProxyGroup group;
  private final ThreadPoolExecutor handshakes;
  private final ScheduledThreadPoolExecutor deadlines;
  private final Thread acceptor;
  private final Set<Socket> pending = ConcurrentHashMap.newKeySet();
  private final Map<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger handshaking = new AtomicInteger();
  private final DropEpisode episode = new DropEpisode();
  private final ProxyMeters meters = ProxyMeters.GLOBAL;
  private volatile boolean closed;

  private ProxyListener(
      String address,
      ServerSocket server,
      TlsConfig tls,
      Dialer localDialer,
      String localAddress,
      ProxyGroup group) {
    this.address = address;
    this.server = server;
    this.tls = tls;
    this.localDialer = localDialer;
    this.localAddress = localAddress;
    this.group = group;
    AtomicInteger counter = new AtomicInteger();
    // At most MAX_HANDSHAKES threads, made only when none is idle (a SynchronousQueue hands a
    // task to an idle thread), idle ones ending after 30 s. Admission keeps the tasks within the
    // limit; a thread still between two tasks is waited for briefly rather than refused.
    this.handshakes =
        new ThreadPoolExecutor(
            0,
            ProxyLimits.MAX_HANDSHAKES,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> daemon(r, "dqlite-handshake-" + address + "-" + counter.incrementAndGet()),
            ProxyListener::waitForAThread);
    this.deadlines =
        new ScheduledThreadPoolExecutor(1, r -> daemon(r, "dqlite-handshake-deadline-" + address));
    this.deadlines.setRemoveOnCancelPolicy(true);
    this.acceptor = daemon(this::acceptLoop, "dqlite-listen-" + address);
  }

  private static void waitForAThread(Runnable task, ThreadPoolExecutor pool) {
    try {
      if (!pool.isShutdown() && pool.getQueue().offer(task, 1, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new RejectedExecutionException("no handshake thread free");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Binds {@code address} (host:port, SO_REUSEADDR as Go's listeners) and starts accepting.
   *
   * @param tls server-side TLS, or null to forward plain TCP
   * @param localDialer how to reach {@code localAddress}
   * @param localAddress the node's private socket, e.g. {@code @name}
   * @param group runs the copying; connections end when it is closed
   * @throws IOException naming the address when it cannot be bound
   */
  public static ProxyListener start(
      String address, TlsConfig tls, Dialer localDialer, String localAddress, ProxyGroup group)
      throws IOException {
    if (tls != null && tls.clientMode()) {
      throw new IllegalArgumentException(
          "listen on "
              + address
              + ": the TLS configuration is a client (dial) one; give the"
              + " listen configuration (SimpleTls.listen)");
    }
    DqliteAddress parsed = DqliteAddress.parse(address);
    if (!(parsed instanceof DqliteAddress.Tcp tcp)) {
      throw new IOException("listen on " + address + ": not a TCP host:port address");
    }
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(tcp.host(), tcp.port()), 128);
    } catch (IOException e) {
      server.close();
      throw new IOException("listen on " + address + ": " + e.getMessage(), e);
    }
    ProxyListener listener =
        new ProxyListener(address, server, tls, localDialer, localAddress, group);
    listener.deadlines.scheduleWithFixedDelay(listener::endQuietEpisode, 5, 5, TimeUnit.SECONDS);
    listener.acceptor.start();
    return listener;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getLocalPort();
  }

  /** Connections of this listener now, handshaking or proxied. */
  public int connections() {
    return connections.get();
  }

  /** Handshakes in progress now. */
  public int handshakes() {
    return handshaking.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // Out of descriptors, typically: keep the port, and try again shortly.
        dropped("accept_failed", "accept failed (" + e.getMessage() + "), retrying");
        pause();
        continue;
      }
      admit(socket);
    }
  }

  private void admit(Socket socket) {
    InetAddress source = socket.getInetAddress();
    Admission admission;
    synchronized (this) {
      admission =
          ProxyLimits.admit(
              connections.get(), handshaking.get(), perSource.getOrDefault(source, 0));
      if (admission == Admission.ADMIT) {
        connections.incrementAndGet();
        handshaking.incrementAndGet();
        perSource.merge(source, 1, Integer::sum);
        meters.connections.incrementAndGet();
        meters.handshakes.incrementAndGet();
      }
    }
    if (admission != Admission.ADMIT) {
      meters.refused(admission);
      reset(socket);
      dropped(
          admission.label(),
          "refused connection from "
              + source.getHostAddress()
              + ": at most "
              + limitOf(admission)
              + " "
              + admission.label().replace('_', ' '));
      return;
    }
    Handshake h = new Handshake(socket, source, System.nanoTime());
    pending.add(socket);
    try {
      h.timer =
          deadlines.schedule(
              h::expire, ProxyLimits.HANDSHAKE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      handshakes.execute(h::run);
    } catch (RejectedExecutionException e) { // closed concurrently, or no thread came free
      if (h.timer != null) {
        h.timer.cancel(false);
      }
      h.endHandshake();
      reset(socket);
      releaseConnection();
      if (!closed) {
        meters.refused(Admission.TOO_MANY_HANDSHAKES);
        dropped(
            Admission.TOO_MANY_HANDSHAKES.label(),
            "refused connection from " + source.getHostAddress() + ": " + e.getMessage());
      }
    }
  }

  private static int limitOf(Admission a) {
    return switch (a) {
      case TOO_MANY_CONNECTIONS -> ProxyLimits.MAX_CONNECTIONS;
      case TOO_MANY_HANDSHAKES -> ProxyLimits.MAX_HANDSHAKES;
      default -> ProxyLimits.MAX_HANDSHAKES_PER_SOURCE;
    };
  }

  /** One admitted connection until its handshake ends: done, failed or cut at the deadline. */
  private final class Handshake {
    private final Socket socket;
    private final InetAddress source;
    private final long acceptedAt;
    private final AtomicBoolean over = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile ScheduledFuture<?> timer;

    Handshake(Socket socket, InetAddress source, long acceptedAt) {
      this.socket = socket;
      this.source = source;
      this.acceptedAt = acceptedAt;
    }

    /** At the deadline: closing the socket ends a handshake blocked in a read or write. */
    void expire() {
      if (over.compareAndSet(false, true)) {
        meters.handshakeTimedOut();
        reset(socket);
        dropped(
            "handshake_deadline",
            "handshake from "
                + source.getHostAddress()
                + " not done within "
                + ProxyLimits.HANDSHAKE_DEADLINE.toSeconds()
                + " s, closed");
      }
    }

    void run() {
      String peer = String.valueOf(socket.getRemoteSocketAddress());
      Transport remote;
      try {
        if (closed || over.get()) {
          throw new SocketException("closed");
        }
        TcpOptions.apply(socket);
        if (tls != null) {
          SSLSocket ssl = tls.wrap(socket);
          long left =
              ProxyLimits.HANDSHAKE_DEADLINE.toMillis()
                  - (System.nanoTime() - acceptedAt) / 1_000_000;
          ssl.setSoTimeout((int) Math.max(1, left)); // a backstop; expire() is the deadline
          ssl.startHandshake();
          ssl.setSoTimeout(0);
          remote = new SocketTransport(ssl, peer);
        } else {
          remote = new SocketTransport(socket, peer);
        }
        if (!over.compareAndSet(false, true)) {
          throw new SocketException("handshake deadline passed");
        }
      } catch (IOException e) {
        if (over.compareAndSet(false, true) && !closed) {
          meters.handshakeFailed();
          dropped("handshake_failed", "refused connection from " + peer + ": " + describe(e));
        }
        closeQuietly(socket);
        endHandshake();
        releaseConnection();
        return;
      } finally {
        ScheduledFuture<?> t = timer;
        if (t != null) {
          t.cancel(false);
        }
      }
      endHandshake();
      Transport local;
      try {
        local = localDialer.dial(localAddress, LOCAL_DIAL_TIMEOUT);
      } catch (IOException e) {
        if (!closed) {
          LOG.error("listener {}: dial local node {}: {}", address, localAddress, e.getMessage());
        }
        remote.close();
        releaseConnection();
        return;
      }
      group.start(remote, local, ProxyListener.this::releaseConnection);
    }

    /** Gives back the handshake slot, once. */
    void endHandshake() {
      if (released.compareAndSet(false, true)) {
        pending.remove(socket);
        synchronized (ProxyListener.this) {
          handshaking.decrementAndGet();
          perSource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
        }
        meters.handshakes.decrementAndGet();
      }
    }
  }

  private void releaseConnection() {
    connections.decrementAndGet();
    meters.connections.decrementAndGet();
  }

  /** Counts a dropped connection in this episode, logging only what the episode says to. */
  private void dropped(String reason, String detail) {
    long now = System.nanoTime();
    switch (episode.drop(reason, now)) {
      case FIRST ->
          LOG.warn(
              "listener {}: {} (further drops are counted, and summed up once" + " they stop)",
              address,
              detail);
      case SUMMARY ->
          LOG.warn(
              "listener {}: still dropping connections, {} in {} s so far",
              address,
              episode.summary(),
              episode.seconds(now));
      case NOTHING -> {}
    }
  }

  private void endQuietEpisode() {
    String summary = episode.endIfQuiet(System.nanoTime());
    if (summary != null) {
      LOG.warn("listener {}: dropped connections: {}", address, summary);
    }
  }

  private void pause() {
    try {
      Thread.sleep(ACCEPT_BACKOFF.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (e instanceof SocketException && message == null) {
      return e.getClass().getSimpleName();
    }
    return (e instanceof javax.net.ssl.SSLException ? "TLS handshake: " : "") + message;
  }

  /** Closes at once with a reset: nothing lingers in TIME_WAIT on this side. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // Closed already.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Gone either way.
    }
  }

  /** Stops accepting; connections already forwarded belong to the group. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // The accept loop ends either way.
    }
    handshakes.shutdownNow();
    deadlines.shutdownNow();
    for (Socket socket : pending) {
      closeQuietly(socket);
    }
    try {
      acceptor.join(5_000);
      handshakes.awaitTermination(ProxyLimits.HANDSHAKE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
