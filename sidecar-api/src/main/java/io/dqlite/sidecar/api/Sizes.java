package io.dqlite.sidecar.api;

import java.util.Locale;

/** Byte sizes on the command line: a number of bytes, or with a KiB, MiB or GiB suffix. */
public final class Sizes {

  private Sizes() {}

  /**
   * Parses {@code 1048576}, {@code 512KiB}, {@code 64MiB}, {@code 1GiB}.
   *
   * @throws IllegalArgumentException naming the flag and the accepted forms
   */
  public static long parse(String value, String flag) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    for (String[] s : new String[][] {{"kib", "10"}, {"mib", "20"}, {"gib", "30"}, {"b", "0"}}) {
      if (v.endsWith(s[0])) {
        unit = 1L << Integer.parseInt(s[1]);
        v = v.substring(0, v.length() - s[0].length()).strip();
        break;
      }
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag + " " + value + ": expected a size in bytes, or with KiB, MiB or GiB (e.g. 64MiB)");
    }
  }
}
