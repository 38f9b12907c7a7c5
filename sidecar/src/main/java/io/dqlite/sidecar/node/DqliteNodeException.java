package io.dqlite.sidecar.node;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A libdqlite call on a node failed. The message names the call, the node (id, address, data
 * directory) and what libdqlite said ({@code dqlite_node_errmsg}) or its return code.
 */
public class DqliteNodeException extends IOException {

  private static final long serialVersionUID = 1L;

  private final long nodeId;
  private final String address;
  private final transient Path dataDir;
  private final int returnCode;

  public DqliteNodeException(
      String message, long nodeId, String address, Path dataDir, int returnCode) {
    super(message);
    this.nodeId = nodeId;
    this.address = address;
    this.dataDir = dataDir;
    this.returnCode = returnCode;
  }

  /** The node's raft id, unsigned. */
  public long nodeId() {
    return nodeId;
  }

  public String address() {
    return address;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** libdqlite's return code; 0 when the failure was detected on the Java side. */
  public int returnCode() {
    return returnCode;
  }
}
