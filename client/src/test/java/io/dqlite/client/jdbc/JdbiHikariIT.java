package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JDBI over a HikariCP pool of dqlite connections: the driver as real consumers use it. */
class JdbiHikariIT {

  public record Person(long id, String name, Instant born, boolean active) {}

  private static DqliteDemoCluster cluster;
  private static HikariDataSource pool;

  @BeforeAll
  static void start() {
    cluster = DqliteDemoCluster.start(1, "127.0.2.3");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(cluster.jdbcUrl("jdbi"));
    config.setMaximumPoolSize(4);
    config.setPoolName("dqlite-it");
    pool = new HikariDataSource(config);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void jdbiMapsRowsBindsArgumentsAndRunsTransactions() {
    Jdbi jdbi = Jdbi.create(pool);
    jdbi.useHandle(
        h ->
            h.execute(
                "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    + " born DATETIME, active BOOLEAN)"));

    long id =
        jdbi.withHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO person (name, born, active) VALUES (:name, :born, :active)")
                    .bind("name", "Ada")
                    .bind("born", Instant.parse("1815-12-10T00:00:00Z"))
                    .bind("active", true)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one());
    assertThat(id).isEqualTo(1);

    jdbi.useTransaction(
        h -> {
          h.execute("INSERT INTO person (name, active) VALUES (?, ?)", "Grace", false);
          h.execute("INSERT INTO person (name, active) VALUES (?, ?)", "Linus", true);
        });
    assertThatThrownBy(
            () ->
                jdbi.useTransaction(
                    h -> {
                      h.execute("INSERT INTO person (name) VALUES ('rolled back')");
                      h.execute("INSERT INTO person (name) VALUES (NULL)");
                    }))
        .cause()
        .isInstanceOf(java.sql.SQLIntegrityConstraintViolationException.class);

    List<Person> people =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT id, name, born, active FROM person ORDER BY id")
                    .map(
                        (rs, ctx) ->
                            new Person(
                                rs.getLong("id"),
                                rs.getString("name"),
                                rs.getObject("born", Instant.class),
                                rs.getBoolean("active")))
                    .list());
    assertThat(people)
        .containsExactly(
            new Person(1, "Ada", Instant.parse("1815-12-10T00:00:00Z"), true),
            new Person(2, "Grace", null, false),
            new Person(3, "Linus", null, true));

    Optional<String> name =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT name FROM person WHERE id = :id")
                    .bind("id", 2)
                    .mapTo(String.class)
                    .findOne());
    assertThat(name).contains("Grace");
  }

  @Test
  void helperRetriesThroughThePool() throws Exception {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE pooled (v INTEGER)");
    }
    int inserted =
        DqliteTransactions.inTransaction(
            pool,
            c -> {
              try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO pooled VALUES (1), (2)");
              }
            });
    assertThat(inserted).isEqualTo(2);
  }

  @Test
  void queryTimeoutDropsTheConnectionAndTheNextStatementWorks() throws Exception {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      // Millions of steps inside one batch: the node answers only when done, long after 1 s.
      assertThatThrownBy(
              () ->
                  s.executeQuery(
                      "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
                          + " WHERE x < 20000000) SELECT count(*) FROM n"))
          .isInstanceOf(SQLTimeoutException.class)
          .extracting(e -> ((SQLTimeoutException) e).getSQLState())
          .isEqualTo("57014");
    }
    // dqlite cannot interrupt a running statement: the node's single event loop stays busy with
    // the abandoned query until it ends (seconds, more on a loaded machine), so the next
    // statement is awaited, on a fresh connection from the pool.
    await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              try (Connection c = pool.getConnection();
                  Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
              }
            });
  }
}
