package io.dqlite.sidecar.proxy;

import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.DqliteAddress;
import io.dqlite.client.net.SocketTransport;
import io.dqlite.client.net.Transport;
import io.dqlite.sidecar.tls.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Dials TCP and completes a client-side TLS handshake within the dial timeout: go-dqlite's {@code
 * client.DialFuncWithTLS} (client/dial.go, v1.11.9), for the driver, the App's clients and, behind
 * a socketpair, raft's outgoing connections. TCP gets go-dqlite's proxy keepalive settings
 * ({@link TcpOptions}).
 */
public final class TlsDialer implements Dialer {

  private final TlsConfig tls;

  /** @param tls a client-side (dial) configuration, e.g. {@code SimpleTls.dial(credentials)} */
  public TlsDialer(TlsConfig tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    if (!tls.clientMode()) {
      throw new IllegalArgumentException(
          "the TLS configuration is a server (listen) one; give the dial configuration"
              + " (SimpleTls.dial)");
    }
  }

  @Override
  public Transport dial(String address, Duration timeout) throws IOException {
    DqliteAddress parsed;
    try {
      parsed = DqliteAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (!(parsed instanceof DqliteAddress.Tcp tcp)) {
      throw new IOException("dial " + address + ": TLS needs a TCP host:port address");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Socket socket = new Socket();
    try {
      TcpOptions.apply(socket);
      socket.connect(new InetSocketAddress(tcp.host(), tcp.port()), millis(deadline));
      SSLSocket ssl = tls.wrap(socket);
      ssl.setSoTimeout(millis(deadline));
      ssl.startHandshake();
      ssl.setSoTimeout(0);
      return new SocketTransport(ssl, address);
    } catch (SocketTimeoutException e) {
      socket.close();
      SocketTimeoutException timedOut =
          new SocketTimeoutException("dial " + address + ": timed out after " + timeout);
      timedOut.initCause(e);
      throw timedOut;
    } catch (SSLException e) {
      socket.close();
      throw new IOException("dial " + address + ": TLS handshake: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw new IOException("dial " + address + ": " + e.getMessage(), e);
    }
  }

  private static int millis(long deadline) throws SocketTimeoutException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }
}
