package io.dqlite.client.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSocket;
import jdk.net.ExtendedSocketOptions;

/** A {@link Transport} over a connected {@link Socket}: TCP, or TLS from a custom dialer. */
public final class SocketTransport extends StreamTransport {

  private static final SocketOption<Boolean> QUICK_ACK = ExtendedSocketOptions.TCP_QUICKACK;
  private static final LongAdder QUICK_ACKS = new LongAdder();

  private final Socket socket;

  /** Whether the socket takes TCP_QUICKACK (Linux TCP); cleared when setting it fails. */
  private volatile boolean quickAck;

  /** Wraps a connected socket (for example an {@code SSLSocket}); takes ownership of it. */
  public SocketTransport(Socket socket, String address) throws IOException {
    super(address, socket.getInputStream(), socket.getOutputStream());
    this.socket = socket;
    this.quickAck = supportsQuickAck(socket);
  }

  private static boolean supportsQuickAck(Socket socket) {
    try {
      return socket.supportedOptions().contains(QUICK_ACK);
    } catch (RuntimeException e) {
      return false; // a socket of a custom dialer that cannot list its options
    }
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
  public boolean supportsQuickAck() {
    return quickAck;
  }

  /** Quick ACKs asked for by every socket of this JVM, for tests. */
  public static long quickAcksAsked() {
    return QUICK_ACKS.sum();
  }

  @Override
  public void quickAck() {
    if (!quickAck) {
      return;
    }
    try {
      socket.setOption(QUICK_ACK, true);
      QUICK_ACKS.increment();
    } catch (IOException | RuntimeException e) {
      // Closed (the read that follows reports it), or not TCP after all: answers come late, not
      // wrong, so stop asking.
      quickAck = false;
    }
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
