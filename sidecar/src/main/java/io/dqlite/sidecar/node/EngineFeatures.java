package io.dqlite.sidecar.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the loaded libdqlite can do, read from the symbols it exports when it is loaded (not from
 * its version number, which Debian's 1.11.1 misreports as 1.10.0). One binding serves libdqlite
 * 1.11.1 (bookworm) and 1.18.1 (trixie): an option whose call is missing fails at {@link
 * DqliteNode#create} with {@link UnsupportedFeatureException}.
 *
 * @param version what {@code dqlite_version_number()} reports, e.g. "1.18.0"
 * @param file the file the library was loaded from
 * @param exported for each optional call of {@link #OPTIONAL_SYMBOLS}, whether it is exported
 */
public record EngineFeatures(String version, String file, Map<String, Boolean> exported) {

  public static final String DISK_MODE = "dqlite_node_enable_disk_mode";
  public static final String DESCRIBE_LAST_ENTRY = "dqlite_node_describe_last_entry";
  public static final String SNAPSHOT_COMPRESSION = "dqlite_node_set_snapshot_compression";
  public static final String AUTO_RECOVERY = "dqlite_node_set_auto_recovery";
  public static final String BLOCK_SIZE = "dqlite_node_set_block_size";
  public static final String POOL_THREAD_COUNT = "dqlite_node_set_pool_thread_count";
  public static final String RECOVER_EXT = "dqlite_node_recover_ext";
  public static final String HANDOVER = "dqlite_node_handover";

  /** The calls newer libraries add over 1.11.1's required set, in the order they are reported. */
  public static final List<String> OPTIONAL_SYMBOLS =
      List.of(
          DISK_MODE,
          DESCRIBE_LAST_ENTRY,
          SNAPSHOT_COMPRESSION,
          AUTO_RECOVERY,
          BLOCK_SIZE,
          POOL_THREAD_COUNT,
          RECOVER_EXT,
          HANDOVER);

  public EngineFeatures {
    exported = Map.copyOf(exported);
  }

  /** Asks {@code exports} about every optional symbol: the pure half of detection. */
  public static EngineFeatures detect(String version, String file, Predicate<String> exports) {
    Map<String, Boolean> exported = new LinkedHashMap<>();
    for (String symbol : OPTIONAL_SYMBOLS) {
      exported.put(symbol, exports.test(symbol));
    }
    return new EngineFeatures(version, file, exported);
  }

  /** Whether the library exports {@code symbol} (one of {@link #OPTIONAL_SYMBOLS}). */
  public boolean has(String symbol) {
    Boolean present = exported.get(symbol);
    if (present == null) {
      throw new IllegalArgumentException(symbol + " is not one of " + OPTIONAL_SYMBOLS);
    }
    return present;
  }

  public boolean diskMode() {
    return has(DISK_MODE);
  }

  public boolean describeLastEntry() {
    return has(DESCRIBE_LAST_ENTRY);
  }

  public boolean snapshotCompression() {
    return has(SNAPSHOT_COMPRESSION);
  }

  public boolean autoRecovery() {
    return has(AUTO_RECOVERY);
  }

  /** The optional calls this library exports, in {@link #OPTIONAL_SYMBOLS}' order. */
  public List<String> present() {
    List<String> present = new ArrayList<>();
    for (String symbol : OPTIONAL_SYMBOLS) {
      if (exported.get(symbol)) {
        present.add(symbol);
      }
    }
    return present;
  }

  /**
   * The error for an option that needs {@code symbol}: names the library, its file, the missing
   * call and what to do.
   */
  String missing(String what, String symbol, String option, String node) {
    return what
        + " is not supported by libdqlite "
        + version
        + " ("
        + file
        + "), which exports no "
        + symbol
        + ": "
        + option
        + ", or install a libdqlite that has it (Debian trixie's"
        + " libdqlite0 1.18.1 does); "
        + node;
  }

  @Override
  public String toString() {
    return "libdqlite " + version + " (" + file + ") with " + present();
  }
}
