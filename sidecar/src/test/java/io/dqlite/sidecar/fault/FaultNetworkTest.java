package io.dqlite.sidecar.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultNetworkTest {

  private static final long DEAD = Long.MAX_VALUE; // Beyond any pid_max: never a live process.

  @Test
  void takesTheFirstSubnetNoHostAddressUses() {
    String addrs =
        "1: lo    inet 127.0.0.1/8 scope host lo\n"
            + "4: eth0    inet 10.213.0.7/24 brd 10.213.0.255 scope global eth0\n"
            + "5: dqf1br    inet 10.213.1.254/24 scope global dqf1br\n";

    assertThat(FaultNetwork.freeSubnet(addrs)).isEqualTo(2);
    assertThat(FaultNetwork.freeSubnet("inet 10.2.13.1/24")).isEqualTo(0);
  }

  @Test
  void refusesWhenEverySubnetIsTaken() {
    String all =
        IntStream.range(0, 255)
            .mapToObj(x -> " 10.213." + x + ".1/24")
            .collect(Collectors.joining());

    assertThatThrownBy(() -> FaultNetwork.freeSubnet(all)).hasMessageContaining("in use");
  }

  @Test
  void leftoversAreOurNamesOfDeadOwners() {
    long self = ProcessHandle.current().pid();

    assertThat(FaultNetwork.isLeftover("dqf" + DEAD + "n0")).isTrue();
    assertThat(FaultNetwork.isLeftover("dqf" + DEAD + "v4")).isTrue();
    assertThat(FaultNetwork.isLeftover("dqf" + DEAD + "br")).isTrue();
    assertThat(FaultNetwork.isLeftover("dqf" + self + "n0")).isFalse();
    assertThat(FaultNetwork.isLeftover("eth0")).isFalse();
    assertThat(FaultNetwork.isLeftover("dqfx")).isFalse();
    assertThat(Tmpfs.isLeftover("/w/target/fault-it/dqf" + DEAD + "/n0")).isTrue();
    assertThat(Tmpfs.isLeftover("/w/target/fault-it/dqf" + self + "/n0")).isFalse();
    assertThat(Tmpfs.isLeftover("/var/lib/docker/tmpfs")).isFalse();
  }
}
