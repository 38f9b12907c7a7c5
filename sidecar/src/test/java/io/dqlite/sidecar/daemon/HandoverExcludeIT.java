package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqlite.sidecar.api.AdminApi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /handover?node=<id>&exclude=<ids>} on real sidecars: a leader of three voters hands
 * leadership to the one voter not excluded (the operator excludes members it is about to remove),
 * in rounds that exclude each other voter in turn, so that whichever one the leader would prefer on
 * its own is excluded in some round; a malformed list is refused with 400 and moves nothing.
 */
class HandoverExcludeIT {

  private static final String[] HOSTS = {"127.0.41.1", "127.0.41.2", "127.0.41.3"};

  @Test
  void leadershipGoesToNoExcludedMember() throws Exception {
    try (SidecarCluster c = SidecarCluster.start("exclude", HOSTS, List.of())) {
      await("three online voters")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                JsonNode members = SidecarCluster.cluster(c.sidecars().get(0)).get("members");
                assertThat(members).hasSize(3);
                for (JsonNode m : members) {
                  assertThat(m.get("role").asText()).isEqualTo("voter");
                  assertThat(m.get("online").asBoolean()).isTrue();
                }
              });

      SidecarProcess first = c.leader();
      SidecarProcess.Answer bad =
          first.post(
              AdminApi.handoverPath(first.nodeId()) + "&" + AdminApi.EXCLUDE_PARAMETER + "=0x1,zz",
              first.token());
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("zz is not a raft id");
      assertThat(c.leader()).isSameAs(first);

      for (int round = 0; round < 4; round++) {
        SidecarProcess leader = c.leader();
        List<SidecarProcess> others = c.sidecars().stream().filter(s -> s != leader).toList();
        SidecarProcess excluded = others.get(round % 2);
        SidecarProcess expected = others.get(1 - round % 2);
        SidecarProcess.Answer answer =
            leader.post(
                AdminApi.handoverPath(leader.nodeId(), List.of(excluded.nodeId())), leader.token());
        assertThat(answer.status()).as(answer.body() + "\n" + leader.logTail(20)).isEqualTo(200);
        await("round " + round + ": leadership at " + expected.address())
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(() -> assertThat(c.leaderAddress()).isEqualTo(expected.address()));
        assertThat(leader.logText())
            .contains("excluded as about to be removed: [" + excluded.address());
      }
    }
  }
}
