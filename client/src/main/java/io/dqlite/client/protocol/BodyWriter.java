package io.dqlite.client.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a message body: little-endian integers, NUL-terminated text and length-prefixed blobs,
 * each padded to the 8-byte words the dqlite protocol counts in.
 */
public final class BodyWriter {

  private byte[] buf;
  private int size;

  public BodyWriter() {
    this(64);
  }

  public BodyWriter(int initialCapacity) {
    buf = new byte[Math.max(8, initialCapacity)];
  }

  /** Bytes written so far. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** The internal array, valid up to {@link #size()}; avoids a copy when sending. */
  byte[] array() {
    return buf;
  }

  private void ensure(int more) {
    long needed = (long) size + more;
    if (needed > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("message body too large: " + needed + " bytes");
    }
    if (needed > buf.length) {
      buf =
          Arrays.copyOf(
              buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
    }
  }

  public BodyWriter putUint8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  public BodyWriter putUint16(int v) {
    ensure(2);
    buf[size++] = (byte) v;
    buf[size++] = (byte) (v >>> 8);
    return this;
  }

  public BodyWriter putUint32(long v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  /** Writes 8 bytes; unsigned 64-bit values travel in a Java long's bits. */
  public BodyWriter putUint64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  public BodyWriter putInt64(long v) {
    return putUint64(v);
  }

  public BodyWriter putFloat64(double v) {
    return putUint64(Double.doubleToRawLongBits(v));
  }

  /**
   * Writes UTF-8 text, a NUL terminator and zero padding up to the next word.
   *
   * @throws IllegalArgumentException if the text contains U+0000, which would cut it short
   */
  public BodyWriter putText(String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "text contains a NUL character, which the dqlite protocol cannot carry in a string;"
              + " send such data as a BLOB");
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    ensure(bytes.length + 8);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
    buf[size++] = 0;
    return pad();
  }

  /** Writes a 64-bit length, the bytes, and zero padding up to the next word. */
  public BodyWriter putBlob(byte[] bytes) {
    putUint64(bytes.length);
    ensure(bytes.length + 8);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
    return pad();
  }

  /** Zero bytes up to the next 8-byte boundary. */
  public BodyWriter pad() {
    int rest = size % 8;
    if (rest != 0) {
      ensure(8 - rest);
      Arrays.fill(buf, size, size + 8 - rest, (byte) 0);
      size += 8 - rest;
    }
    return this;
  }

  /** Overwrites one byte already written, for headers filled in after their values. */
  void setUint8(int offset, int v) {
    buf[offset] = (byte) v;
  }
}
