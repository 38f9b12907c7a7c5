package io.dqlite.client.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Blob;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The Blob of {@link DqliteConnection#createBlob}: bytes held in memory, bound as a BLOB by {@code
 * setBlob}. Positions are 1-based, as JDBC's. Not thread-safe.
 */
final class MemoryBlob implements Blob {

  private byte[] bytes = new byte[0];

  @Override
  public long length() throws SQLException {
    return bytes().length;
  }

  @Override
  public byte[] getBytes(long pos, int length) throws SQLException {
    int from = Lobs.start(pos, bytes().length, "Blob");
    Lobs.checkLength(length);
    return Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + length));
  }

  @Override
  public InputStream getBinaryStream() throws SQLException {
    return new ByteArrayInputStream(bytes().clone());
  }

  @Override
  public InputStream getBinaryStream(long pos, long length) throws SQLException {
    return new ByteArrayInputStream(
        getBytes(pos, Math.toIntExact(Math.min(length, Integer.MAX_VALUE))));
  }

  @Override
  public long position(byte[] pattern, long start) throws SQLException {
    int from = Lobs.start(start, bytes().length, "Blob");
    outer:
    for (int i = from; i + pattern.length <= bytes.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i + 1;
    }
    return -1;
  }

  @Override
  public long position(Blob pattern, long start) throws SQLException {
    return position(pattern.getBytes(1, Math.toIntExact(pattern.length())), start);
  }

  @Override
  public int setBytes(long pos, byte[] value) throws SQLException {
    return setBytes(pos, value, 0, value.length);
  }

  @Override
  public int setBytes(long pos, byte[] value, int offset, int len) throws SQLException {
    int from = Lobs.start(pos, bytes().length, "Blob");
    if (offset < 0 || len < 0 || offset + len > value.length) {
      throw Lobs.invalid("offset " + offset + " and length " + len + " outside the array");
    }
    if (from + len > bytes.length) {
      bytes = Arrays.copyOf(bytes, from + len);
    }
    System.arraycopy(value, offset, bytes, from, len);
    return len;
  }

  @Override
  public OutputStream setBinaryStream(long pos) throws SQLException {
    int from = Lobs.start(pos, bytes().length, "Blob");
    return new OutputStream() {
      private int at = from;

      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        try {
          at += setBytes(at + 1, b, off, len);
        } catch (SQLException e) {
          throw new java.io.IOException(e.getMessage(), e);
        }
      }

      @Override
      public void write(int b) throws java.io.IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }
    };
  }

  @Override
  public void truncate(long len) throws SQLException {
    if (len < 0 || len > bytes().length) {
      throw Lobs.invalid("cannot truncate a Blob of " + bytes.length + " bytes to " + len);
    }
    bytes = Arrays.copyOf(bytes, (int) len);
  }

  @Override
  public void free() {
    bytes = null;
  }

  private byte[] bytes() throws SQLException {
    if (bytes == null) {
      throw Lobs.freed("Blob");
    }
    return bytes;
  }

  @Override
  public String toString() {
    return bytes == null ? "Blob (freed)" : "Blob of " + bytes.length + " bytes";
  }
}
