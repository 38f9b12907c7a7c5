package io.dqlite.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.TlsStatus;
import io.dqlite.operator.testing.Fixtures;
import io.dqlite.operator.testing.Observations;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Events between two statuses, each computed from an observation in {@link Observations}. */
class EventDiffTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                        | pods before | members before | nodes before | pods after | members after  | nodes after | events
          nothing changed               | 0 1 2       | v0* v1 v2      | 3z           | 0 1 2      | v0* v1 v2      | 3z          |
          first sight                   |             |                | ?            | 0          | v0*            | ?           | MemberJoined LeaderElected
          a member joins as spare       | 0 1 2       | v0* v1 v2      | 3z           | 0 1 2 3    | v0* v1 v2 p3   | 3z          | MemberJoined
          promoted                      | 0 1 2 3     | v0* v1 v2 p3   | 3z           | 0 1 2 3    | v0* v1 v2 s3   | 3z          | MemberPromoted
          demoted                       | 0 1 2 3     | v0* v1 v2 s3   | 3z           | 0 1 2 3    | v0* v1 v2 p3   | 3z          | MemberDemoted
          removed                       | 0 1 2 3     | v0* v1 v2 p3   | 3z           | 0 1 2      | v0* v1 v2      | 3z          | MemberRemoved
          new leader                    | 0 1 2       | v0* v1 v2      | 3z           | 0 1 2      | v0 v1* v2      | 3z          | LeaderElected
          offline, and degraded         | 0 1 2       | v0* v1 v2      | 3z           | 0 1 2      | v0* v1 v2!     | 3z          | MemberOffline MembersOffline
          back, and recovered           | 0 1 2       | v0* v1 v2!     | 3z           | 0 1 2      | v0* v1 v2      | 3z          | MemberOnline Recovered
          degraded for another reason   | 0 1 2       | v0* v1 v2      | 3            | 0 1 2      | v0* v1 v2      | 2z          | TooFewNodes
          same reason: no new event     | 0 1 2       | v0* v1 v2      | 2            | 0 1 2      | v0* v1 v2      | 1           |
          no leader: members unknown    | 0 1 2       | v0* v1 v2      | 3z           | 0 1 2      |                | 3z          | NoLeader
          """)
  void events(
      String description,
      String podsBefore,
      String membersBefore,
      String nodesBefore,
      String podsAfter,
      String membersAfter,
      String nodesAfter,
      String expected) {
    DqliteCluster cr = Observations.bootstrapped(Fixtures.cluster());
    DqliteClusterStatus before = null;
    if (podsBefore != null) {
      before =
          StatusAggregator.aggregate(
              Observations.steady(cr, podsBefore, membersBefore, nodesBefore));
      cr.setStatus(before);
    } else {
      cr.setStatus(null);
    }
    DqliteClusterStatus after =
        StatusAggregator.aggregate(Observations.steady(cr, podsAfter, membersAfter, nodesAfter));
    List<ClusterEvent> events = EventDiff.diff(before, after);
    assertThat(events)
        .extracting(ClusterEvent::reason)
        .containsExactlyInAnyOrderElementsOf(
            expected == null ? List.of() : Arrays.asList(expected.split(" ")));
    assertThat(events).allSatisfy(e -> assertThat(e.note()).isNotBlank());
    assertThat(events)
        .filteredOn(ClusterEvent::warning)
        .extracting(ClusterEvent::reason)
        .allMatch(
            r -> List.of("MemberOffline", "MembersOffline", "TooFewNodes", "NoLeader").contains(r));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                | reason before      | reason after       | event
          first pass of a legacy plaintext one  |                    | PlaintextByDefault | PlaintextByDefault
          told already: no new event            | PlaintextByDefault | PlaintextByDefault |
          spec asks for another mode            | PlaintextByDefault | TlsModeMismatch    | TlsModeMismatch
          silenced by plaintext: true           | PlaintextByDefault |                    |
          all as asked                          |                    |                    |
          """)
  void tlsWarningOnceWhenItAppearsOrChanges(
      String description, String reasonBefore, String reasonAfter, String expected) {
    DqliteClusterStatus before = new DqliteClusterStatus();
    before.setTls(new TlsStatus("Disabled", reasonBefore, reasonBefore == null ? null : "m"));
    DqliteClusterStatus after = new DqliteClusterStatus();
    after.setTls(new TlsStatus("Disabled", reasonAfter, reasonAfter == null ? null : "m"));
    List<ClusterEvent> events = EventDiff.diff(before, after);
    assertThat(events)
        .extracting(ClusterEvent::reason)
        .containsExactlyElementsOf(expected == null ? List.of() : List.of(expected));
    assertThat(events).allMatch(ClusterEvent::warning);
    assertThat(EventDiff.diff(null, after)).hasSize(reasonAfter == null ? 0 : 1);
  }
}
