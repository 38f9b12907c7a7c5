package io.dqlite.client.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A {@link Transport} over a connected {@link Socket}: TCP, or TLS from a custom dialer. */
public final class SocketTransport implements Transport {

  private final Socket socket;
  private final String address;
  private final InputStream in;
  private final OutputStream out;

  /** Wraps a connected socket (for example an {@code SSLSocket}); takes ownership of it. */
  public SocketTransport(Socket socket, String address) throws IOException {
    this.socket = socket;
    this.address = address;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
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
  public InputStream input() {
    return in;
  }

  @Override
  public OutputStream output() {
    return out;
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is best effort: the socket is unusable either way.
    }
  }
}
