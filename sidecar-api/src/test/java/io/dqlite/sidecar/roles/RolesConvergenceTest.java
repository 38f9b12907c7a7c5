package io.dqlite.sidecar.roles;

import static io.dqlite.client.model.NodeRole.SPARE;
import static io.dqlite.client.model.NodeRole.STANDBY;
import static io.dqlite.client.model.NodeRole.VOTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeRole;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The role rules applied over and over as the leader's loop applies them: named scenarios for the
 * failure-domain guarantees, then seeded random clusters.
 */
class RolesConvergenceTest {

  private static final long ZONE_A = 1;
  private static final long ZONE_B = 2;
  private static final long ZONE_C = 3;

  /** Five nodes join in the worst order: the first three all in zone A. */
  private static SimulatedCluster unluckyJoins(RolesConfig config) {
    SimulatedCluster cluster = new SimulatedCluster(config).add(1, VOTER, ZONE_A, 0);
    long[] zones = {ZONE_A, ZONE_A, ZONE_B, ZONE_C};
    for (int i = 0; i < zones.length; i++) {
      cluster.join(i + 2, zones[i]);
      cluster.settle(1);
    }
    return cluster;
  }

  @Test
  void fiveNodesInThreeZonesEndWithOneVoterPerZone() {
    SimulatedCluster cluster = unluckyJoins(RolesConfig.defaults());

    assertThat(cluster.snapshot().count(VOTER, true)).isEqualTo(3);
    assertThat(cluster.voterDomains()).isEqualTo(3);
    assertThat(cluster.snapshot().count(STANDBY, true)).isEqualTo(2);
    assertThat(cluster.role(1)).isEqualTo(VOTER);
  }

  @Test
  void goDqlite1119KeepsTheVotersWhereTheyLanded() {
    SimulatedCluster cluster = unluckyJoins(RolesConfig.goDqlite1119(3, 3));

    assertThat(cluster.snapshot().count(VOTER, true)).isEqualTo(3);
    assertThat(cluster.voterDomains()).isEqualTo(1);
  }

  @Test
  void voterOfAFailedZoneIsReplacedFromAnotherZoneAndComesBack() {
    SimulatedCluster cluster = unluckyJoins(RolesConfig.defaults());
    long zoneCVoter =
        cluster.snapshot().members().stream()
            .filter(
                n ->
                    n.role() == VOTER
                        && cluster.snapshot().probe(n.id()).get().failureDomain() == ZONE_C)
            .findFirst()
            .orElseThrow()
            .id();

    cluster.setDomainOnline(ZONE_C, false);
    cluster.settle(1);

    RolesChanges down = cluster.snapshot();
    assertThat(down.count(VOTER, true)).isEqualTo(3);
    assertThat(down.count(VOTER, false)).isZero();
    assertThat(cluster.role(zoneCVoter)).isEqualTo(SPARE);
    assertThat(cluster.voterDomains()).isEqualTo(2);

    cluster.setDomainOnline(ZONE_C, true);
    cluster.settle(1);

    assertThat(cluster.snapshot().count(VOTER, true)).isEqualTo(3);
    assertThat(cluster.voterDomains()).isEqualTo(3);
  }

  @Test
  void handoverOfAZoneVoterPrefersItsOwnZone() {
    SimulatedCluster cluster = unluckyJoins(RolesConfig.defaults());
    // A second node in zone C, so that zone C has a spare to take over.
    cluster.add(6, SPARE, ZONE_C, 0);
    cluster.settle(1);
    long zoneCVoter =
        cluster.snapshot().members().stream()
            .filter(
                n ->
                    n.role() == VOTER
                        && cluster.snapshot().probe(n.id()).get().failureDomain() == ZONE_C)
            .findFirst()
            .orElseThrow()
            .id();

    RoleChange handover = cluster.snapshot().handover(zoneCVoter).orElseThrow();

    assertThat(handover.role()).isEqualTo(VOTER);
    assertThat(cluster.snapshot().probe(handover.first().id()).get().failureDomain())
        .isEqualTo(ZONE_C);
  }

  /**
   * Random clusters of 1 to 9 nodes in 1 to 4 domains, random roles, weights and outages; the
   * leader is node 1, an online voter. Whatever the start, the loop stops, never demotes the
   * leader, and ends at the targets as far as online nodes allow.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "go", "crowded"})
  void randomClustersConverge(String mode) {
    for (long seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      int voters = random.nextBoolean() ? 3 : 5;
      int standBys = random.nextInt(4);
      RolesConfig config = Spec.config(voters + "/" + standBys + " " + mode);
      SimulatedCluster cluster = new SimulatedCluster(config);
      int size = 1 + random.nextInt(9);
      int domains = 1 + random.nextInt(4);
      NodeRole[] roles = NodeRole.values();
      for (long id = 1; id <= size; id++) {
        NodeRole role = id == 1 ? VOTER : roles[random.nextInt(roles.length)];
        cluster.add(id, role, random.nextInt(domains), random.nextInt(3));
        if (id != 1 && random.nextInt(5) == 0) {
          cluster.setOnline(id, false);
        }
      }
      String start = cluster.toString();

      cluster.settle(1);

      RolesChanges end = cluster.snapshot();
      String context = "seed " + seed + " from " + start + " to " + end;
      assertThat(cluster.role(1)).as(context).isEqualTo(VOTER);
      int online = cluster.onlineCount();
      if (size == 2) {
        assertThat(end.count(VOTER, true) + end.count(VOTER, false)).as(context).isEqualTo(1);
      }
      if (size < 3) {
        continue;
      }
      int onlineVoters = end.count(VOTER, true);
      assertThat(onlineVoters).as(context).isEqualTo(Math.min(voters, online));
      if (online >= voters) {
        assertThat(end.count(VOTER, false)).as(context).isZero();
        assertThat(end.count(STANDBY, true))
            .as(context)
            .isEqualTo(Math.min(standBys, online - voters));
      }
      if (online >= voters + standBys) {
        assertThat(end.count(STANDBY, false)).as(context).isZero();
      }
      if (config.rebalanceDomains()) {
        assertThat(cluster.voterDomains())
            .as(context)
            .isEqualTo(Math.min(onlineVoters, cluster.onlineDomains()));
      }
    }
  }
}
