package io.dqlite.operator.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.plan.ScaleStep;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatefulSetDependentTest {

  @ParameterizedTest(name = "spec {0}, current {1}, step {2}: apply {3}")
  @CsvSource({
    "3, -1, done, 3", // creation
    "5, -1, done, 5",
    "5, 3, grow, 5", // the plan grows it
    "5, 3, wait, 3", // e.g. a retained volume to recycle first
    "3, 3, done, 3",
    "3, 5, done, 5", // scale down: pods stay until their members left raft
    "3, 5, drain, 5",
    "3, 5, remove, 5",
    "3, 5, shrink, 3", // every member above left raft
    "1, 3, wait, 3",
  })
  void appliesOnlyWhatThePlanDecided(int spec, int current, String step, int expected) {
    ScaleStep s =
        switch (step) {
          case "grow" -> new ScaleStep.Grow(spec, "");
          case "shrink" -> new ScaleStep.Shrink(spec, "");
          case "drain" -> new ScaleStep.Drain(4, 0x104, "");
          case "remove" -> new ScaleStep.Remove(4, 0x104, "");
          case "wait" -> new ScaleStep.Wait("");
          default -> new ScaleStep.Done();
        };
    OptionalInt now = current < 0 ? OptionalInt.empty() : OptionalInt.of(current);
    assertThat(StatefulSetDependent.replicas(spec, now, s)).isEqualTo(expected);
  }
}
