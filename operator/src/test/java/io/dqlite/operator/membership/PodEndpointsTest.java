package io.dqlite.operator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodEndpointsTest {

  @Test
  void podsAreReachedByIp() {
    assertThat(PodEndpoints.admin(Fixtures.pod(2)))
        .contains(URI.create("http://" + Fixtures.ip(2) + ":8081"));
    assertThat(PodEndpoints.raft(Fixtures.pod(2))).contains(Fixtures.ip(2) + ":9001");
    var v6 = new PodBuilder(Fixtures.pod(0)).editStatus().withPodIP("fd00::5").endStatus().build();
    assertThat(PodEndpoints.admin(v6)).contains(URI.create("http://[fd00::5]:8081"));
    var pending = new PodBuilder(Fixtures.pod(0)).editStatus().withPodIP(null).endStatus().build();
    assertThat(PodEndpoints.admin(pending)).isEmpty();
  }

  @Test
  void raftAddressesTranslateToPodIps() {
    Map<String, String> dial =
        PodEndpoints.dialAddresses(Fixtures.cluster(), Fixtures.pods(2), Fixtures.DOMAIN);
    assertThat(PodEndpoints.dial(Fixtures.address(1), dial)).isEqualTo(Fixtures.ip(1) + ":9001");
    assertThat(PodEndpoints.dial("other:9001", dial)).isEqualTo("other:9001");
    assertThat(PodEndpoints.dialAddresses(Fixtures.cluster(), List.of(), Fixtures.DOMAIN))
        .isEmpty();
  }
}
