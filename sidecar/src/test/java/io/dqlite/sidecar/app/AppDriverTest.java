package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AppDriverTest {

  @Test
  void urlsGiveTheDatabaseAndProperties_theUrlWinsOverInfo() throws SQLException {
    Properties info = new Properties();
    info.setProperty("busyTimeout", "1000");
    info.setProperty("groupCommit", "TRUE");
    record Case(String url, Properties info, String database, Map<String, String> props) {}
    for (Case c :
        new Case[] {
          new Case("jdbc:dqlite-app:db", null, "db", Map.of()),
          new Case("jdbc:dqlite-app:db?", null, "db", Map.of()),
          new Case("jdbc:dqlite-app:my%20db", null, "my%20db", Map.of()),
          new Case(
              "jdbc:dqlite-app:db?busyTimeout=5000&tracing=a%3Db",
              info, "db", Map.of("busyTimeout", "5000", "groupCommit", "TRUE", "tracing", "a=b")),
        }) {
      AppDriver.Target t = AppDriver.parse(c.url(), c.info());
      assertThat(t.database()).as(c.url()).isEqualTo(c.database());
      assertThat(t.properties()).as(c.url()).isEqualTo(c.props());
    }
  }

  @Test
  void badUrlsSayWhatIsExpected() {
    for (String url :
        new String[] {
          "jdbc:dqlite-app:",
          "jdbc:dqlite-app:?x=1",
          "jdbc:dqlite-app:a/b",
          "jdbc:dqlite-app:db?novalue"
        }) {
      assertThatThrownBy(() -> AppDriver.parse(url, null))
          .as(url)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining(url);
    }
    AppDriver driver = new AppDriver(null, null);
    assertThat(driver.acceptsURL("jdbc:dqlite://a:1/db")).isFalse();
    assertThat(driver.acceptsURL(null)).isFalse();
  }
}
