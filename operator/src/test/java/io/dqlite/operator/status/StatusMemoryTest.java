package io.dqlite.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;

class StatusMemoryTest {

  @Test
  void theLastWrittenStatusWinsOverTheCachedOneForTheSameUidOnly() {
    StatusMemory memory = new StatusMemory();
    DqliteCluster cached = Fixtures.cluster();
    DqliteClusterStatus old = new DqliteClusterStatus();
    cached.setStatus(old);
    assertThat(memory.latest(cached)).isSameAs(old);

    DqliteClusterStatus written = new DqliteClusterStatus();
    memory.wrote(cached, written);
    assertThat(memory.latest(cached)).isSameAs(written);

    DqliteCluster recreated = Fixtures.cluster();
    recreated.getMetadata().setUid("another-uid");
    recreated.setStatus(old);
    assertThat(memory.latest(recreated)).isSameAs(old);
  }
}
