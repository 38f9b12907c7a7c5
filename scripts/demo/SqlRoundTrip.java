import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The demo's SQL round trip with this project's JDBC driver (run by scripts/demo.sh with the
 * sidecar's shaded jar on the class path, which holds the driver):
 *
 * <pre>
 * java -cp sidecar/target/dqlite-sidecar.jar scripts/demo/SqlRoundTrip.java URL write|read
 * </pre>
 *
 * {@code write} creates the table if needed and inserts a row, then reads every row back; {@code
 * read} only reads. Exit 0 on success, 1 with the SQL error otherwise.
 */
public class SqlRoundTrip {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: SqlRoundTrip JDBC_URL write|read");
      System.exit(2);
    }
    String url = args[0];
    boolean write = args[1].equals("write");
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url)) {
      if (write) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
              + " via TEXT NOT NULL)");
        }
        try (PreparedStatement ps =
            c.prepareStatement("INSERT INTO visits (at, via) VALUES (datetime('now'), ?)")) {
          ps.setString(1, url);
          ps.executeUpdate();
        }
      }
      int rows = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT id, at, via FROM visits ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows++;
          System.out.printf("  row %d at %s via %s%n", rs.getLong(1), rs.getString(2),
              rs.getString(3));
        }
      }
      System.out.printf("  %s: %d row(s), %d ms%n", write ? "wrote and read" : "read", rows,
          (System.nanoTime() - t0) / 1_000_000);
    } catch (java.sql.SQLException e) {
      System.err.println("SQL failed (" + e.getSQLState() + "): " + e.getMessage());
      System.exit(1);
    }
  }
}
