import io.dqlite.client.jdbc.DqliteTransactions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Writes a row through the leader of a dqlite cluster and reads it back. */
public class JdbcExample {
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/app";
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT)");
      // A transaction that is retried when the database is busy or the leader moves.
      DqliteTransactions.inTransaction(c, tx -> {
        try (PreparedStatement ps = tx.prepareStatement("INSERT OR REPLACE INTO kv VALUES (?, ?)")) {
          ps.setString(1, "greeting");
          ps.setString(2, "hello from dqlite");
          ps.executeUpdate();
        }
        return null;
      });
      try (ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kv WHERE k = 'greeting'")) {
        rs.next();
        System.out.println(rs.getString(1));
      }
    }
  }
}
