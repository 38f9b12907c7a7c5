package io.dqlite.sidecar.node;

import java.nio.file.Path;

/**
 * An option needs a libdqlite call that the loaded library does not export (found by symbol lookup,
 * before anything is called), such as disk mode in libdqlite 1.11.1.
 */
public final class UnsupportedFeatureException extends DqliteNodeException {

  private static final long serialVersionUID = 1L;

  private final String symbol;

  public UnsupportedFeatureException(
      String message, long nodeId, String address, Path dataDir, String symbol) {
    super(message, nodeId, address, dataDir, 0);
    this.symbol = symbol;
  }

  /** The C function the library lacks. */
  public String symbol() {
    return symbol;
  }
}
