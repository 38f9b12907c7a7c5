package io.dqlite.client.leader;

import io.dqlite.client.model.NodeInfo;
import java.io.IOException;
import java.util.List;

/**
 * Where a client finds the cluster's members: the addresses leader discovery tries. go-dqlite's
 * {@code NodeStore}; the App keeps one in {@code cluster.yaml} and refreshes it from the leader.
 */
public interface NodeStore {

  /** The known members, possibly stale. */
  List<NodeInfo> get() throws IOException;

  /** Replaces the known members. */
  void set(List<NodeInfo> nodes) throws IOException;
}
