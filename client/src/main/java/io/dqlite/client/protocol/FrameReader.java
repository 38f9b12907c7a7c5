package io.dqlite.client.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads one message (header and body) from a stream, trusting nothing the header says: a body
 * larger than the limit is refused before anything is allocated for it, and the buffer for an
 * accepted body grows only as its bytes actually arrive, so a header that lies costs at most what
 * the peer really sent.
 */
public final class FrameReader {

  /** The largest body a Java array can hold (and so the largest limit accepted). */
  public static final int MAX_LIMIT = Integer.MAX_VALUE - 16;

  private static final int FIRST_CHUNK = 64 * 1024;

  private FrameReader() {}

  /**
   * A message as read from the wire.
   *
   * @param header the 8-byte header
   * @param body the body, {@code header.bodyBytes()} long
   */
  public record Frame(MessageHeader header, byte[] body) {}

  /**
   * Reads the next message.
   *
   * @param maxBody the largest body accepted, in bytes (at most {@link #MAX_LIMIT})
   * @return the message, or null when the stream ends cleanly before its first byte
   * @throws FrameTooLargeException when the header announces more than {@code maxBody}
   * @throws ProtocolException when the stream ends inside a message, or the body is empty
   * @throws IOException from the stream
   */
  public static Frame read(InputStream in, long maxBody) throws IOException, ProtocolException {
    byte[] headerBytes = new byte[MessageHeader.SIZE];
    int n = readFully(in, headerBytes, 0, MessageHeader.SIZE);
    if (n == 0) {
      return null;
    }
    if (n < MessageHeader.SIZE) {
      throw new ProtocolException(
          "truncated message header (" + n + " of 8 bytes before end of stream)", null);
    }
    MessageHeader header = MessageHeader.decode(headerBytes);
    long size = header.bodyBytes();
    if (size == 0) {
      throw new ProtocolException(
          "message of type "
              + header.type()
              + " claims a body of 0 bytes, which the protocol never sends",
          null);
    }
    if (size > Math.min(maxBody, MAX_LIMIT)) {
      throw new FrameTooLargeException(header.type(), size, Math.min(maxBody, MAX_LIMIT));
    }
    return new Frame(header, readBody(in, (int) size, header.type()));
  }

  /** Reads a body of {@code size} bytes, growing the buffer only as data actually arrives. */
  private static byte[] readBody(InputStream in, int size, int type)
      throws IOException, ProtocolException {
    byte[] body = new byte[Math.min(size, FIRST_CHUNK)];
    int got = 0;
    while (got < size) {
      if (got == body.length) {
        body = Arrays.copyOf(body, (int) Math.min(size, 2L * body.length));
      }
      got += readFully(in, body, got, body.length - got);
      if (got < body.length) {
        throw new ProtocolException(
            "truncated message ("
                + got
                + " of "
                + size
                + " body bytes before end of stream; type "
                + type
                + ")",
            null);
      }
    }
    return body;
  }

  /** Reads until {@code len} bytes or end of stream; returns how many were read. */
  private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(b, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
