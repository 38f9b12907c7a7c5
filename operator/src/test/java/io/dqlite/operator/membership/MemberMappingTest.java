package io.dqlite.operator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.plan.Member;
import io.dqlite.operator.testing.Fixtures;
import io.dqlite.sidecar.api.SidecarView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberMappingTest {

  final DqliteCluster cr = Fixtures.cluster();

  @Test
  void membersMapToPodsByAddressInOrdinalOrder() {
    Membership m = Fixtures.membership("s2 v0* vx v1!");
    List<MemberStatus> status = MemberMapping.statusMembers(cr, m, Fixtures.DOMAIN);
    assertThat(status)
        .extracting(
            MemberStatus::getPod,
            MemberStatus::getId,
            MemberStatus::getRole,
            MemberStatus::getOnline)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("db-0", "0x100", "voter", true),
            org.assertj.core.groups.Tuple.tuple("db-1", "0x101", "voter", false),
            org.assertj.core.groups.Tuple.tuple("db-2", "0x102", "stand-by", true),
            org.assertj.core.groups.Tuple.tuple(null, "0xf00", "voter", true));
    assertThat(status.get(0).getAddress()).isEqualTo(Fixtures.address(0));
    assertThat(status.get(0).getFailureDomain()).isEqualTo(1L);
    assertThat(status.get(1).getFailureDomain()).as("offline: unknown").isNull();
  }

  /**
   * The zone is what the node reports about itself, never the operator's reading of pod or Node
   * labels (the mapping does not take them: they would show a zone the node's failure domain is not
   * derived from).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                   | self zone | self source | zone   | source
          the sidecar's own report                 | zone-s    | pod_labels  | zone-s | pod_labels
          read from the Node by the sidecar        | zone-n    | node        | zone-n | node
          no zone seen                             |           | none        |        | none
          no own view: unreported, not guessed     |           |             |        | unreported
          """)
  void zoneIsTheNodesOwnReport(
      String description, String selfZone, String selfSource, String zone, String source) {
    RaftMember member = new RaftMember(0x100, Fixtures.address(0), NodeRole.VOTER, true, 1L, null);
    Map<String, SidecarView.Self> selves =
        selfSource == null
            ? Map.of()
            : Map.of(
                "db-0",
                new SidecarView.Self(
                    "0x100", Fixtures.address(0), "voter", selfZone, selfSource, 1L, true, true));
    Membership m =
        new Membership(
            Membership.Source.SIDECAR,
            Optional.of(new Membership.Leader(0x100, Fixtures.address(0))),
            List.of(member),
            selves,
            List.of());
    List<MemberStatus> status = MemberMapping.statusMembers(cr, m, Fixtures.DOMAIN);
    assertThat(status.get(0).getZone()).isEqualTo(zone);
    assertThat(status.get(0).getZoneSource()).isEqualTo(source);
  }

  @Test
  void aSelfReportOfAnotherIdDoesNotLendItsZone() {
    // An old member at pod 0's address (the pod lost its volume and rejoined as 0x200).
    Membership m =
        new Membership(
            Membership.Source.SIDECAR,
            Optional.of(new Membership.Leader(0x101, Fixtures.address(1))),
            List.of(new RaftMember(0x100, Fixtures.address(0), NodeRole.SPARE, false, null, null)),
            Map.of(
                "db-0",
                new SidecarView.Self(
                    "0x200", Fixtures.address(0), null, "zone-a", "downward", 1L, false, false)),
            List.of());
    assertThat(MemberMapping.statusMembers(cr, m, Fixtures.DOMAIN))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getZone()).isNull();
              assertThat(s.getZoneSource()).isEqualTo(MemberMapping.UNREPORTED);
            });
  }

  @Test
  void planMembersCarryOrdinalsAndTheLeader() {
    List<Member> members =
        MemberMapping.planMembers(cr, Fixtures.membership("v0 v1* s2! px"), Fixtures.DOMAIN);
    assertThat(members)
        .extracting(Member::ordinal, Member::leader, Member::online)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(OptionalInt.of(0), false, true),
            org.assertj.core.groups.Tuple.tuple(OptionalInt.of(1), true, true),
            org.assertj.core.groups.Tuple.tuple(OptionalInt.of(2), false, false),
            org.assertj.core.groups.Tuple.tuple(OptionalInt.empty(), false, true));
  }

  @Test
  void leaderIsNamedByPodOrAddress() {
    assertThat(MemberMapping.leaderName(cr, Fixtures.membership("v0 v1*"), Fixtures.DOMAIN))
        .contains("db-1");
    assertThat(MemberMapping.leaderName(cr, Fixtures.membership("v0 vx*"), Fixtures.DOMAIN))
        .contains("10.9.9.1:9001");
    assertThat(MemberMapping.leaderName(cr, Fixtures.membership("v0 v1"), Fixtures.DOMAIN))
        .isEmpty();
  }
}
