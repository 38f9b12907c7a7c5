import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The application of the real-node scenarios (localkube/real-node-test.sh): a container beside the
 * sidecar in every pod of the cluster, writing through the app socket the operator gives it.
 *
 * <pre>
 * LedgerWriter write LEDGER_DIR      numbered rows through $DQLITE_APP_SOCKET, each acknowledged
 *                                    one appended to LEDGER_DIR/&lt;writer&gt;.acked ("seq millis")
 * LedgerWriter check LEDGER_DIR [FROM_MS TO_MS]
 *                                    every acknowledged row present exactly once; the longest time
 *                                    without any acknowledgement between FROM_MS and TO_MS
 * </pre>
 *
 * <p>The ledger directory is on the host (a hostPath volume): it outlives the pods, which the
 * scenarios delete. The writer starts once LEDGER_DIR/go exists (so that the sidecars' memory is
 * measured before any load), never writes one number twice (an attempt that failed is not retried:
 * its outcome is unknown, and a retry could duplicate it), and exits on SIGTERM.
 */
public class LedgerWriter {
  static final String TABLE = "ledger";

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: LedgerWriter write|check LEDGER_DIR [FROM_MS TO_MS]");
      System.exit(2);
    }
    String socket = System.getenv().getOrDefault("DQLITE_APP_SOCKET", "/run/dqlite/dqlite.sock");
    String url =
        socket.startsWith("@")
            ? "jdbc:dqlite://" + socket + "/ledger?leaderTimeout=5000"
            : "jdbc:dqlite:unix:" + socket + "?database=ledger&leaderTimeout=5000";
    Path dir = Path.of(args[1]);
    if (args[0].equals("write")) {
      write(url, dir);
    } else if (args[0].equals("check")) {
      long from = args.length > 3 ? Long.parseLong(args[2]) : 0;
      long to = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE;
      System.exit(check(url, dir, from, to) ? 0 : 1);
    } else {
      System.err.println("unknown mode " + args[0]);
      System.exit(2);
    }
  }

  static void write(String url, Path dir) throws Exception {
    String pod = System.getenv().getOrDefault("POD_NAME", "app");
    String writer = pod + "." + System.currentTimeMillis();
    Path ledger = dir.resolve(writer + ".acked");
    say(writer, "waiting for " + dir.resolve("go"));
    while (!Files.exists(dir.resolve("go"))) {
      Thread.sleep(200);
    }
    say(writer, "writing numbered rows through " + url + ", ledger " + ledger);
    long[] acked = {0};
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> say(writer, "stopping after " + acked[0] + " acknowledged rows")));
    Connection c = null;
    long failingSince = 0;
    String lastError = null;
    for (long seq = 1; ; seq++) {
      try {
        if (c == null) {
          c = DriverManager.getConnection(url);
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS "
                    + TABLE
                    + " (writer TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL)");
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement("INSERT INTO " + TABLE + " (writer, seq, at) VALUES (?, ?, ?)")) {
          ps.setString(1, writer);
          ps.setLong(2, seq);
          ps.setLong(3, System.currentTimeMillis());
          ps.executeUpdate();
        }
        long now = System.currentTimeMillis();
        Files.writeString(
            ledger,
            seq + " " + now + "\n",
            StandardCharsets.US_ASCII,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        acked[0]++;
        if (acked[0] == 1) {
          say(writer, "first row acknowledged through the app socket");
        } else if (acked[0] % 500 == 0) {
          say(writer, acked[0] + " rows acknowledged");
        }
        if (failingSince != 0) {
          say(writer, "acknowledged again after " + (now - failingSince) + " ms without");
          failingSince = 0;
          lastError = null;
        }
        Thread.sleep(50);
      } catch (SQLException e) {
        String error = e.getSQLState() + " " + e.getMessage();
        if (failingSince == 0) {
          failingSince = System.currentTimeMillis();
        }
        if (!error.equals(lastError)) {
          say(writer, "row " + seq + " not acknowledged (" + error + "); reconnecting");
          lastError = error;
        }
        try {
          if (c != null) {
            c.close();
          }
        } catch (SQLException ignored) {
          // The connection is being replaced anyway.
        }
        c = null;
        Thread.sleep(100);
      }
    }
  }

  static boolean check(String url, Path dir, long from, long to) throws IOException, SQLException {
    Map<String, List<long[]>> ledgers = new HashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.acked")) {
      for (Path f : files) {
        String writer = f.getFileName().toString().replaceFirst("\\.acked$", "");
        List<long[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.US_ASCII)) {
          String[] w = line.trim().split(" ");
          if (w.length == 2) {
            rows.add(new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])});
          }
        }
        ledgers.put(writer, rows);
      }
    }
    Map<String, Long> present = new HashMap<>();
    long rows = 0;
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement("SELECT writer, seq, COUNT(*) FROM " + TABLE + " GROUP BY 1, 2");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        present.put(rs.getString(1) + " " + rs.getLong(2), rs.getLong(3));
        rows += rs.getLong(3);
      }
    }
    long acked = 0;
    List<String> missing = new ArrayList<>();
    List<String> duplicated = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    for (Map.Entry<String, List<long[]>> e : ledgers.entrySet()) {
      for (long[] r : e.getValue()) {
        acked++;
        long n = present.getOrDefault(e.getKey() + " " + r[0], 0L);
        if (n == 0) {
          missing.add(e.getKey() + "#" + r[0]);
        } else if (n > 1) {
          duplicated.add(e.getKey() + "#" + r[0] + " x" + n);
        }
        if (r[1] >= from && r[1] <= to) {
          times.add(r[1]);
        }
      }
    }
    times.sort(null);
    long gap = 0;
    long gapAt = 0;
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i) - times.get(i - 1) > gap) {
        gap = times.get(i) - times.get(i - 1);
        gapAt = times.get(i - 1);
      }
    }
    System.out.printf(
        "check: %d writers, %d rows acknowledged, %d rows in the table, %d missing, %d duplicated;"
            + " longest gap without an acknowledgement %d ms (from %d), %d acknowledged in the"
            + " window%n",
        ledgers.size(), acked, rows, missing.size(), duplicated.size(), gap, gapAt, times.size());
    missing.stream().limit(20).forEach(m -> System.out.println("check: missing " + m));
    duplicated.stream().limit(20).forEach(m -> System.out.println("check: duplicated " + m));
    return acked > 0 && missing.isEmpty() && duplicated.isEmpty();
  }

  static void say(String writer, String what) {
    System.out.println("writer " + writer + ": " + what);
    System.out.flush();
  }
}
