package io.dqlite.localkube.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSpecTest {
  @Test
  void zonesAreAssignedRoundRobinWithDistinctAddresses() {
    List<NodeSpec> nodes = NodeSpec.of("node", 4, List.of("zone-a", "zone-b", "zone-c"));
    assertThat(nodes)
        .extracting(NodeSpec::name)
        .containsExactly("node-1", "node-2", "node-3", "node-4");
    assertThat(nodes)
        .extracting(NodeSpec::zone)
        .containsExactly("zone-a", "zone-b", "zone-c", "zone-a");
    assertThat(nodes)
        .extracting(NodeSpec::ip)
        .containsExactly("127.0.2.1", "127.0.2.2", "127.0.2.3", "127.0.2.4");
    assertThat(nodes.get(1).labels())
        .containsEntry(NodeSpec.ZONE, "zone-b")
        .containsEntry("kubernetes.io/hostname", "node-2");
  }

  @Test
  void rejectsImpossibleCounts() {
    assertThatThrownBy(() -> NodeSpec.of("n", 0, List.of("z"))).hasMessageContaining("1..254");
    assertThatThrownBy(() -> NodeSpec.of("n", 1, List.of())).hasMessageContaining("zone");
  }
}
