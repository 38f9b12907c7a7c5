package io.dqlite.compat.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.compat.ThreeNodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway 13 through the dqlite-flyway plugin on a real 3-node cluster: {@code migrate} on a {@code
 * jdbc:dqlite:} URL with its history table, a failing migration rolled back whole, and three
 * migrator processes started at the same instant, none of which applies a migration another
 * applied.
 */
@ExtendWith(ThreeNodes.Extension.class)
class FlywayIT {

  private static final Logger LOG = LoggerFactory.getLogger(FlywayIT.class);

  private static ThreeNodes cluster;

  @BeforeAll
  static void cluster(ThreeNodes nodes) {
    cluster = nodes;
  }

  private static Flyway flyway(String database, String... locations) {
    return Flyway.configure()
        .dataSource(cluster.url(database), null, null)
        .locations(locations)
        .load();
  }

  @Test
  void migratesAndKeepsTheHistory() throws Exception {
    Flyway flyway = flyway("flyway_migrate", "classpath:db/compat");
    MigrateResult first = flyway.migrate();
    assertThat(first.migrationsExecuted).isEqualTo(4);
    assertThat(first.databaseType).as("the dqlite-flyway plugin").isEqualTo("dqlite");
    assertThat(flyway.migrate().migrationsExecuted).as("nothing left to apply").isZero();
    assertThat(history("flyway_migrate")).containsExactly("1 ok", "2 ok", "3 ok", "4 ok");
    assertThat(query("flyway_migrate", "SELECT count(*) FROM account")).isEqualTo(2);
    assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("4");
    flyway.validate();
  }

  @Test
  void failedMigrationIsRolledBackWhole() throws Exception {
    Flyway flyway = flyway("flyway_failing", "classpath:db/compat", "classpath:db/failing");
    assertThatThrownBy(flyway::migrate)
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("no_such_table");
    // V1..V4 committed one by one; V5's table and row went with its failed transaction.
    assertThat(history("flyway_failing")).containsExactly("1 ok", "2 ok", "3 ok", "4 ok");
    assertThat(
            query("flyway_failing", "SELECT count(*) FROM sqlite_master WHERE name = 'shipment'"))
        .isZero();
  }

  /**
   * With {@code group=true} all pending migrations run in one transaction, so exactly one process
   * applies all four and the others find nothing to do.
   */
  @Test
  void threeProcessesMigratingTogetherInGroups_exactlyOneApplies() throws Exception {
    List<Integer> applied = migrateFromThreeProcesses("flyway_concurrent_group", "group");
    assertThat(applied).as("migrations applied per process").containsExactlyInAnyOrder(4, 0, 0);
    assertThat(history("flyway_concurrent_group")).containsExactly("1 ok", "2 ok", "3 ok", "4 ok");
    assertThat(query("flyway_concurrent_group", "SELECT count(*) FROM account")).isEqualTo(2);
  }

  /**
   * With Flyway's default (one transaction per migration), the processes may share the work, but no
   * migration is applied twice and none fails.
   */
  @Test
  void threeProcessesMigratingTogether_applyEachMigrationOnce() throws Exception {
    List<Integer> applied = migrateFromThreeProcesses("flyway_concurrent_each", "each");
    assertThat(applied.stream().mapToInt(Integer::intValue).sum())
        .as("applied " + applied)
        .isEqualTo(4);
    assertThat(history("flyway_concurrent_each")).containsExactly("1 ok", "2 ok", "3 ok", "4 ok");
    assertThat(query("flyway_concurrent_each", "SELECT count(*) FROM account")).isEqualTo(2);
    assertThat(query("flyway_concurrent_each", "SELECT count(*) FROM audit")).isEqualTo(1);
  }

  private List<Integer> migrateFromThreeProcesses(String database, String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Far enough ahead for three JVMs to start on a loaded machine; they then migrate together.
    long startAt = System.currentTimeMillis() + 8_000;
    List<Process> processes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        processes.add(
            new ProcessBuilder(
                    java,
                    "-Xmx128m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Migrator.class.getName(),
                    cluster.url(database),
                    mode,
                    Long.toString(startAt))
                .redirectErrorStream(true)
                .start());
      }
      List<Integer> applied = new ArrayList<>();
      for (Process p : processes) {
        String out = readAll(p);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("migrator finished").isTrue();
        assertThat(p.exitValue()).as("migrator failed:\n" + out).isZero();
        String line =
            out.lines().filter(l -> l.startsWith("applied=")).reduce((a, b) -> b).orElseThrow();
        applied.add(Integer.parseInt(line.substring("applied=".length())));
      }
      LOG.info("{} ({}): migrations applied per process {}", database, mode, applied);
      return applied;
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
  }

  private static String readAll(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static List<String> history(String database) throws SQLException {
    return FlywayHistory.of(cluster.url(database));
  }

  private static int query(String database, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(cluster.url(database));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
