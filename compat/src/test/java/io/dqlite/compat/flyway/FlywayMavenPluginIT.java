package io.dqlite.compat.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.jdbc.DqliteDriver;
import io.dqlite.compat.ThreeNodes;
import io.dqlite.flyway.DqliteDatabaseType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway's own runner, as a user runs it: a nested {@code mvn flyway:migrate} (then {@code
 * flyway:info} and {@code flyway:validate}) with the real {@code flyway-maven-plugin}, on a small
 * project under {@code target/} whose pom is examples/flyway/maven/pom.xml (it puts dqlite-flyway
 * and the JDBC driver on the plugin's classpath), against the suite's real 3-node cluster.
 *
 * <p>The nested build finds this checkout's artifacts in a file repository under {@code target/}
 * (jar and pom of each, never installed into {@code ~/.m2}), and the plugin with its dependencies
 * in the outer build's local repository (which has most of them: compat declares the plugin as a
 * test dependency), read as a remote repository, then in Maven Central; its own local repository is
 * {@link #NESTED_LOCAL_REPOSITORY}, so {@code ~/.m2} is left as it was. It runs offline when the
 * outer build does.
 */
@ExtendWith(ThreeNodes.Extension.class)
class FlywayMavenPluginIT {

  private static final Logger LOG = LoggerFactory.getLogger(FlywayMavenPluginIT.class);
  private static final String DATABASE = "flyway_maven_plugin";
  private static final long MVN_DEADLINE_SECONDS = 240;

  /**
   * The nested build's own local repository. Not {@code ~/.m2}, which must not receive this
   * checkout's snapshots; not under {@code target/}, so that what it fetched (the few versions the
   * plugin's resolution picks that the outer build never needed) survives {@code mvn clean} and an
   * offline build can run it again.
   */
  private static final Path NESTED_LOCAL_REPOSITORY = cacheDir().resolve("flyway-maven-plugin-it");

  /** The project's cache of built and fetched tools: $DQLITE_K8S_CACHE or ~/.cache/dqlite-k8s. */
  private static Path cacheDir() {
    String configured = System.getenv("DQLITE_K8S_CACHE");
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "dqlite-k8s");
  }

  private static ThreeNodes cluster;
  private static Path work;
  private static Path project;
  private static int runs;

  @BeforeAll
  static void generateProject(ThreeNodes nodes) throws IOException {
    cluster = nodes;
    String version = property("compat.project.version");
    work = Path.of("target", "flyway-maven-plugin-it").toAbsolutePath();
    project = work.resolve("project");
    deleteTree(project);
    deleteTree(work.resolve("repo"));
    Path checkout = Path.of("..").toAbsolutePath().normalize();
    FileRepository repo = new FileRepository(work.resolve("repo"), version);
    repo.publishPom("dqlite-k8s-parent", checkout.resolve("pom.xml"));
    repo.publishJar("dqlite-client", checkout.resolve("client/pom.xml"), DqliteDriver.class);
    repo.publishJar("dqlite-flyway", checkout.resolve("flyway/pom.xml"), DqliteDatabaseType.class);

    Path migrations = project.resolve("src/main/resources/db/migration");
    Files.createDirectories(migrations);
    copyAll(Path.of("target/test-classes/db/compat"), migrations);
    Files.writeString(
        project.resolve("pom.xml"),
        withRepositories(
            examplePom(checkout, version),
            repo.root(),
            Path.of(property("compat.maven.localRepository"))));
  }

  @Test
  void migrateInfoValidateAndAFailingMigrationThroughTheMavenPlugin() throws Exception {
    String first = mvn(0, "flyway:migrate");
    assertThat(first).contains("Successfully applied 4 migrations");
    assertThat(history()).containsExactly("1 ok", "2 ok", "3 ok", "4 ok");
    assertThat(query("SELECT count(*) FROM account")).isEqualTo(2);

    String again = mvn(0, "flyway:migrate", "flyway:info", "flyway:validate");
    assertThat(again)
        .as("the second migrate applies nothing")
        .contains("No migration necessary")
        .doesNotContain("Successfully applied")
        .contains("Successfully validated 4 migrations");
    assertThat(again.lines().filter(l -> l.contains("| Success")).count())
        .as("flyway:info lists the four applied versions")
        .isEqualTo(4);
    assertThat(history()).containsExactly("1 ok", "2 ok", "3 ok", "4 ok");

    copyAll(
        Path.of("target/test-classes/db/failing"),
        project.resolve("src/main/resources/db/migration"));
    String failed = mvn(1, "flyway:migrate");
    assertThat(failed)
        .contains("BUILD FAILURE")
        .contains("Changes successfully rolled back")
        .contains("V5__broken.sql")
        .contains("no such table: no_such_table");
    // V5's table and its row went with its failed transaction; the history has no V5 row.
    assertThat(history()).containsExactly("1 ok", "2 ok", "3 ok", "4 ok");
    assertThat(query("SELECT count(*) FROM sqlite_master WHERE name = 'shipment'")).isZero();
  }

  /** Runs the outer build's Maven on the generated project; returns its output. */
  private static String mvn(int expectedExit, String... goals) throws Exception {
    String mvnHome = property("compat.maven.home");
    List<String> command = new ArrayList<>();
    command.add(Path.of(mvnHome, "bin", "mvn").toString());
    command.addAll(List.of("-B", "-ntp", "-Dstyle.color=never"));
    command.add("-Dmaven.repo.local=" + NESTED_LOCAL_REPOSITORY);
    if (property("compat.maven.offline").equals("offline=true")) {
      // Offline, Maven still reads file:// repositories when told to.
      command.addAll(List.of("-o", "-Daether.offline.protocols=file"));
    }
    command.add("-Dflyway.url=" + cluster.url(DATABASE));
    command.addAll(List.of(goals));
    Path log = work.resolve("mvn-" + ++runs + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    long start = System.nanoTime();
    Process p = builder.start();
    try {
      boolean done = p.waitFor(MVN_DEADLINE_SECONDS, TimeUnit.SECONDS);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(done)
          .as("mvn %s ended within %d s:%n%s", goals, MVN_DEADLINE_SECONDS, out)
          .isTrue();
      LOG.info(
          "mvn {}: exit {} in {} ms (output {})",
          String.join(" ", goals),
          p.exitValue(),
          (System.nanoTime() - start) / 1_000_000,
          log);
      assertThat(p.exitValue())
          .as(
              "exit code of mvn %s (offline, it needs what an online run put in %s):%n%s",
              String.join(" ", goals), NESTED_LOCAL_REPOSITORY, out)
          .isEqualTo(expectedExit);
      return out;
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The pom users copy, examples/flyway/maven/pom.xml, checked to name this build's versions (so
   * that the example cannot drift from what is tested).
   */
  private static String examplePom(Path checkout, String version) throws IOException {
    String pom = Files.readString(checkout.resolve("examples/flyway/maven/pom.xml"));
    assertThat(pom)
        .as("examples/flyway/maven/pom.xml names this build's versions")
        .contains("<version>" + property("compat.flyway.version") + "</version>")
        .contains("<version>" + version + "</version>")
        .contains("<artifactId>dqlite-flyway</artifactId>")
        .contains("<artifactId>dqlite-client</artifactId>");
    return pom;
  }

  /** The test's stand-ins for a published release, before the example's {@code <build>}. */
  private static String withRepositories(String pom, Path repo, Path outerLocal) {
    String repositories =
        "<repositories>"
            + repositories("repository", repo, outerLocal)
            + "</repositories>\n  <pluginRepositories>"
            + repositories("pluginRepository", repo, outerLocal)
            + "</pluginRepositories>\n\n  <build>";
    assertThat(pom.split("<build>", -1)).hasSize(2);
    return pom.replace("<build>", repositories);
  }

  /** Snapshots only from the checkout's repository, releases only from the outer local one. */
  private static String repositories(String element, Path checkout, Path outerLocal) {
    return repository(element, "dqlite-checkout", checkout, false)
        + repository(element, "outer-build", outerLocal, true);
  }

  private static String repository(String element, String id, Path dir, boolean releases) {
    return """
        <%1$s>
          <id>%2$s</id>
          <url>%3$s</url>
          <releases><enabled>%4$s</enabled></releases>
          <snapshots><enabled>%5$s</enabled><updatePolicy>always</updatePolicy></snapshots>
        </%1$s>"""
        .formatted(element, id, dir.toUri(), releases, !releases);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank() || value.startsWith("${")) {
      throw new IllegalStateException(
          "system property " + name + " is not set: run this test through compat's failsafe");
    }
    return value;
  }

  private static void copyAll(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }

  private static List<String> history() throws SQLException {
    return FlywayHistory.of(cluster.url(DATABASE));
  }

  private static int query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(cluster.url(DATABASE));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
