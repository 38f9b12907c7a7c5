package io.dqlite.sidecar.daemon;

import io.dqlite.client.net.AbstractUnixSocket;
import io.dqlite.client.protocol.FailureResponse;
import io.dqlite.client.protocol.MessageHeader;
import io.dqlite.client.protocol.Request;
import io.dqlite.client.protocol.Response;
import io.dqlite.client.protocol.ResponseType;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * A raw dqlite connection to an app socket, for sending what no well-behaved client sends (stale
 * statement ids, lying headers) and reading answers frame by frame. Not thread-safe.
 */
final class RawWire implements AutoCloseable {

  private final AbstractUnixSocket socket;

  private RawWire(AbstractUnixSocket socket) {
    this.socket = socket;
  }

  /** Connects to {@code @name} and sends the protocol version. */
  static RawWire connect(String abstractAddress) throws IOException {
    RawWire w =
        new RawWire(
            AbstractUnixSocket.connect(abstractAddress.substring(1), Duration.ofSeconds(5)));
    w.write(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
    return w;
  }

  /** Connects to {@code @name} and sends nothing: the connection waits in its handshake. */
  static RawWire connectQuiet(String abstractAddress) throws IOException {
    return new RawWire(
        AbstractUnixSocket.connect(abstractAddress.substring(1), Duration.ofSeconds(5)));
  }

  void write(byte[] b) throws IOException {
    socket.output().write(b);
    socket.output().flush();
  }

  void send(Request r) throws IOException {
    write(r.encode());
  }

  /** A message of {@code type} with {@code body} and a header saying {@code words}. */
  static byte[] message(int type, byte[] body, long words) {
    ByteBuffer b =
        ByteBuffer.allocate(MessageHeader.SIZE + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) words).put((byte) type).put((byte) 0).putShort((short) 0).put(body);
    return b.array();
  }

  static byte[] words(long... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  /** Two uint32 in one word: a db id and a statement id, as exec, query and finalize carry. */
  static byte[] ids(int db, int stmt) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(db).putInt(stmt).array();
  }

  /** The next answer, decoded. */
  Response receive() throws IOException {
    InputStream in = socket.input();
    MessageHeader h = header(readN(in, MessageHeader.SIZE));
    try {
      return Response.decode(h, readN(in, (int) h.bodyBytes()));
    } catch (io.dqlite.client.protocol.ProtocolException e) {
      throw new IOException(e);
    }
  }

  /** The next answer, which must be a failure. */
  FailureResponse failure() throws IOException {
    Response r = receive();
    if (r instanceof FailureResponse f) {
      return f;
    }
    throw new IOException("expected a failure, got " + r.type());
  }

  /**
   * Reads the next message's header and skips its body without holding it.
   *
   * @return the header
   */
  MessageHeader skipMessage() throws IOException {
    InputStream in = socket.input();
    MessageHeader h = header(readN(in, MessageHeader.SIZE));
    in.skipNBytes(h.bodyBytes());
    return h;
  }

  /** Reads until the sidecar closes the connection; the bytes read. */
  long drainToEnd() {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    try {
      for (int r; (r = socket.input().read(buf)) >= 0; ) {
        total += r;
      }
    } catch (IOException e) {
      // Reset counts as closed.
    }
    return total;
  }

  /**
   * Reads whole frames until the sidecar closes the connection.
   *
   * @return how many frames came
   * @throws IOException when the stream ends inside a frame or a frame is not a response
   */
  int framesToEnd() throws IOException {
    InputStream in = socket.input();
    int frames = 0;
    while (true) {
      byte[] head;
      try {
        head = in.readNBytes(MessageHeader.SIZE);
      } catch (IOException e) {
        return frames; // A reset after the last frame is a close too.
      }
      if (head.length == 0) {
        return frames;
      }
      if (head.length < MessageHeader.SIZE) {
        throw new IOException("the stream ended inside a header after " + frames + " frames");
      }
      MessageHeader h = header(head);
      if (h.type() > ResponseType.METADATA.code()) {
        throw new IOException("frame " + frames + " has no response type: " + h);
      }
      in.skipNBytes(h.bodyBytes());
      frames++;
    }
  }

  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  static boolean isFailure(MessageHeader h) {
    return h.type() == ResponseType.FAILURE.code();
  }

  private static MessageHeader header(byte[] b) throws IOException {
    try {
      return MessageHeader.decode(b);
    } catch (io.dqlite.client.protocol.ProtocolException e) {
      throw new IOException(e);
    }
  }

  private static byte[] readN(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException("connection closed after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  @Override
  public void close() {
    socket.close();
  }
}
