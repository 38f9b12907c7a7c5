package io.dqlite.client.leader;

import io.dqlite.client.model.NodeInfo;
import java.util.Arrays;
import java.util.List;

/** A {@link NodeStore} held in memory, for clients given a fixed list of addresses. */
public final class InMemoryNodeStore implements NodeStore {

  private volatile List<NodeInfo> nodes;

  public InMemoryNodeStore(List<NodeInfo> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** A store seeded with addresses only, as the JDBC URL and {@code --join} give them. */
  public static InMemoryNodeStore of(String... addresses) {
    return new InMemoryNodeStore(Arrays.stream(addresses).map(NodeInfo::seed).toList());
  }

  @Override
  public List<NodeInfo> get() {
    return nodes;
  }

  @Override
  public void set(List<NodeInfo> nodes) {
    this.nodes = List.copyOf(nodes);
  }
}
