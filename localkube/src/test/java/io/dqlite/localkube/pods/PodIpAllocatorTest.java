package io.dqlite.localkube.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodIpAllocatorTest {
  @TempDir Path locks;
  private PodIpAllocator ips;
  private PodIpAllocator other;

  private PodIpAllocator ips() {
    if (ips == null) {
      ips = new PodIpAllocator(locks);
    }
    return ips;
  }

  @AfterEach
  void release() {
    if (ips != null) {
      ips.close();
    }
    if (other != null) {
      other.close();
    }
  }

  @Test
  void givesEachPodItsOwnLoopbackAddressAndKeepsIt() {
    String a = ips().allocate("a", null);
    String b = ips().allocate("b", null);
    assertThat(a).isEqualTo("127.1.0.1");
    assertThat(b).isEqualTo("127.1.0.2");
    assertThat(ips().allocate("a", "127.1.9.9")).isEqualTo(a);
  }

  @Test
  void doesNotReuseAFreedAddressAtOnce() {
    String a = ips().allocate("a", null);
    ips().release("a");
    assertThat(ips().allocate("b", null)).isNotEqualTo(a);
    assertThat(ips().inUse()).isEqualTo(1);
  }

  @Test
  void honoursAPreferredAddressOnlyWhenFreeAndInRange() {
    assertThat(ips().allocate("a", "127.1.7.7")).isEqualTo("127.1.7.7");
    assertThat(ips().allocate("b", "127.1.7.7")).isNotEqualTo("127.1.7.7");
    assertThat(ips().allocate("c", "10.0.0.1")).startsWith("127.1.");
    assertThat(ips().allocate("d", "127.1.0.255")).isNotEqualTo("127.1.0.255");
  }

  @Test
  void skipsNetworkAndBroadcastLookingAddressesAndTakesMoreBlocksWhenFull() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 600; i++) {
      String ip = ips().allocate("p" + i, null);
      assertThat(ip).doesNotEndWith(".0").doesNotEndWith(".255");
      assertThat(seen.add(ip)).isTrue();
    }
    assertThat(seen).contains("127.1.0.1", "127.1.1.1", "127.1.2.1");
  }

  @Test
  void twoAgentsOnOneMachineNeverShareABlock() {
    other = new PodIpAllocator(locks);
    String mine = ips().allocate("a", null);
    String theirs = other.allocate("b", null);
    assertThat(mine).startsWith("127.1.0.");
    assertThat(theirs).startsWith("127.1.1.");
    assertThat(other.allocate("c", "127.1.0.9"))
        .as("a preferred address in a block another agent owns is not taken")
        .startsWith("127.1.1.");
    ips.close();
    assertThat(other.allocate("d", "127.1.0.9"))
        .as("a released block can be claimed")
        .isEqualTo("127.1.0.9");
  }
}
