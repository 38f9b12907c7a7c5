package io.dqlite.client.jdbc;

import java.sql.SQLException;

/** Argument checks shared by {@link MemoryClob} and {@link MemoryBlob}. */
final class Lobs {

  private Lobs() {}

  /**
   * The 0-based index of JDBC's 1-based {@code pos} in a LOB of {@code length}: 1 to length + 1
   * (just past the end, where writing appends).
   */
  static int start(long pos, int length, String what) throws SQLException {
    if (pos < 1 || pos > (long) length + 1) {
      throw invalid("position " + pos + " outside the " + what + " (1 to " + (length + 1) + ")");
    }
    return (int) (pos - 1);
  }

  static void checkLength(int length) throws SQLException {
    if (length < 0) {
      throw invalid("negative length " + length);
    }
  }

  static SQLException invalid(String why) {
    return new SQLException(why, DqliteSqlState.DATA_EXCEPTION.state());
  }

  static SQLException freed(String what) {
    return new SQLException(
        "the " + what + " was freed (free()); create a new one",
        DqliteSqlState.GENERAL_ERROR.state());
  }
}
