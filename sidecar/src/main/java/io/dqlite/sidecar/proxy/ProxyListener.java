package io.dqlite.sidecar.proxy;

import io.dqlite.client.net.DqliteAddress;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.SocketTransport;
import io.dqlite.client.net.Transport;
import io.dqlite.sidecar.tls.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a node's public TCP address and forwards every accepted connection to the node's
 * private socket, optionally terminating TLS first: go-dqlite's {@code App.proxy} (app/app.go,
 * v1.11.9). With a {@link TlsConfig} in server mode, peers must complete a mutual-TLS handshake
 * before anything reaches the node; a peer that fails it is logged and dropped.
 */
public final class ProxyListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyListener.class);

  /** How long an accepted peer may take to complete the TLS handshake. */
  public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration LOCAL_DIAL_TIMEOUT = Duration.ofSeconds(5);

  private final String address;
  private final ServerSocket server;
  private final TlsConfig tls;
  private final Dialer localDialer;
  private final String localAddress;
  private final ProxyGroup group;
  private final ExecutorService handshakes;
  private final Thread acceptor;
  private final Set<Socket> pending = ConcurrentHashMap.newKeySet();
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
    this.handshakes =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "dqlite-accept-" + address + "-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "dqlite-listen-" + address);
    this.acceptor.setDaemon(true);
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
          "listen on " + address + ": the TLS configuration is a client (dial) one; give the"
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
    listener.acceptor.start();
    return listener;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.error("listener {}: accept failed, no longer accepting: {}", address, e.toString());
        }
        return;
      }
      try {
        handshakes.execute(() -> forward(socket));
      } catch (RejectedExecutionException e) {
        closeQuietly(socket);
      }
    }
  }

  private void forward(Socket socket) {
    pending.add(socket);
    try {
      if (closed) {
        closeQuietly(socket);
        return;
      }
      forwardPending(socket);
    } finally {
      pending.remove(socket);
    }
  }

  private void forwardPending(Socket socket) {
    String peer = String.valueOf(socket.getRemoteSocketAddress());
    Transport remote;
    try {
      TcpOptions.apply(socket);
      if (tls != null) {
        SSLSocket ssl = tls.wrap(socket);
        ssl.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        remote = new SocketTransport(ssl, peer);
      } else {
        remote = new SocketTransport(socket, peer);
      }
    } catch (IOException e) {
      if (!closed) {
        LOG.warn("listener {}: refused connection from {}: {}", address, peer, describe(e));
      }
      closeQuietly(socket);
      return;
    }
    Transport local;
    try {
      local = localDialer.dial(localAddress, LOCAL_DIAL_TIMEOUT);
    } catch (IOException e) {
      if (!closed) {
        LOG.error("listener {}: dial local node {}: {}", address, localAddress, e.getMessage());
      }
      remote.close();
      return;
    }
    group.start(remote, local);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (e instanceof SocketException && message == null) {
      return e.getClass().getSimpleName();
    }
    return (e instanceof javax.net.ssl.SSLException ? "TLS handshake: " : "") + message;
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
    for (Socket socket : pending) {
      closeQuietly(socket);
    }
    try {
      acceptor.join(5_000);
      handshakes.awaitTermination(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
