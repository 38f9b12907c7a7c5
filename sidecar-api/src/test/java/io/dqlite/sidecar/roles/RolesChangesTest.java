package io.dqlite.sidecar.roles;

import static io.dqlite.sidecar.roles.Spec.changes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every branch of assume, adjust, handover and promoteAlongside, one table each. The case names
 * carry the branch numbers of the Javadoc of {@link RolesChanges} (A = assume, J = adjust, H =
 * handover; for promoteAlongside P1 = fewer than 3 members, P2 = assume gives no voter role, P3 =
 * not exactly one online voter, P4 = the candidate order); the notation is {@link Spec}'s.
 */
class RolesChangesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          A1 fewer than 3 members                 | 3/3 | 1V 2SP                    | 2 | none
          A2 not a member                         | 3/3 | 1V 2SP 3SP                | 9 | none
          A3 already a voter                      | 3/3 | 1V 2V 3SP                 | 2 | none
          A3 already a stand-by                   | 3/3 | 1V 2SB 3SP                | 2 | none
          A4 enough voters and stand-bys          | 3/1 | 1V 2V 3V 4SB 5SP          | 5 | none
          A4 more than enough voters              | 3/0 | 1V 2V 3V 4V 5SP           | 5 | none
          A5 voters short                         | 3/3 | 1V 2SP 3SP                | 3 | V
          A5 offline voter does not count         | 3/0 | 1V 2V 3V! 4SP             | 4 | V
          A5 voters short, stand-bys enough       | 3/0 | 1V 2SP 3SP                | 3 | V
          A5 stand-bys short                      | 3/3 | 1V 2V 3V 4SP              | 4 | SB
          A5 offline stand-by does not count      | 3/1 | 1V 2V 3V 4SB! 5SP         | 5 | SB
          """)
  void assume(String name, String config, String cluster, long self, String expected) {
    assertThat(Spec.printRole(changes(config, cluster).assume(self))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
"""
J1 single member                              | 3/3     | 1V                                     | 1 | none
J2 two members: demote the other voter        | 3/3     | 1V 2V                                  | 1 | SP 2 SMALL_CLUSTER
J2 two members: leader listed second          | 3/3     | 1V 2V                                  | 2 | SP 1 SMALL_CLUSTER
J2 two members: offline voter too             | 3/3     | 1V 2V!                                 | 1 | SP 2 SMALL_CLUSTER
J2 two members: no other voter                | 3/3     | 1V 2SP                                 | 1 | none
J3 rebalance: voterless domain                | 3/0     | 1V@1 2V@1 3V@2 4SP@3                   | 1 | V 4 REBALANCE_DOMAINS
J3 rebalance: off in go mode                  | 3/0 go  | 1V@1 2V@1 3V@2 4SP@3                   | 1 | none
J3 rebalance: off in crowded mode             | 3/0 crowded | 1V@1 2V@1 3V@2 4SP@3               | 1 | none
J3 rebalance: weight, then stand-by first     | 3/0     | 1V@1 2V@1 3V@2 4SP@3w5 5SP@3w1 6SB@3w1 | 1 | V 6,5,4 REBALANCE_DOMAINS
J3 rebalance: only voterless domains          | 3/0     | 1V@1 2V@1 3V@2 4SP@1 5SP@2 6SP@3       | 1 | V 6 REBALANCE_DOMAINS
J3 rebalance: before voters short             | 3/0     | 1V@1 2V@1 3SP@1 4SP@2                  | 1 | V 4 REBALANCE_DOMAINS
J3 rebalance: not when voters are distinct    | 3/0     | 1V@1 2V@2 3V@3 4SP@4                   | 1 | none
J3 rebalance: not when every domain has one   | 3/0     | 1V@1 2V@1 3V@2 4SP@2                   | 1 | none
J3 rebalance: offline node has no domain      | 3/0     | 1V@1 2V@1 3V@2 4SP!                    | 1 | none
J3 rebalance: never an unfit node             | 3/0     | 1V@1 2V@1 3V@2 4SP@3w9223372036854775807 | 1 | none
J3 rebalance: the fit one of a domain         | 3/0     | 1V@1 2V@1 3V@2 4SB@3w9223372036854775807 5SP@3 | 1 | V 5 REBALANCE_DOMAINS
J4 all good                                   | 3/1     | 1V 2V 3V 4SB                           | 1 | none
J4 all good, spares left alone                | 3/1     | 1V 2V 3V 4SB 5SP 6SP                   | 1 | none
J5 voters short: stand-by before spare        | 3/3     | 1V 2V 3SP 4SB                          | 1 | V 4,3 VOTERS_SHORT
J5 voters short: lower weight first           | 3/3     | 1V 2V 3SP@0w2 4SB@0w3 5SP@0w1          | 1 | V 5,3,4 VOTERS_SHORT
J5 voters short: new domain first             | 3/3 go  | 1V@1 2V@1 3SP@1 4SB@1 5SP@2w9          | 1 | V 5,4,3 VOTERS_SHORT
J5 voters short: offline voter replaced       | 3/3     | 1V 2V 3V! 4SP                          | 1 | V 4 VOTERS_SHORT
J5 voters short: unfit last, new domain or not | 3/3   | 1V@1 2V@2 3SB@3w9223372036854775807 4SP@1 | 1 | V 4,3 VOTERS_SHORT
J5 voters short: unfit weights compare unsigned | 3/3  | 1V@1 2V@2 3SB@3w18446744073709551615 4SB@3w9223372036854775807 5SP@1 | 1 | V 5,4,3 VOTERS_SHORT
J5 voters short: offline nodes not candidates | 3/3     | 1V 2V 3SP! 4SP                         | 1 | V 4 VOTERS_SHORT
J5 voters short, no candidate: stop outright  | 3/3     | 1V 2V 3V! 4SB!                         | 1 | none
J6 voters excess: listing order in go mode    | 3/0 go  | 1V 2V 3V 4V 5V                         | 1 | SP 2,3,4,5 VOTERS_EXCESS
J6 voters excess: leader never demoted        | 3/0 go  | 1V 2V 3V 4V 5V                         | 3 | SP 1,2,4,5 VOTERS_EXCESS
J6 voters excess: crowded domain first        | 3/0     | 1V@1 2V@2 3V@2w9 4V@3 5V@2             | 1 | SP 3,2,5,4 VOTERS_EXCESS
J6 voters excess: leader counts in its domain | 3/0     | 1V@1 2V@2 3V@3 4V@1                    | 1 | SP 4,2,3 VOTERS_EXCESS
J6 voters excess: leader counts, go order     | 3/0 go  | 1V@3 2V@2 3V@1 4V@1                    | 3 | SP 1,2,4 VOTERS_EXCESS
J6 voters excess: crowded without rebalance   | 3/0 crowded | 1V@1 2V@2 3V@1 4V@2 5V@2           | 1 | SP 2,4,5,3 VOTERS_EXCESS
J6 voters excess: before offline voters       | 3/0     | 1V 2V 3V 4V 5V!                        | 1 | SP 2,3,4 VOTERS_EXCESS
J7 offline voter                              | 3/3     | 1V 2V 3V 4V! 5SB 6SB 7SB               | 1 | SP 4 VOTER_OFFLINE
J7 offline voters in listing order            | 3/0     | 1V 2V 3V 4V! 5V!                       | 1 | SP 4,5 VOTER_OFFLINE
J8 stand-bys short: new domain, then weight   | 3/3     | 1V@1 2V@2 3V@3 4SB@1 5SP@1 6SP@2w5 7SP@3w1 | 1 | SB 7,6,5 STANDBYS_SHORT
J8 stand-bys short: unfit spare last          | 3/3     | 1V@1 2V@2 3V@3 4SB@1 5SP@2w9223372036854775807 6SP@1 | 1 | SB 6,5 STANDBYS_SHORT
J8 stand-bys short: no spare                  | 3/3     | 1V 2V 3V 4SB                           | 1 | none
J8 stand-bys short: offline one stays         | 3/3     | 1V 2V 3V 4SB 5SB!                      | 1 | none
J8 stand-bys short: offline one replaced      | 3/2     | 1V 2V 3V 4SB 5SB! 6SP                  | 1 | SB 6 STANDBYS_SHORT
J9 stand-bys excess                           | 3/1     | 1V 2V 3V 4SB 5SB 6SB                   | 1 | SP 4,5,6 STANDBYS_EXCESS
J9 stand-bys excess: leader never demoted     | 3/1     | 1V 2V 3V 4SB 5SB 6SB                   | 5 | SP 4,6 STANDBYS_EXCESS
J9 stand-bys excess: before offline ones      | 3/0     | 1V 2V 3V 4SB 5SB!                      | 1 | SP 4 STANDBYS_EXCESS
J10 offline stand-by                          | 3/1     | 1V 2V 3V 4SB 5SB!                      | 1 | SP 5 STANDBY_OFFLINE
J10 no stand-bys wanted, only offline         | 3/0     | 1V 2V 3V 4SB! 5SB!                     | 1 | SP 4,5 STANDBY_OFFLINE
# J11 cannot be reached: when none of J5 to J10 applies, J4 does.
J4 zero stand-bys wanted, none                | 3/0     | 1V 2V 3V 4SP                           | 1 | none
""")
  void adjust(String name, String config, String cluster, long leader, String expected) {
    assertThat(Spec.print(changes(config, cluster).adjust(leader))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
"""
H1 not a member                            | 3/3 | 1V 2V 3V 4SP                    | 9 | none
H2 a spare has nothing to hand over        | 3/3 | 1V 2V 3V 4SP                    | 4 | none
H4 voter: stand-bys before spares on ties  | 3/3 | 1V 2V 3V 4SP 5SB                | 1 | V 5,4 HANDOVER
H4 stand-by: spares only                   | 3/3 | 1V 2V 3V 4SB 5SP 6SB 7SP        | 4 | SB 5,7 HANDOVER
H5 no online candidate                     | 3/3 | 1V 2V 3V 4SP!                   | 1 | none
H5 stand-by, only stand-bys online         | 3/3 | 1V 2V 3V 4SB 5SB                | 4 | none
H3 self is not its own peer: its domain first | 3/3 | 1V@1 2V@2 3V@3 4SB@1 5SP@3 6SB@2 | 3 | V 5,4,6 HANDOVER
H6 offline peers cover no domain           | 3/3 | 1V@1 2V@2 3V! 4SP@2 5SP@3       | 1 | V 5,4 HANDOVER
H6 domains of stand-by peers              | 3/3 | 1V 2V 3V 4SB@1 5SB@2 6SP@2 7SP@1 8SP@3 | 4 | SB 7,8,6 HANDOVER
H6 lower weight first                      | 3/3 | 1V 2V 3V 4SP@0w3 5SP@0w1        | 1 | V 5,4 HANDOVER
H6 a leader hands over too                 | 3/3 | 1V 2V 3V 4SP                    | 1 | V 4 HANDOVER
H6 an unfit candidate last, new domain or not | 3/3 | 1V@1 2V@2 3V@3 4SB@1w9223372036854775807 5SP@2 | 1 | V 5,4 HANDOVER
""")
  void handover(String name, String config, String cluster, long self, String expected) {
    assertThat(Spec.print(changes(config, cluster).handover(self))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
"""
P1 fewer than 3 members                  | 3/3 | 1V 2SP                        | 2 | none
P2 assumes stand-by, not voter           | 3/3 | 1V 2V 3V 4SP                   | 4 | none
P3 two online voters already             | 3/3 | 1V 2V 3SP                      | 3 | none
P4 third node promotes the second        | 3/3 | 1V@1 2SP@1 3SP@2               | 3 | V 2 PROMOTE_ALONGSIDE
P4 new domain, then weight, offline last | 3/3 | 1V@1 2SP@1 3SP@1 4SP@2w7 5SP! 6SP@3w2 | 3 | V 6,4,2,5 PROMOTE_ALONGSIDE
P4 own domain counts as represented      | 3/3 | 1V@1 2SP@2w1 3SP@2 4SP@3w5     | 3 | V 4,2 PROMOTE_ALONGSIDE
P4 stand-bys before spares on ties       | 3/3 | 1V 2V! 3V! 4SP 5SP 6SB         | 4 | V 6,5 PROMOTE_ALONGSIDE
""")
  void promoteAlongside(String name, String config, String cluster, long self, String expected) {
    assertThat(Spec.print(changes(config, cluster).promoteAlongside(self))).isEqualTo(expected);
  }

  @Test
  void listingOrderBreaksTies() {
    RolesChanges forward = changes("3/3", "1V 2V 3SP 4SP 5SP");
    RolesChanges backward = changes("3/3", "5SP 4SP 3SP 2V 1V");
    assertThat(Spec.print(forward.adjust(1))).isEqualTo("V 3,4,5 VOTERS_SHORT");
    assertThat(Spec.print(backward.adjust(1))).isEqualTo("V 5,4,3 VOTERS_SHORT");
  }

  @Test
  void weightsCompareUnsigned() {
    // go-dqlite's weights are uint64: -1 here is the largest weight, not the smallest.
    RolesChanges changes =
        new RolesChanges(
            RolesConfig.defaults(),
            List.of(voter(1), voter(2), spare(3), spare(4)),
            Map.of(
                1L, new ProbeResult(0, 0),
                2L, new ProbeResult(0, 0),
                3L, new ProbeResult(0, -1),
                4L, new ProbeResult(0, 5)));
    assertThat(Spec.print(changes.adjust(1))).isEqualTo("V 4,3 VOTERS_SHORT");
  }

  @Test
  void countsAndProbes() {
    RolesChanges changes = changes("3/3", "1V@4w2 2V 3V! 4SB 5SP!");
    assertThat(changes.count(NodeRole.VOTER, true)).isEqualTo(2);
    assertThat(changes.count(NodeRole.VOTER, false)).isEqualTo(1);
    assertThat(changes.count(NodeRole.SPARE, false)).isEqualTo(1);
    assertThat(changes.isOnline(3)).isFalse();
    assertThat(changes.probe(1)).contains(new ProbeResult(4, 2));
    assertThat(changes.probe(9)).isEmpty();
  }

  @Test
  void rejectsDuplicateIds() {
    assertThatThrownBy(
            () -> new RolesChanges(RolesConfig.defaults(), List.of(voter(1), spare(1)), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x1 is listed twice");
  }

  @Test
  void rejectsProbeOfNonMember() {
    assertThatThrownBy(
            () ->
                new RolesChanges(
                    RolesConfig.defaults(), List.of(voter(1)), Map.of(2L, new ProbeResult(0, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x2, which is not a member");
  }

  @ParameterizedTest
  @CsvSource({"1, 3", "2, 3", "4, 3", "-3, 3", "3, -1"})
  void rejectsInvalidTargets(int voters, int standBys) {
    assertThatThrownBy(() -> RolesConfig.of(voters, standBys))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid");
  }

  @Test
  void rebalanceRequiresCrowdedDemotion() {
    assertThatThrownBy(() -> new RolesConfig(3, 3, true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rebalanceDomains needs demoteFromCrowdedDomains");
  }

  @Test
  void defaults() {
    assertThat(RolesConfig.defaults()).isEqualTo(new RolesConfig(3, 3, true, true));
    assertThat(RolesConfig.goDqlite1119(5, 0)).isEqualTo(new RolesConfig(5, 0, false, false));
  }

  private static NodeInfo voter(long id) {
    return new NodeInfo(id, "127.0.4." + id + ":9001", NodeRole.VOTER);
  }

  private static NodeInfo spare(long id) {
    return new NodeInfo(id, "127.0.4." + id + ":9001", NodeRole.SPARE);
  }
}
