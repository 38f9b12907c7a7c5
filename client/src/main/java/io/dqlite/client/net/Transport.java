package io.dqlite.client.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connected byte stream to a dqlite node: TCP, a unix socket, or whatever a custom {@link Dialer}
 * returns (for example TLS over TCP).
 *
 * <p>Streams are used by one thread at a time; {@link #close()} may be called from any thread and
 * must make blocked reads and writes fail promptly, since that is how deadlines are enforced.
 */
public interface Transport extends AutoCloseable {

  /** The stream of bytes from the peer; end of stream means the peer closed. */
  InputStream input();

  /** The stream of bytes to the peer; writes are not buffered beyond the OS. */
  OutputStream output();

  /**
   * Makes the OS acknowledge the data it receives next at once rather than delay the ACK; a no-op
   * where the transport has no delayed ACKs. Asked for before reading pipelined answers: the node
   * writes each answer as it is ready, with Nagle's algorithm on, so an answer behind an
   * unacknowledged one waits for the client's ACK, which TCP otherwise delays by about 40 ms. Linux
   * leaves quick-ack mode by itself, so it is asked for again before each such read.
   */
  default void quickAck() {}

  /**
   * Whether {@link #quickAck} works here, so that requests sent together get their answers without
   * a delayed-ACK wait. False by default, and for a unix socket: the sidecar's app socket behind it
   * relays to the leader over its own TCP connection, where the second answer would wait for that
   * connection's delayed ACK (about 40 ms); the client then sends one request at a time.
   */
  default boolean supportsQuickAck() {
    return false;
  }

  /** Half-closes: the peer sees end of stream, reading stays possible. */
  void shutdownOutput() throws IOException;

  /** The address this transport was dialled or accepted on, as given (for messages). */
  String address();

  /** Closes the transport; idempotent, thread-safe, unblocks blocked reads and writes. */
  @Override
  void close();
}
