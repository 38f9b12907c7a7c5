package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.ClusterIdentityStatus;
import io.dqlite.operator.plan.BootstrapDecision.Claim;
import io.dqlite.operator.plan.BootstrapDecision.Inputs;
import io.dqlite.operator.plan.BootstrapDecision.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootstrapDecisionTest {

  /**
   * Columns: recorded identity ("-" none; "X+" adopted), bootstrapped, StatefulSet exists, claims
   * ("?" unreadable; "0:X 1:- 2:Y", "-" no label), recovery ("-" none), leader known; then the
   * identity after the pass ("-" none, "new" the fresh id, "+" adopted), record first, Degraded
   * reason ("-" none).
   */
  @ParameterizedTest(name = "[{index}] recorded {0} boot {1} sts {2} claims [{3}] recovery {4}")
  @CsvSource({
    // A new cluster: a fresh identity, recorded before anything starts; pod 0 may bootstrap.
    "-,  false, false, '',          -, false, new,  true,  -",
    // Recorded: kept, nothing held.
    "A,  false, true,  '0:- 1:-',   -, false, A,    false, -",
    "A,  true,  true,  '0:A 1:A',   -, true,  A,    false, -",
    // Re-created over claims of one cluster: adopted (no pod bootstraps), pod 0's claim lost or
    // not.
    "-,  false, false, '1:A 2:A',   -, false, A+,   true,  -",
    "-,  false, false, '0:A 1:A 2:A', -, false, A+, true,  -",
    // Claims from before identities: a fresh identity, adopted.
    "-,  false, false, '1:- 2:-',   -, false, new+, true,  -",
    "-,  false, false, '1:- 2:A',   -, false, A+,   true,  -",
    // Claims of two clusters: blocked until the recovery field names one.
    "-,  false, false, '0:A 1:B',   -, false, -,    true,  ClusterIdConflict",
    "-,  false, false, '0:A 1:B',   B, false, B+,   true,  -",
    // The recovery field on a new name: its identity, and pod 0 may bootstrap.
    "-,  false, false, '',          C, false, C,    true,  -",
    // Ignored once an identity is recorded.
    "A,  true,  true,  '0:A',       C, true,  A,    false, -",
    // Unreadable claims: nothing starts on a guess.
    "-,  false, false, ?,           -, false, -,    true,  ClaimsUnreadable",
    // An operator upgrade: its own StatefulSet, a fresh identity, adopted if bootstrapped.
    "-,  true,  true,  '0:- 1:-',   -, true,  new+, true,  -",
    "-,  false, true,  '0:-',       -, false, new,  true,  -",
    // Adopted, no leader yet: Degraded says why no pod bootstraps; gone once a leader is seen.
    "A+, false, true,  '0:A 1:A',   -, false, A+,   false, BootstrapRefused",
    "A+, false, true,  '0:A 1:A',   -, true,  A+,   false, -",
    "A+, true,  true,  '0:A 1:A',   -, false, A+,   false, -",
    // A claim of another cluster next to a recorded identity: its pod refuses; Degraded names it.
    "A,  true,  true,  '0:A 1:A 2:B', -, true,  A,    false, ForeignVolumes",
  })
  void decides(
      String recorded,
      boolean bootstrapped,
      boolean statefulSet,
      String claims,
      String recovery,
      boolean leader,
      String identity,
      boolean recordFirst,
      String reason) {
    Outcome o =
        BootstrapDecision.decide(
            new Inputs(
                identity(recorded),
                bootstrapped,
                statefulSet,
                claims(claims),
                "-".equals(recovery) ? Optional.empty() : Optional.of(recovery),
                leader,
                "new"));
    assertThat(o.identity().map(i -> i.getClusterId() + (i.adopted() ? "+" : "")).orElse("-"))
        .isEqualTo(identity);
    assertThat(o.recordFirst()).isEqualTo(recordFirst);
    assertThat(o.problem().map(BootstrapDecision.Issue::reason).orElse("-")).isEqualTo(reason);
  }

  @org.junit.jupiter.api.Test
  void messagesNameTheClaimsAndTheWayOut() {
    Outcome conflict =
        BootstrapDecision.decide(
            new Inputs(
                Optional.empty(), false, false, claims("0:A 2:B"), Optional.empty(), false, "n"));
    assertThat(conflict.problem().orElseThrow().message())
        .contains("dqlite-data-db-0: A, dqlite-data-db-2: B")
        .contains("spec.recovery.clusterId");
    Outcome refused =
        BootstrapDecision.decide(
            new Inputs(
                identity("A+"), false, true, claims("1:A 2:A"), Optional.empty(), false, "n"));
    assertThat(refused.problem().orElseThrow().message())
        .contains("cluster A was adopted")
        .contains("dqlite-data-db-1, dqlite-data-db-2")
        .contains("no pod bootstraps");
  }

  private static Optional<ClusterIdentityStatus> identity(String s) {
    if ("-".equals(s)) {
      return Optional.empty();
    }
    boolean adopted = s.endsWith("+");
    String id = adopted ? s.substring(0, s.length() - 1) : s;
    return Optional.of(new ClusterIdentityStatus(id, adopted));
  }

  private static Optional<List<Claim>> claims(String s) {
    if ("?".equals(s)) {
      return Optional.empty();
    }
    List<Claim> claims = new ArrayList<>();
    for (String c : Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList()) {
      String[] parts = c.split(":");
      int ordinal = Integer.parseInt(parts[0]);
      claims.add(
          new Claim(
              ordinal,
              "dqlite-data-db-" + ordinal,
              "-".equals(parts[1]) ? Optional.empty() : Optional.of(parts[1])));
    }
    return Optional.of(claims);
  }
}
