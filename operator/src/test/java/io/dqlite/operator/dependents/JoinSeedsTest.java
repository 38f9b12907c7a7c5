package io.dqlite.operator.dependents;

import static io.dqlite.operator.dependents.TestClusters.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JoinSeedsTest {

  @ParameterizedTest(name = "replicas {0}, bootstrapped {1}: seeds are ordinals 0..{2}")
  @CsvSource({
    // Before the first leader: pod 0 alone, so pod 0 (which drops itself) bootstraps.
    "3, false, 0",
    "1, false, 0",
    "7, false, 0",
    // After: every pod, so a pod on an empty volume, pod 0 included, joins.
    "3, true, 2",
    "1, true, 0",
    "5, true, 4",
  })
  void seeds(int replicas, boolean bootstrapped, int lastOrdinal) {
    DqliteCluster cr = TestClusters.cluster(spec -> spec.setReplicas(replicas));
    if (bootstrapped) {
      TestClusters.bootstrapped(cr);
    }
    List<String> expected =
        IntStream.rangeClosed(0, lastOrdinal)
            .mapToObj(o -> ClusterNames.podAddress(cr, o, DOMAIN))
            .toList();
    assertThat(JoinSeeds.bootstrapped(cr)).isEqualTo(bootstrapped);
    assertThat(JoinSeeds.seeds(cr, JoinSeeds.bootstrapped(cr), DOMAIN)).isEqualTo(expected);
    assertThat(DesiredJoinConfigMap.build(cr, DOMAIN).getData())
        .containsOnly(
            org.assertj.core.api.Assertions.entry(JoinSeeds.KEY, String.join(",", expected)),
            // No identity recorded yet: no pod is created, and none could bootstrap.
            org.assertj.core.api.Assertions.entry(JoinSeeds.CLUSTER_EXISTS_KEY, "true"));
  }

  @ParameterizedTest(name = "identity {0}, adopted {1}, bootstrapped {2}: exists {3}, seeds 0..{4}")
  @CsvSource({
    // A new cluster with its identity recorded: pod 0 alone bootstraps it.
    "A, false, false, false, 0",
    // Once it has a leader: every pod joins.
    "A, false, true,  true,  2",
    // Adopted from volumes of an earlier resource: no pod bootstraps, even before a leader.
    "A, true,  false, true,  2",
    "A, true,  true,  true,  2",
  })
  void theIdentityAndWhetherTheClusterExistsGoToThePods(
      String id, boolean adopted, boolean bootstrapped, boolean exists, int lastOrdinal) {
    DqliteCluster cr = TestClusters.cluster();
    if (bootstrapped) {
      TestClusters.bootstrapped(cr);
    }
    if (cr.getStatus() == null) {
      cr.setStatus(new io.dqlite.operator.crd.DqliteClusterStatus());
    }
    cr.getStatus().setIdentity(new io.dqlite.operator.crd.ClusterIdentityStatus(id, adopted));
    List<String> expected =
        IntStream.rangeClosed(0, lastOrdinal)
            .mapToObj(o -> ClusterNames.podAddress(cr, o, DOMAIN))
            .toList();
    assertThat(DesiredJoinConfigMap.build(cr, DOMAIN).getData())
        .containsOnly(
            org.assertj.core.api.Assertions.entry(JoinSeeds.KEY, String.join(",", expected)),
            org.assertj.core.api.Assertions.entry(JoinSeeds.CLUSTER_EXISTS_KEY, "" + exists),
            org.assertj.core.api.Assertions.entry(JoinSeeds.CLUSTER_ID_KEY, id));
  }

  @ParameterizedTest(name = "pod {0} bootstraps before the first leader: {1}; after: never")
  @CsvSource({"0, true", "1, false", "2, false"})
  void onlyPodZeroIsLeftWithoutSeedsAndOnlyBeforeTheFirstLeader(int ordinal, boolean bootstraps) {
    DqliteCluster cr = TestClusters.cluster();
    String self = ClusterNames.podAddress(cr, ordinal, DOMAIN);
    // The sidecar's side of the contract: drop its own address; bootstrap if nothing is left.
    assertThat(JoinSeeds.seeds(cr, false, DOMAIN).stream().filter(s -> !s.equals(self)))
        .as("seeds left to pod %d before bootstrap", ordinal)
        .hasSize(bootstraps ? 0 : 1);
    assertThat(JoinSeeds.seeds(cr, true, DOMAIN).stream().filter(s -> !s.equals(self)))
        .as("seeds left to pod %d after bootstrap", ordinal)
        .isNotEmpty();
  }
}
