package io.dqlite.client.jdbc;

import java.sql.SQLException;
import java.sql.Statement;

/** A table whose query answer spans several row batches: 2,000 rows of about 100 bytes. */
final class ManyRows {

  /** Its query, in the order the tests read it. */
  static final String SELECT = "SELECT n, pad FROM many ORDER BY n";

  private ManyRows() {}

  static void create(Statement s) throws SQLException {
    s.execute("CREATE TABLE many (n INTEGER, pad TEXT)");
    s.execute(
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000)"
            + " INSERT INTO many SELECT n, printf('%0100d', n) FROM r");
  }
}
