package io.dqlite.sidecar.appsocket;

import io.dqlite.client.protocol.MessageHeader;
import io.dqlite.client.protocol.ProtocolException;
import io.dqlite.client.protocol.RowsResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One dqlite message as it travels: its header and its raw body. The proxy forwards frames byte for
 * byte and decodes only what it must.
 */
record Frame(MessageHeader header, byte[] body) {

  private static final int FIRST_CHUNK = 64 * 1024;
  private static final long MAX_BODY = Integer.MAX_VALUE - 16;

  /**
   * What a relayed message showed of itself: its header, the first bytes of its body (up to {@link
   * #HEAD} of them) and the last 8 bytes of its body as a little-endian word.
   */
  record Summary(MessageHeader header, byte[] head, long lastWord) {
    int type() {
      return header.type();
    }

    /** For a ROWS response: whether another batch follows (the PART marker ends it). */
    boolean moreRowsFollow() {
      return header.bodyBytes() >= 8 && lastWord == RowsResponse.PART;
    }
  }

  /** How much of a relayed body's beginning {@link Summary#head()} keeps. */
  static final int HEAD = 16;

  /**
   * Reads a message header.
   *
   * @return the header, or null when the stream ended cleanly before its first byte
   * @throws ProtocolException when the stream ends inside the header
   */
  static MessageHeader readHeader(InputStream in) throws IOException, ProtocolException {
    byte[] head = new byte[MessageHeader.SIZE];
    int n = readFully(in, head, 0, head.length);
    if (n == 0) {
      return null;
    }
    if (n < head.length) {
      throw new ProtocolException("truncated message header (" + n + " of 8 bytes)", null);
    }
    return MessageHeader.decode(head);
  }

  /**
   * Reads exactly {@code n} bytes.
   *
   * @throws ProtocolException when the stream ends first
   */
  static byte[] readExactly(InputStream in, int n, MessageHeader header)
      throws IOException, ProtocolException {
    byte[] b = new byte[n];
    int got = readFully(in, b, 0, n);
    if (got < n) {
      throw new ProtocolException(
          "truncated message of type "
              + header.type()
              + " (stream ended"
              + " inside its "
              + header.bodyBytes()
              + "-byte body)",
          null);
    }
    return b;
  }

  /**
   * Relays one message from {@code in} to {@code out} through {@code buf}, whatever its size:
   * writes the header and {@code prefix} (body bytes already read), then copies the rest of the
   * body as it arrives. Memory stays {@code buf}, however large the body; a body that fits in
   * {@code buf} with its header goes out in one write.
   *
   * @param prefix the first bytes of the body, already read from {@code in}; for a response, pass
   *     an empty array and the first {@link #HEAD} bytes are read here
   * @throws ProtocolException when {@code in} ends inside the body
   */
  static Summary relay(
      MessageHeader header, byte[] prefix, InputStream in, OutputStream out, byte[] buf)
      throws IOException, ProtocolException {
    long size = header.bodyBytes();
    if (prefix.length == 0) {
      prefix = readExactly(in, (int) Math.min(size, HEAD), header);
    }
    byte[] head = prefix.length > HEAD ? Arrays.copyOf(prefix, HEAD) : prefix;
    long last = lastWord(0, prefix, 0, prefix.length);
    System.arraycopy(header.encode(), 0, buf, 0, MessageHeader.SIZE);
    int fill = MessageHeader.SIZE;
    int p = 0;
    long left = size;
    while (p < prefix.length) {
      int n = Math.min(prefix.length - p, buf.length - fill);
      System.arraycopy(prefix, p, buf, fill, n);
      fill += n;
      p += n;
      left -= n;
      if (fill == buf.length) {
        out.write(buf, 0, fill);
        fill = 0;
      }
    }
    while (left > 0) {
      int want = (int) Math.min(left, buf.length - fill);
      int r = in.read(buf, fill, want);
      if (r < 0) {
        throw new ProtocolException(
            "truncated message of type "
                + header.type()
                + " ("
                + (size - left)
                + " of "
                + size
                + " body bytes before end of stream)",
            null);
      }
      last = lastWord(last, buf, fill, r);
      fill += r;
      left -= r;
      if (fill == buf.length || left == 0) {
        out.write(buf, 0, fill);
        fill = 0;
      }
    }
    if (fill > 0) {
      out.write(buf, 0, fill);
    }
    out.flush();
    return new Summary(header, head, last);
  }

  /**
   * The last 8 bytes seen, little endian, after the {@code n} bytes of {@code b} at {@code off}.
   */
  private static long lastWord(long last, byte[] b, int off, int n) {
    for (int i = off + Math.max(0, n - 8); i < off + n; i++) {
      last = (last >>> 8) | ((b[i] & 0xffL) << 56);
    }
    return last;
  }

  /**
   * Reads one message.
   *
   * @return the message, or null when the stream ended cleanly before its first byte
   * @throws ProtocolException for a header that cannot be a message, or a truncated one
   * @throws IOException when reading fails
   */
  static Frame read(InputStream in) throws IOException, ProtocolException {
    return read(in, MAX_BODY);
  }

  /** {@link #read(InputStream)}, refusing bodies over {@code maxBody} bytes as garbage. */
  static Frame read(InputStream in, long maxBody) throws IOException, ProtocolException {
    MessageHeader header = readHeader(in);
    if (header == null) {
      return null;
    }
    long size = header.bodyBytes();
    if (size == 0 || size > Math.min(maxBody, MAX_BODY)) {
      throw new ProtocolException(
          "message of type " + header.type() + " claims a body of " + size + " bytes", null);
    }
    // Grow the buffer only as bytes arrive, so a lying header cannot reserve gigabytes.
    byte[] body = new byte[(int) Math.min(size, FIRST_CHUNK)];
    int got = 0;
    while (got < size) {
      if (got == body.length) {
        body = Arrays.copyOf(body, (int) Math.min(size, 2L * body.length));
      }
      int r = readFully(in, body, got, body.length - got);
      got += r;
      if (got < body.length) {
        throw new ProtocolException(
            "truncated message (" + got + " of " + size + " body bytes before end of stream)",
            null);
      }
    }
    return new Frame(header, body);
  }

  /** Reads the 8-byte protocol version a client sends first; -1 if the stream ended at once. */
  static long readVersion(InputStream in) throws IOException {
    byte[] v = new byte[8];
    int n = readFully(in, v, 0, 8);
    if (n == 0) {
      return -1;
    }
    if (n < 8) {
      throw new EOFException("connection closed during the handshake");
    }
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (v[i] & 0xff);
    }
    return value;
  }

  int type() {
    return header.type();
  }

  /** For a ROWS response: whether another batch follows (its last word is the PART marker). */
  boolean moreRowsFollow() {
    if (body.length < 8) {
      return false;
    }
    long marker = 0;
    for (int i = body.length - 1; i >= body.length - 8; i--) {
      marker = (marker << 8) | (body[i] & 0xff);
    }
    return marker == RowsResponse.PART;
  }

  /** Writes header and body in one go. */
  void write(OutputStream out) throws IOException {
    byte[] all = new byte[MessageHeader.SIZE + body.length];
    System.arraycopy(header.encode(), 0, all, 0, MessageHeader.SIZE);
    System.arraycopy(body, 0, all, MessageHeader.SIZE, body.length);
    out.write(all);
    out.flush();
  }

  private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int r = in.read(b, off + total, len - total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }
}
