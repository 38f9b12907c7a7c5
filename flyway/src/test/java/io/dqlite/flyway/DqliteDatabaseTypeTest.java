package io.dqlite.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.ServiceLoader;
import org.flywaydb.core.extensibility.Plugin;
import org.flywaydb.core.internal.database.sqlite.SQLiteDatabaseType;
import org.junit.jupiter.api.Test;

class DqliteDatabaseTypeTest {

  private final DqliteDatabaseType type = new DqliteDatabaseType();

  @Test
  void handlesDqliteUrlsOnly() {
    String[][] cases = {
      {"jdbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/app", "true"},
      {"jdbc:dqlite://@dqlite/app", "true"},
      {"jdbc:dqlite:unix:/run/dqlite/app.sock?database=app", "true"},
      {"jdbc:sqlite:/tmp/app.db", "false"},
      {"jdbc:postgresql://db/app", "false"},
      {"jdbc:dqlit://x/app", "false"},
      {"", "false"},
    };
    for (String[] c : cases) {
      assertThat(type.handlesJDBCUrl(c[0])).as(c[0]).isEqualTo(Boolean.parseBoolean(c[1]));
    }
    assertThat(type.handlesJDBCUrl(null)).isFalse();
  }

  @Test
  void namesTheDriverAndTheProduct() {
    assertThat(type.getDriverClass("jdbc:dqlite://@dqlite/app", getClass().getClassLoader()))
        .isEqualTo("io.dqlite.client.jdbc.DqliteDriver");
    assertThat(type.handlesDatabaseProductNameAndVersion("dqlite", "3.40.1", null)).isTrue();
    // What Flyway 13 passes: the name, a space, major.minor.
    assertThat(type.handlesDatabaseProductNameAndVersion("dqlite 3.40", "3.40.1", null)).isTrue();
    assertThat(type.handlesDatabaseProductNameAndVersion("dqlitex 1.0", "1.0", null)).isFalse();
    // Flyway's own SQLite type keeps real SQLite; dqlite's name is not SQLite's.
    assertThat(type.handlesDatabaseProductNameAndVersion("SQLite 3.40", "3.40.1", null)).isFalse();
    assertThat(new SQLiteDatabaseType().handlesJDBCUrl("jdbc:dqlite://@dqlite/app")).isFalse();
    assertThat(type).isInstanceOf(SQLiteDatabaseType.class);
  }

  @Test
  void defaultsBeginImmediateAndWaitLongButTheUrlWins() {
    Properties props = new Properties();
    props.setProperty("busyTimeout", "1234");
    type.setDefaultConnectionProps("jdbc:dqlite://@dqlite/app", props, getClass().getClassLoader());
    assertThat(props.getProperty("transactionMode")).isEqualTo("IMMEDIATE");
    // A value the caller set is kept.
    assertThat(props.getProperty("busyTimeout")).isEqualTo("1234");

    Properties empty = new Properties();
    type.setDefaultConnectionProps("jdbc:dqlite://@dqlite/app", empty, getClass().getClassLoader());
    assertThat(empty.getProperty("busyTimeout")).isEqualTo("600000");
  }

  @Test
  void isRegisteredAsAFlywayPlugin() {
    assertThat(ServiceLoader.load(Plugin.class).stream().map(p -> p.type().getName()))
        .contains(DqliteDatabaseType.class.getName());
  }
}
