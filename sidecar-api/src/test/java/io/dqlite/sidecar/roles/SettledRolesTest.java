package io.dqlite.sidecar.roles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the role algorithm settles for each cluster size, pinned in {@code
 * roles/settled-roles.csv}, the table the operator's status expectations are tested against too
 * (the operator asks {@link SettledRoles} itself; the table keeps both sides honest against a
 * change of the algorithm that nobody meant).
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
      SettledRoles settled = SettledRoles.of(config, nodes);
      assertThat(settled.voters()).as("voters for " + row).isEqualTo(Integer.parseInt(f[3]));
      assertThat(settled.standBys()).as("stand-bys for " + row).isEqualTo(Integer.parseInt(f[4]));
    }
  }

  @Test
  void noNodesNoRoles() {
    assertThat(SettledRoles.of(RolesConfig.defaults(), 0)).isEqualTo(new SettledRoles(0, 0));
  }
}
