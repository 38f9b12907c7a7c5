package io.dqlite.client.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a message body written by {@link BodyWriter}. Every read is bounds-checked: a body that
 * ends too early raises a {@link ProtocolException}, never an index error or a hang.
 *
 * <p>Text is strict UTF-8 by default (answers a client acts on). {@link #lenient} reads it as
 * libdqlite does, without validation, malformed bytes becoming U+FFFD: for requests, which a node
 * accepts whatever their text bytes (SQLite stores them) and which a proxy inspects but forwards as
 * they came.
 */
public final class BodyReader {

  private final byte[] buf;
  private final int limit;
  private final boolean strict;
  private int pos;

  public BodyReader(byte[] body) {
    this(body, 0, body.length);
  }

  public BodyReader(byte[] body, int offset, int length) {
    this(body, offset, length, true);
  }

  private BodyReader(byte[] body, int offset, int length, boolean strict) {
    this.buf = body;
    this.pos = offset;
    this.limit = offset + length;
    this.strict = strict;
  }

  /** A reader whose text is not validated: malformed UTF-8 becomes U+FFFD. */
  public static BodyReader lenient(byte[] body) {
    return new BodyReader(body, 0, body.length, false);
  }

  /** Bytes left to read. */
  public int remaining() {
    return limit - pos;
  }

  /** Current read offset. */
  public int position() {
    return pos;
  }

  private void need(int n, String what) throws ProtocolException {
    if (n < 0 || limit - pos < n) {
      throw new ProtocolException(
          "truncated message: " + what + " needs " + n + " bytes, " + remaining() + " left", null);
    }
  }

  /** The byte at the current position, without consuming it. */
  public int peekUint8() throws ProtocolException {
    need(1, "byte");
    return buf[pos] & 0xff;
  }

  public int getUint8() throws ProtocolException {
    need(1, "byte");
    return buf[pos++] & 0xff;
  }

  public int getUint16() throws ProtocolException {
    need(2, "uint16");
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
    pos += 2;
    return v;
  }

  public long getUint32() throws ProtocolException {
    need(4, "uint32");
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (long) (buf[pos + i] & 0xff) << (8 * i);
    }
    pos += 4;
    return v;
  }

  /** Reads 8 bytes; unsigned 64-bit values come back in a Java long's bits. */
  public long getUint64() throws ProtocolException {
    need(8, "uint64");
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (long) (buf[pos + i] & 0xff) << (8 * i);
    }
    pos += 8;
    return v;
  }

  public long getInt64() throws ProtocolException {
    return getUint64();
  }

  public double getFloat64() throws ProtocolException {
    return Double.longBitsToDouble(getUint64());
  }

  /** Reads NUL-terminated UTF-8 text and the padding after it; see {@link #getText(String)}. */
  public String getText() throws ProtocolException {
    return getText("text");
  }

  /**
   * Reads NUL-terminated UTF-8 text and the padding after it. For a strict reader the bytes must be
   * well-formed UTF-8: malformed text is refused, not patched with replacement characters, because
   * a changed column name, value or address is a wrong answer that looks right.
   *
   * @param field what the text is (a column name, a node address), for the error message
   * @throws MalformedTextException when the bytes are not UTF-8, naming {@code field} and the
   *     offset
   */
  public String getText(String field) throws ProtocolException {
    int start = pos;
    int end = start;
    boolean ascii = true;
    while (end < limit && buf[end] != 0) {
      ascii &= buf[end] >= 0;
      end++;
    }
    if (end == limit) {
      throw new ProtocolException(
          "truncated message: " + field + " at offset " + start + " has no NUL terminator", null);
    }
    String s;
    if (ascii) {
      s = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    } else if (strict) {
      s = Utf8.decode(buf, start, end - start, field);
    } else {
      s = new String(buf, start, end - start, StandardCharsets.UTF_8);
    }
    int consumed = padded(end + 1 - start);
    need(consumed, field + " padding");
    pos += consumed;
    return s;
  }

  /** Reads a 64-bit length, that many bytes, and the padding after them. */
  public byte[] getBlob() throws ProtocolException {
    long length = getUint64();
    if (length < 0 || length > remaining()) {
      throw new ProtocolException(
          "truncated message: blob of "
              + Long.toUnsignedString(length)
              + " bytes, "
              + remaining()
              + " left",
          null);
    }
    byte[] bytes = Arrays.copyOfRange(buf, pos, pos + (int) length);
    int consumed = padded((int) length);
    need(consumed, "blob padding");
    pos += consumed;
    return bytes;
  }

  /** Skips {@code n} bytes. */
  public void skip(int n) throws ProtocolException {
    need(n, "skip");
    pos += n;
  }

  static int padded(int n) {
    int rest = n % 8;
    return rest == 0 ? n : n + 8 - rest;
  }
}
