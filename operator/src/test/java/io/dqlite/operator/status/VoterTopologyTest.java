package io.dqlite.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The VoterTopology verdict and the ZonesNotSeenByNodes issue, as tables. Voters: {@code
 * zone:domain} each ({@code -} no zone, {@code ?} did not answer); pod zones: one per pod ({@code
 * -} unknown).
 */
class VoterTopologyTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                         | leader | voters                  | pod zones    | status  | reason
          three voters in three zones                    | true   | a:1 b:2 c:3             | a b c        | True    | VotersSpread
          pods lack the zone label: every domain 0       | true   | -:0 -:0 -:0             | a b c        | False   | VotersNotSpread
          two voters share a zone of three               | true   | a:1 a:1 b:2             | a b c        | False   | VotersNotSpread
          capped at the voter count                      | true   | a:1 b:2 c:3             | a b c d e    | True    | VotersSpread
          fewer zones than voters                        | true   | a:1 b:2 a:1             | a b a        | True    | VotersSpread
          one voter                                      | true   | a:1                     | a b c        | True    | VotersSpread
          one zone, no domain is fine                    | true   | -:0 -:0 -:0             | a a a        | True    | VotersSpread
          a voter that did not answer counts nothing     | true   | a:1 b:? c:3             | a b c        | False   | VotersNotSpread
          pod zones unknown                              | true   | a:1 b:2 c:3             | - - -        | Unknown | PodZonesUnknown
          no leader                                      | false  |                         | a b c        | Unknown | MembershipUnknown
          """)
  void verdict(
      String description,
      boolean leader,
      String voters,
      String podZones,
      String status,
      String reason) {
    VoterTopology.Verdict v = VoterTopology.decide(leader, voters(voters), pods(podZones));
    assertThat(v.status()).isEqualTo(status);
    assertThat(v.reason()).isEqualTo(reason);
  }

  @org.junit.jupiter.api.Test
  void theMessageNamesTheZonesAndWhatEachVoterReports() {
    VoterTopology.Verdict v =
        VoterTopology.decide(true, voters("-:0 -:0 -:0"), pods("zone-a zone-b zone-c"));
    assertThat(v.message())
        .isEqualTo(
            "3 voter(s) in 1 failure domain(s), 3 wanted: pods span 3 zones (zone-a, zone-b,"
                + " zone-c), voters report db-0 zone none domain 0, db-1 zone none domain 0, db-2"
                + " zone none domain 0");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                         | domains | node zones | issue
          every member 0, Nodes zoned                    | 0 0 0   | a b c      | true
          one Node zoned is enough to know               | 0 0 0   | a - -      | true
          a member sees its zone                         | 0 5 0   | a b c      | false
          every member sees its zone                     | 4 5 6   | a b c      | false
          Nodes without the label                        | 0 0 0   | - - -      | false
          no member answered                             |         | a b c      | false
          """)
  void zonesNotSeen(String description, String domains, String nodeZones, boolean issue) {
    List<Long> list = new ArrayList<>();
    if (domains != null) {
      for (String d : domains.split(" ")) {
        list.add(Long.parseLong(d));
      }
    }
    Optional<DegradedCheck.Issue> found =
        VoterTopology.zonesNotSeen(list, pods(nodeZones), "topology.kubernetes.io/zone");
    assertThat(found.isPresent()).isEqualTo(issue);
    found.ifPresent(
        i -> {
          assertThat(i.reason()).isEqualTo("ZonesNotSeenByNodes");
          assertThat(i.message())
              .contains("topology.kubernetes.io/zone")
              .contains("PodTopologyLabels")
              .contains("spec.zones.readNodeLabels");
        });
  }

  private static List<VoterTopology.Voter> voters(String text) {
    List<VoterTopology.Voter> voters = new ArrayList<>();
    if (text == null) {
      return voters;
    }
    String[] parts = text.split(" ");
    for (int i = 0; i < parts.length; i++) {
      String[] zd = parts[i].split(":");
      voters.add(
          new VoterTopology.Voter(
              "db-" + i,
              zd[1].equals("?") ? null : Long.parseLong(zd[1]),
              zd[0].equals("-") ? null : zd[0]));
    }
    return voters;
  }

  private static Map<String, String> pods(String text) {
    Map<String, String> zones = new LinkedHashMap<>();
    String[] parts = text.split(" ");
    for (int i = 0; i < parts.length; i++) {
      zones.put("db-" + i, parts[i].equals("-") ? null : parts[i]);
    }
    return zones;
  }
}
