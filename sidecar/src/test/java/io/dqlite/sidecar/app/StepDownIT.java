package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.roles.RolesChanges;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose {@link FitnessCheck} names a problem (as the sidecar's does for a nearly full disk)
 * gives leadership and its vote away and is not given them back while it lasts; fit again, it gets
 * its weight back. Real nodes; the fault suite does the same with a real full disk (as root).
 */
class StepDownIT {

  private static final String HOST = "127.0.7.41";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path tmp;

  /** The problem each App's check reports, by address; absent = fit. */
  private final Map<String, String> problems = new ConcurrentHashMap<>();

  @Test
  void anUnfitLeaderHandsOverAndStaysAStandByUntilFitAgain() throws Exception {
    try (AppCluster cluster =
        new AppCluster(tmp, HOST, b -> b.rolesAdjustmentFrequency(Duration.ofMillis(500)))) {
      for (int i = 0; i < 4; i++) {
        // The check reads the map by the App's address, known once the builder has it.
        cluster.start(
            b -> {
              String address = b.options().address();
              return b.standBys(1).fitness(() -> Optional.ofNullable(problems.get(address)));
            },
            DEADLINE);
      }
      await("3 voters, 1 stand-by")
          .atMost(DEADLINE)
          .ignoreExceptions()
          .until(() -> count(cluster.roles(), NodeRole.VOTER) == 3);
      App leader = cluster.leader();

      problems.put(leader.address(), "test: no room left");
      await(leader + " neither leading nor voting, and weighted unfit")
          .atMost(DEADLINE)
          .ignoreExceptions()
          .until(
              () ->
                  cluster.leader() != leader
                      && cluster.roles().get(leader.address()) != NodeRole.VOTER
                      && weight(leader) == RolesChanges.UNFIT_WEIGHT);
      // The leader's adjustments settle with three other voters; the unfit node, the only spare
      // left, becomes the stand-by, never a voter again.
      await("3 other voters, the unfit node the stand-by")
          .atMost(DEADLINE)
          .ignoreExceptions()
          .until(
              () -> {
                Map<String, NodeRole> roles = cluster.roles();
                return count(roles, NodeRole.VOTER) == 3
                    && roles.get(leader.address()) == NodeRole.STANDBY;
              });
      assertThat(cluster.leader()).isNotSameAs(leader);

      problems.remove(leader.address());
      await(leader + " weighted as before")
          .atMost(DEADLINE)
          .ignoreExceptions()
          .until(() -> weight(leader) == 0);
    }
  }

  private static long count(Map<String, NodeRole> roles, NodeRole role) {
    return roles.values().stream().filter(r -> r == role).count();
  }

  private static long weight(App app) throws Exception {
    try (Client c = app.client()) {
      return c.describe().weight();
    }
  }
}
