package io.dqlite.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.testing.Fixtures;
import java.util.List;
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

  @Test
  void anUnconfirmedWriteIsRememberedButItsScaleDownRecordIsNotTakenAsOnTheServer() {
    StatusMemory memory = new StatusMemory();
    DqliteCluster cr = Fixtures.cluster();
    ScaleDownStatus onServer =
        new ScaleDownStatus(3, List.of(new ScaleDownStatus.Removal(3, "0x103")));
    DqliteClusterStatus cached = new DqliteClusterStatus();
    cached.setScaleDown(onServer);
    cr.setStatus(cached);
    assertThat(memory.confirmedScaleDown(cr)).as("the cache is the server's").isSameAs(onServer);

    DqliteClusterStatus recycled = new DqliteClusterStatus();
    recycled.setScaleDown(new ScaleDownStatus(3, List.of()));
    memory.unconfirmed(cr, recycled);
    assertThat(memory.latest(cr)).isSameAs(recycled);
    assertThat(memory.confirmedScaleDown(cr)).isSameAs(onServer);

    memory.wrote(cr, recycled);
    assertThat(memory.confirmedScaleDown(cr)).isSameAs(recycled.getScaleDown());
  }
}
