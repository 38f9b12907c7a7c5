package io.dqlite.client.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.SQLException;

/**
 * The Clob (and NClob) of {@link DqliteConnection#createClob}: text held in memory, bound as TEXT
 * by {@code setClob}. SQLite has no LOB locators, so a Clob is only ever a value; frameworks
 * (Hibernate at start-up) create one to learn whether the driver can. Positions are 1-based, as
 * JDBC's. Not thread-safe.
 */
final class MemoryClob implements NClob {

  private StringBuilder text = new StringBuilder();

  @Override
  public long length() throws SQLException {
    return text().length();
  }

  @Override
  public String getSubString(long pos, int length) throws SQLException {
    int from = Lobs.start(pos, text().length(), "Clob");
    Lobs.checkLength(length);
    return text.substring(from, Math.min(text.length(), from + length));
  }

  @Override
  public Reader getCharacterStream() throws SQLException {
    return new StringReader(text().toString());
  }

  @Override
  public Reader getCharacterStream(long pos, long length) throws SQLException {
    int bounded = (int) Math.min(length, Integer.MAX_VALUE);
    return new StringReader(getSubString(pos, bounded));
  }

  @Override
  public InputStream getAsciiStream() throws SQLException {
    return new ByteArrayInputStream(text().toString().getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public long position(String searchstr, long start) throws SQLException {
    int from = Lobs.start(start, text().length(), "Clob");
    int at = text.indexOf(searchstr, from);
    return at < 0 ? -1 : at + 1;
  }

  @Override
  public long position(Clob searchstr, long start) throws SQLException {
    return position(searchstr.getSubString(1, Math.toIntExact(searchstr.length())), start);
  }

  @Override
  public int setString(long pos, String str) throws SQLException {
    return setString(pos, str, 0, str.length());
  }

  @Override
  public int setString(long pos, String str, int offset, int len) throws SQLException {
    int from = Lobs.start(pos, text().length(), "Clob");
    if (offset < 0 || len < 0 || offset + len > str.length()) {
      throw Lobs.invalid("offset " + offset + " and length " + len + " outside the string");
    }
    int end = Math.min(text.length(), from + len);
    text.replace(from, end, str.substring(offset, offset + len));
    return len;
  }

  @Override
  public OutputStream setAsciiStream(long pos) throws SQLException {
    int from = Lobs.start(pos, text().length(), "Clob");
    return new OutputStream() {
      private int at = from;

      @Override
      public void write(int b) {
        char c = (char) (b & 0x7f);
        if (at < text.length()) {
          text.setCharAt(at, c);
        } else {
          text.append(c);
        }
        at++;
      }
    };
  }

  @Override
  public Writer setCharacterStream(long pos) throws SQLException {
    int from = Lobs.start(pos, text().length(), "Clob");
    return new Writer() {
      private int at = from;

      @Override
      public void write(char[] buf, int off, int len) {
        int end = Math.min(text.length(), at + len);
        text.replace(at, end, new String(buf, off, len));
        at += len;
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Override
  public void truncate(long len) throws SQLException {
    if (len < 0 || len > text().length()) {
      throw Lobs.invalid("cannot truncate a Clob of " + text.length() + " characters to " + len);
    }
    text.setLength((int) len);
  }

  @Override
  public void free() {
    text = null;
  }

  private StringBuilder text() throws SQLException {
    if (text == null) {
      throw Lobs.freed("Clob");
    }
    return text;
  }

  @Override
  public String toString() {
    return text == null ? "Clob (freed)" : "Clob of " + text.length() + " characters";
  }
}
