package io.dqlite.client.model;

import java.util.Objects;

/**
 * A member of a dqlite cluster as the cluster request reports it and as go-dqlite's {@code
 * cluster.yaml} stores it.
 *
 * @param id the raft node id; 0 in a seed entry whose id is not known yet
 * @param address the address the node is known by, {@code host:port} or {@code @abstract-name};
 *     compared as a string to decide leadership, so one node has one address form everywhere
 * @param role the node's role
 */
public record NodeInfo(long id, String address, NodeRole role) {

  public NodeInfo {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(role, "role");
  }

  /** A seed entry known only by its address, as go-dqlite writes for a joining node's peers. */
  public static NodeInfo seed(String address) {
    return new NodeInfo(0, address, NodeRole.VOTER);
  }

  /** The id as go-dqlite prints it: {@code 0x} and lower-case hex. */
  public String hexId() {
    return "0x" + Long.toHexString(id);
  }
}
