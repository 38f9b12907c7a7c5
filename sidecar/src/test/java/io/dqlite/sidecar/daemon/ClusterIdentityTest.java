package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.sidecar.daemon.ClusterIdentity.Proceed;
import io.dqlite.sidecar.daemon.ClusterIdentity.Refuse;
import io.dqlite.sidecar.daemon.JoinPlan.Kind;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterIdentityTest {

  private static final Path DIR = Path.of("/var/lib/dqlite");

  /** given id ("" none), bootstrap allowed, join kind, recorded ("" none), expected outcome. */
  static Stream<Arguments> table() {
    return Stream.of(
        // go-dqlite's behaviour without flags.
        Arguments.of("", true, Kind.BOOTSTRAP, "", "proceed"),
        Arguments.of("", true, Kind.RESTART, "a", "proceed"),
        // A new node records the id it is given, bootstrapping or joining.
        Arguments.of("a", true, Kind.BOOTSTRAP, "", "proceed, write a"),
        Arguments.of("a", false, Kind.JOIN, "", "proceed, write a"),
        Arguments.of("a", true, Kind.JOIN, "", "proceed, write a"),
        // A directory from before ids adopts the one given; the same id is kept.
        Arguments.of("a", false, Kind.RESTART, "", "proceed, write a"),
        Arguments.of("a", false, Kind.RESTART, "a", "proceed"),
        // Another cluster's directory, whatever the plan.
        Arguments.of("a", true, Kind.RESTART, "b", "refuse: belongs to cluster b"),
        Arguments.of("a", true, Kind.JOIN, "b", "refuse: belongs to cluster b"),
        Arguments.of("a", true, Kind.BOOTSTRAP, "b", "refuse: belongs to cluster b"),
        // The cluster exists: an empty directory with nobody to join must not bootstrap.
        Arguments.of("a", false, Kind.BOOTSTRAP, "", "refuse: refusing to bootstrap"),
        Arguments.of("", false, Kind.BOOTSTRAP, "", "refuse: refusing to bootstrap"),
        Arguments.of("a", false, Kind.BOOTSTRAP, "a", "refuse: refusing to bootstrap"),
        // Told nothing: a recorded id is kept as it is.
        Arguments.of("", true, Kind.RESTART, "b", "proceed"));
  }

  @ParameterizedTest(name = "[{index}] given {0} bootstrap {1} {2} recorded {3}: {4}")
  @MethodSource("table")
  void decides(String given, boolean bootstrap, Kind kind, String recorded, String expected) {
    ClusterIdentity identity = new ClusterIdentity(opt(given), bootstrap);
    ClusterIdentity.Check check = identity.check(DIR, kind, opt(recorded));
    if (expected.startsWith("refuse: ")) {
      assertThat(check).isInstanceOf(Refuse.class);
      String message = ((Refuse) check).message();
      assertThat(message)
          .contains(expected.substring("refuse: ".length()))
          .contains("data directory " + DIR)
          .contains("docs/operator.md, Recovery");
    } else {
      assertThat(check)
          .isEqualTo(
              new Proceed(
                  expected.contains("write ")
                      ? Optional.of(expected.substring(expected.indexOf("write ") + 6))
                      : Optional.empty()));
    }
  }

  @Test
  void aForeignDirectoryNamesBothIdsAndTheRecoveryField() {
    Refuse r =
        (Refuse)
            new ClusterIdentity(Optional.of("new-id"), true)
                .check(DIR, Kind.RESTART, Optional.of("old-id"));
    assertThat(r.message())
        .contains("belongs to cluster old-id")
        .contains("started for cluster new-id")
        .contains("spec.recovery.clusterId: old-id");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-a",
        "a-",
        "a b",
        "a/b",
        "",
        "0123456789012345678901234567890123456789012345678901234567890123"
      })
  void refusesMalformedIds(String id) {
    assertThatThrownBy(() -> new ClusterIdentity(Optional.of(id), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--cluster-id");
  }

  private static Optional<String> opt(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
