package io.dqlite.bench;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * go-dqlite's key/value workloads (benchmark/worker.go at v1.11.5), with the same SQL, sizes and
 * choices:
 *
 * <ul>
 *   <li>table {@code model (key TEXT, value TEXT, UNIQUE(key))};
 *   <li>a write is {@code INSERT OR REPLACE INTO model(key, value) VALUES(?, ?)} with a new random
 *       key of 32 letters and a 1 KiB value: one random letter repeated 512 times, then 512 random
 *       letters;
 *   <li>{@link #KVWRITE} only writes; {@link #KVREADWRITE} reads ({@code SELECT value FROM model
 *       WHERE key = ?}, a key this worker wrote) with probability ½ once it has written a key, and
 *       writes otherwise.
 * </ul>
 */
public enum KvWorkload {
  KVWRITE,
  KVREADWRITE;

  public static final String SCHEMA =
      "CREATE TABLE IF NOT EXISTS model (key TEXT, value TEXT, UNIQUE(key))";
  public static final String WRITE_SQL = "INSERT OR REPLACE INTO model(key, value) VALUES(?, ?)";
  public static final String READ_SQL = "SELECT value FROM model WHERE key = ?";
  public static final int KEY_SIZE = 32;
  public static final int VALUE_SIZE = 1024;

  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** The name dqlite-benchmark's {@code --workload} flag takes. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static KvWorkload parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  /** Whether the next operation reads, given the keys this worker has written so far. */
  boolean nextIsRead(Random random, List<String> writtenKeys) {
    if (this == KVWRITE) {
      return false;
    }
    return random.nextInt(2) == 0 && !writtenKeys.isEmpty();
  }

  /** A new random key of {@link #KEY_SIZE} letters, as go-dqlite's benchmark. */
  public static String randomKey(Random random) {
    return letters(random, KEY_SIZE);
  }

  /** Key number {@code i} of a fixed set, as long as a random one. */
  public static String fixedKey(int i) {
    String n = Integer.toString(i);
    return "k".repeat(KEY_SIZE - n.length()) + n;
  }

  /** A mix of easily compressible and random letters, as go-dqlite's randValue. */
  public static String randomValue(Random random) {
    return String.valueOf(LETTERS.charAt(random.nextInt(LETTERS.length()))).repeat(VALUE_SIZE / 2)
        + letters(random, VALUE_SIZE / 2);
  }

  private static String letters(Random random, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = LETTERS.charAt(random.nextInt(LETTERS.length()));
    }
    return new String(c);
  }
}
