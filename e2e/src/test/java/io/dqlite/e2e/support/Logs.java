package io.dqlite.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reading log files for diagnostics. */
public final class Logs {

  private Logs() {}

  /** The last {@code lines} lines of a file, or a line saying why there are none. */
  public static String tail(Path file, int lines) {
    try {
      if (!Files.isRegularFile(file)) {
        return "(no file " + file + ")";
      }
      String[] all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n");
      return String.join(
          "\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
