package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.sidecar.node.NodeOptions.SnapshotParams;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {

  private static final Path DIR = Path.of("/var/lib/dqlite");

  @Test
  void defaultsAreTheZeroValuesThatAreNotPassedToC() {
    NodeOptions options = NodeOptions.builder(1, "10.0.0.1:9000", DIR).build();
    assertThat(options.bindAddress()).isNull();
    assertThat(options.connector()).isNull();
    assertThat(options.failureDomain()).isZero();
    assertThat(options.networkLatency()).isZero();
    assertThat(options.snapshot()).isEqualTo(SnapshotParams.DEFAULT);
    assertThat(options.snapshot().isDefault()).isTrue();
    assertThat(options.diskMode()).isFalse();
  }

  @Test
  void builderSetsEveryOption() {
    NodeConnector connector = (address, timeout) -> 3;
    NodeOptions options =
        NodeOptions.builder(-1L, "[::1]:9000", DIR)
            .bindAddress("@dqlite-1")
            .connector(connector)
            .failureDomain(5)
            .networkLatency(Duration.ofMillis(20))
            .snapshot(new SnapshotParams(1024, 8192))
            .diskMode(true)
            .build();
    assertThat(options.id()).as("unsigned ids above 2^63 are negative longs").isEqualTo(-1L);
    assertThat(options.bindAddress()).isEqualTo("@dqlite-1");
    assertThat(options.connector()).isSameAs(connector);
    assertThat(options.failureDomain()).isEqualTo(5);
    assertThat(options.networkLatency()).isEqualTo(Duration.ofMillis(20));
    assertThat(options.snapshot().isDefault()).isFalse();
    assertThat(options.diskMode()).isTrue();
  }

  @Test
  void idZeroIsRejectedWithTheIdsToUseInstead() {
    assertThatThrownBy(() -> NodeOptions.builder(0, "10.0.0.1:9000", DIR).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BOOTSTRAP_ID")
        .hasMessageContaining("generateNodeId");
  }

  @Test
  void emptyAddressAndNegativeLatencyAreRejected() {
    assertThatThrownBy(() -> NodeOptions.builder(1, "", DIR).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty address");
    assertThatThrownBy(
            () -> NodeOptions.builder(1, "a:1", DIR).networkLatency(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative network latency");
  }
}
