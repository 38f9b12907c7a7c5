package io.dqlite.client.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** A {@link Transport} over a connected {@link Socket}: TCP, or TLS from a custom dialer. */
public final class SocketTransport extends StreamTransport {

  private final Socket socket;

  /** Wraps a connected socket (for example an {@code SSLSocket}); takes ownership of it. */
  public SocketTransport(Socket socket, String address) throws IOException {
    super(address, socket.getInputStream(), socket.getOutputStream());
    this.socket = socket;
  }

  /** Connects over TCP with TCP_NODELAY (go sets it too: dqlite messages are small). */
  static SocketTransport connect(String address, String host, int port, Duration timeout)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), timeoutMillis(timeout));
      return new SocketTransport(socket, address);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  static int timeoutMillis(Duration timeout) {
    long ms = Math.max(1, timeout.toMillis());
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /**
   * Closes the socket without ever blocking. An {@link SSLSocket} sends close_notify under the lock
   * a writer holds while it is stuck on a peer that stopped reading, and its plain close would wait
   * for that writer for good, which is the writer a deadline closes the socket to free. With
   * SO_LINGER 0 the JDK does not wait for that lock: it shuts the TCP socket down instead, which
   * fails the writer.
   */
  @Override
  void closeUnderlying() throws IOException {
    if (socket instanceof SSLSocket) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException e) {
        // already closed
      }
    }
    socket.close();
  }
}
