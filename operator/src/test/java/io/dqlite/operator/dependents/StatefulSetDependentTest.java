package io.dqlite.operator.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatefulSetDependentTest {

  @ParameterizedTest(name = "spec {0}, current {1}: apply {2}")
  @CsvSource({
    "3, 0, 3", // creation
    "5, 3, 5", // scale up at once
    "3, 3, 3", "3, 5, 5", // scale down: pods stay until their members left raft
    "1, 3, 3",
  })
  void neverShrinksByItself(int spec, int current, int expected) {
    assertThat(StatefulSetDependent.replicas(spec, current)).isEqualTo(expected);
  }
}
