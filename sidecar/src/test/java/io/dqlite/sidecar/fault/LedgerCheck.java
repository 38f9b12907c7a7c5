package io.dqlite.sidecar.fault;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a ledger writer's log and the rows found after healing say, as a pure function: every
 * acknowledged number must be found exactly once; a number found but never acknowledged is a
 * "maybe" (its outcome was unknown to the writer), not a loss.
 *
 * @param acknowledged numbers the writer saw acknowledged
 * @param found acknowledged numbers found at least once
 * @param lost acknowledged numbers not found (must be empty)
 * @param duplicates numbers found more than once, acknowledged or not (must be empty)
 * @param maybeFound numbers found that were never acknowledged
 * @param unknownOutcomes writes the writer reported as of unknown outcome
 * @param longestGapMillis longest time between two consecutive acknowledgements
 */
public record LedgerCheck(
    int acknowledged,
    int found,
    List<Long> lost,
    List<Long> duplicates,
    List<Long> maybeFound,
    int unknownOutcomes,
    long longestGapMillis) {

  /** How many times each row number is in the ledger's {@code table}, read through {@code c}. */
  public static Map<Long, Integer> rowCounts(Connection c, String table) throws SQLException {
    Map<Long, Integer> counts = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n, COUNT(*) FROM " + table + " GROUP BY n")) {
      while (rs.next()) {
        counts.put(rs.getLong(1), rs.getInt(2));
      }
    }
    return counts;
  }

  /** Checks {@code log} (the writer's lines) against {@code counts} (number → rows found). */
  public static LedgerCheck of(List<String> log, Map<Long, Integer> counts) {
    TreeSet<Long> acked = new TreeSet<>();
    int unknown = 0;
    long previous = -1;
    long gap = 0;
    for (String line : log) {
      String[] f = line.split(" ");
      if (f[0].equals("ack")) {
        long n = Long.parseLong(f[1]);
        long at = Long.parseLong(f[2]);
        if (!acked.add(n)) {
          throw new IllegalArgumentException("the writer acknowledged " + n + " twice: " + line);
        }
        if (previous >= 0) {
          gap = Math.max(gap, at - previous);
        }
        previous = at;
      } else if (f[0].equals("maybe")) {
        unknown++;
      }
    }
    List<Long> lost = new ArrayList<>();
    int found = 0;
    for (long n : acked) {
      if (counts.getOrDefault(n, 0) > 0) {
        found++;
      } else {
        lost.add(n);
      }
    }
    List<Long> duplicates = new ArrayList<>();
    List<Long> maybe = new ArrayList<>();
    new TreeSet<>(counts.keySet())
        .forEach(
            n -> {
              if (counts.get(n) > 1) {
                duplicates.add(n);
              }
              if (!acked.contains(n)) {
                maybe.add(n);
              }
            });
    return new LedgerCheck(
        acked.size(),
        found,
        List.copyOf(lost),
        List.copyOf(duplicates),
        List.copyOf(maybe),
        unknown,
        gap);
  }
}
