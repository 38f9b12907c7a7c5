package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.model.NodeRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Voters spread over failure domains, on real nodes. */
class FailureDomainsIT {

  private static final String HOST = "127.0.7.12";
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private AppCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The failure domains of the online voters, by the Apps' own settings. */
  private Map<String, Long> voterDomains() throws Exception {
    Map<String, NodeRole> roles = cluster.roles();
    return cluster.open().stream()
        .filter(a -> roles.get(a.address()) == NodeRole.VOTER)
        .collect(Collectors.toMap(App::address, a -> a.options().failureDomain()));
  }

  @Test
  void fiveNodesInThreeDomains_endWithThreeVotersInThreeDomains_andADownDomainIsReplaced()
      throws Exception {
    cluster = new AppCluster(tmp, HOST, b -> b.rolesAdjustmentFrequency(Duration.ofSeconds(1)));
    // Joined in an unlucky order: the first three nodes (the first voters) span two domains.
    App a1 = cluster.start(b -> b.failureDomain(1), DEADLINE);
    App a2 = cluster.start(b -> b.failureDomain(1), DEADLINE);
    App a3 = cluster.start(b -> b.failureDomain(2), DEADLINE);
    App a4 = cluster.start(b -> b.failureDomain(2), DEADLINE);
    App a5 = cluster.start(b -> b.failureDomain(3), DEADLINE);

    await("one voter per domain")
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(Set.copyOf(voterDomains().values()))
                    .containsExactlyInAnyOrder(1L, 2L, 3L));
    assertThat(voterDomains()).hasSize(3);

    // Domain 2 goes down (both of its nodes stop, without handover). If the leader was there,
    // a new one is elected among the others.
    List<App> domain2 = List.of(a3, a4);
    domain2.forEach(App::close);

    await("three voters again, from the remaining domains")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Map<String, Long> voters = voterDomains();
              assertThat(voters).hasSize(3).containsKeys(a1.address(), a2.address(), a5.address());
              Map<String, NodeRole> roles = cluster.roles();
              assertThat(roles.get(a3.address())).isNotEqualTo(NodeRole.VOTER);
              assertThat(roles.get(a4.address())).isNotEqualTo(NodeRole.VOTER);
            });
  }
}
