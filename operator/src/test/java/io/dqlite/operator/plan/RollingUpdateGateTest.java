package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rolling-update gate, state by state; the update revision is {@code b}. */
class RollingUpdateGateTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                      | pods            | members                | decision  | reason contains
          every pod updated                           | 0b 1b 2b        | v0* v1 v2              | done      |
          non-leaders first, highest ordinal first    | 0a 1a 2a        | v0* v1 v2              | restart 2 | every other voter is online
          the leader on pod 2 goes last               | 0a 1a 2a        | v0 v1 v2*              | restart 1 |
          the leader once alone                       | 0a 1b 2b        | v0* v1 v2              | restart 0 |
          one at a time: updated pod not ready        | 0a 1a 2b!       | v0* v1 v2              | wait      | pod 2 runs the update revision but is not ready
          one at a time: a pod terminating            | 0a 1a 2ax       | v0* v1 v2              | wait      | pod 2 is terminating
          another voter offline blocks                | 0a 1b 2a        | v0* v1! v2             | wait      | voter pod 1 is offline
          an offline node restarts first              | 0a 1a! 2a       | v0* v1! v2             | restart 1 | not online
          not-ready pods before ready ones            | 0a 1a! 2a       | v0* v1 v2              | restart 1 |
          spares, then stand-bys, then voters         | 0a 1a 2a 3a 4a  | v0* v1 v2 p3 s4        | restart 3 |
          stand-bys before voters                     | 0a 1a 2a 3a     | v0* v1 v2 s3           | restart 3 |
          a pod not yet a member first                | 0a 1a 2a 3a     | v0* v1 v2              | restart 3 | not online
          no leader: unready running pods stay        | 0a! 1a! 2a      | v0! v1! v2             | wait      | no raft leader
          no leader: not past an unready updated pod  | 0a! 1b! 2a      | v0! v1 v2              | wait      | no raft leader
          no leader: online nodes stay                | 0a 1a 2a        | v0 v1 v2               | wait      | no raft leader
          mid-election: an offline voter stays too    | 0a 1a! 2a       | v0 v1! v2              | wait      | an election may be under way
          crash-looping revision without a leader     | 0a!~ 1a!~ 2a    | v0! v1! v2             | restart 1 | does not run
          no leader: past an updated pod not running  | 0a!~ 1b!~ 2a    | v0! v1! v2             | restart 0 | does not run
          membership unknown                          | 0a 1a 2a        |                        | wait      | membership is unknown
          membership unknown, pods not ready          | 0a! 1a! 2a!     |                        | wait      | membership is unknown
          never started (pending pods), fixed spec    | 0a!~ 1a!~ 2a!~  |                        | restart 2 | does not run
          a voter outside the pods offline blocks     | 0a 1a 2a        | v0* v1 v2 vx!          | wait      | is offline
          a ghost voter at a pod's address blocks     | 0a 1a 2a        | v0* v1 v2 v2!@999      | wait      | voter pod 2 is offline
          offline spare does not block voters         | 0a 1a 2a 3b     | v0* v1 v2 p3!          | restart 2 |
          """)
  void decide(
      String description, String pods, String members, String expected, String reasonFragment) {
    RollDecision decision =
        RollingUpdateGate.decide(Notation.pods(pods), Notation.members(members), "b");
    assertThat(Notation.decision(decision)).isEqualTo(expected);
    if (reasonFragment != null) {
      assertThat(decision.reason()).contains(reasonFragment);
    }
  }
}
