package io.dqlite.sidecar.roles;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.NodeInfo;
import io.dqlite.client.NodeRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where the role algorithm settles for each cluster size, pinned in {@code
 * roles/settled-roles.csv}, the table the operator's status expectations are tested against too
 * (it cannot depend on this module). A cluster grows as the App grows it: the first node votes,
 * every other joins as a spare; the leader then adjusts, one change at a time, until nothing is
 * left to change.
 */
class SettledRolesTest {

  static final Path TABLE = Path.of("src/test/resources/roles/settled-roles.csv");

  @Test
  void theAlgorithmSettlesWhereTheSharedTableSays() throws IOException {
    List<String> rows =
        Files.readAllLines(TABLE).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(rows).hasSizeGreaterThan(10);
    for (String row : rows) {
      String[] f = row.split(",");
      int nodes = Integer.parseInt(f[0]);
      RolesConfig config = RolesConfig.of(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
      Map<NodeRole, Long> settled = settle(config, nodes);
      assertThat(settled.get(NodeRole.VOTER)).as("voters for " + row).isEqualTo(Long.parseLong(f[3]));
      assertThat(settled.get(NodeRole.STANDBY))
          .as("stand-bys for " + row)
          .isEqualTo(Long.parseLong(f[4]));
    }
  }

  private static Map<NodeRole, Long> settle(RolesConfig config, int nodes) {
    List<NodeInfo> members = new ArrayList<>();
    Map<Long, ProbeResult> probes = new LinkedHashMap<>();
    for (long id = 1; id <= nodes; id++) {
      members.add(new NodeInfo(id, "127.0.4." + id + ":9001", id == 1 ? NodeRole.VOTER : NodeRole.SPARE));
      probes.put(id, new ProbeResult(0, 0));
    }
    for (int step = 0; step < 100; step++) {
      Optional<RoleChange> change = new RolesChanges(config, members, probes).adjust(1);
      if (change.isEmpty()) {
        Map<NodeRole, Long> count = new LinkedHashMap<>();
        for (NodeRole r : NodeRole.values()) {
          count.put(r, members.stream().filter(m -> m.role() == r).count());
        }
        return count;
      }
      NodeInfo target = change.get().first();
      members.replaceAll(
          m -> m.id() == target.id() ? new NodeInfo(m.id(), m.address(), change.get().role()) : m);
    }
    throw new AssertionError("no fixed point after 100 changes for " + nodes + " nodes, " + config);
  }
}
