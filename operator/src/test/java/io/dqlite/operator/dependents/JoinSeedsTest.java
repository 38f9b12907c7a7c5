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
        .containsExactly(
            org.assertj.core.api.Assertions.entry(JoinSeeds.KEY, String.join(",", expected)));
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
