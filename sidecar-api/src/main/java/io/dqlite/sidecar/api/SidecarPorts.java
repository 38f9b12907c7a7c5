package io.dqlite.sidecar.api;

/**
 * The sidecar's ports, for the sidecar's defaults and for the operator's container, Services and
 * NetworkPolicy.
 */
public final class SidecarPorts {

  /** Raft and the dqlite wire protocol between nodes: the port of every node's address. */
  public static final int RAFT = 9001;

  /** The admin HTTP server ({@link AdminApi}): probes, metrics, /cluster, /handover. */
  public static final int ADMIN = 8081;

  private SidecarPorts() {}
}
