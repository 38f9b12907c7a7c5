package io.dqlite.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.testing.Fixtures;
import io.dqlite.operator.testing.Observations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status expects the roles the sidecars settle on. The table is sidecar-api's, which its {@code
 * SettledRolesTest} checks against the role algorithm the sidecar runs and which the operator asks:
 * a change of the algorithm that nobody meant fails both.
 */
class ObservationTest {

  static final Path TABLE = Path.of("../sidecar-api/src/test/resources/roles/settled-roles.csv");

  @Test
  void expectedRolesAreWhereTheSidecarsRoleAlgorithmSettles() throws IOException {
    List<String> rows =
        Files.readAllLines(TABLE).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(rows).hasSizeGreaterThan(10);
    for (String row : rows) {
      String[] f = row.split(",");
      int nodes = Integer.parseInt(f[0]);
      int voters = Integer.parseInt(f[1]);
      int standBys = Integer.parseInt(f[2]);
      DqliteCluster cr =
          Fixtures.cluster(
              spec -> {
                spec.setReplicas(nodes);
                spec.setVoters(voters);
                spec.setStandBys(standBys);
              });
      Observation o = Observations.steady(cr, "0", "v0*", "3z");
      assertThat(o.expectedVoters()).as("voters for " + row).isEqualTo(Integer.parseInt(f[3]));
      assertThat(o.expectedStandBys()).as("stand-bys for " + row).isEqualTo(Integer.parseInt(f[4]));
    }
  }
}
