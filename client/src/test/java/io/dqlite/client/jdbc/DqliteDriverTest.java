package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DqliteDriverTest {

  @Test
  void isRegisteredThroughTheServiceLoaderAndDriverManager() throws SQLException {
    assertThat(ServiceLoader.load(Driver.class).stream().map(p -> p.type().getName()))
        .contains(DqliteDriver.class.getName());
    assertThat(DriverManager.getDriver("jdbc:dqlite://127.0.0.1:1/db"))
        .isInstanceOf(DqliteDriver.class);
    assertThat(
            Collections.list(DriverManager.getDrivers()).stream()
                .filter(d -> d instanceof DqliteDriver))
        .hasSize(1);
  }

  @Test
  void ignoresOtherUrlsAndRejectsMalformedOnes() throws SQLException {
    DqliteDriver driver = new DqliteDriver();

    assertThat(driver.connect("jdbc:postgresql://h/db", new Properties())).isNull();
    assertThatThrownBy(() -> driver.connect("jdbc:dqlite://h/db", new Properties()))
        .hasMessageContaining("host:port");
  }

  @Test
  void reportsEveryPropertyWithTheValuesGiven() throws SQLException {
    Properties info = new Properties();
    info.setProperty("busyTimeout", "250");

    DriverPropertyInfo[] infos =
        new DqliteDriver().getPropertyInfo("jdbc:dqlite://h:1/db?tracing=INFO", info);

    assertThat(Arrays.stream(infos).map(i -> i.name))
        .containsExactlyElementsOf(
            Arrays.stream(DqliteProperty.values()).map(DqliteProperty::key).toList());
    assertThat(value(infos, "busyTimeout")).isEqualTo("250");
    assertThat(value(infos, "tracing")).isEqualTo("INFO");
    assertThat(value(infos, "database")).isEqualTo("db");
    assertThat(value(infos, "leaderTimeout")).isEqualTo("30000");
  }

  @Test
  void failsWithUnableToConnectWhenNoNodeListens() {
    // Port 1 on a loopback address of this engineer's range: nothing listens there.
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                    "jdbc:dqlite://127.0.2.250:1/db?leaderTimeout=300&connectTimeout=100"))
        .isInstanceOf(java.sql.SQLTransientConnectionException.class)
        .hasMessageContaining("127.0.2.250:1")
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("08001");
  }

  private static String value(DriverPropertyInfo[] infos, String name) {
    return Arrays.stream(infos).filter(i -> i.name.equals(name)).findFirst().orElseThrow().value;
  }
}
