package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DqliteUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:dqlite://127.0.0.1:9001/mydb                       | 127.0.0.1:9001                 |"
            + " mydb",
        "jdbc:dqlite://h1:9001,h2:9002,h3:9003/app.db            | h1:9001;h2:9002;h3:9003        |"
            + " app.db",
        "jdbc:dqlite://[::1]:9001/mydb                           | [::1]:9001                     |"
            + " mydb",
        "jdbc:dqlite://[2001:db8::1]:9001,10.0.0.1:1/d           | [2001:db8::1]:9001;10.0.0.1:1  |"
            + " d",
        "jdbc:dqlite://@dqlite/mydb                              | @dqlite                        |"
            + " mydb",
        "jdbc:dqlite://@dqlite,127.0.0.1:9001/mydb               | @dqlite;127.0.0.1:9001         |"
            + " mydb",
        "jdbc:dqlite://node-0.db.ns.svc:9001/my%20db             | node-0.db.ns.svc:9001          |"
            + " my db",
        "jdbc:dqlite://h:9001/db?busyTimeout=0&tracing=debug     | h:9001                         |"
            + " db",
        "jdbc:dqlite://h:9001?database=fromquery                 | h:9001                         |"
            + " fromquery",
        "jdbc:dqlite:unix:/run/dqlite/app.sock?database=mydb     | /run/dqlite/app.sock           |"
            + " mydb",
        "jdbc:dqlite:unix:@dqlite?database=mydb                  | @dqlite                        |"
            + " mydb",
      })
  void parsesValidUrls(String url, String addresses, String database) throws SQLException {
    DqliteUrl parsed = DqliteUrl.parse(url, new Properties());

    assertThat(parsed.addresses()).isEqualTo(List.of(addresses.split(";")));
    assertThat(parsed.database()).isEqualTo(database);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:mysql://h:1/db                        | does not start with jdbc:dqlite:",
        "jdbc:dqlite:h:9001/db                      | expected jdbc:dqlite://",
        "jdbc:dqlite://h/db                         | host:port",
        "jdbc:dqlite://h:0/db                       | port must be a number from 1 to 65535",
        "jdbc:dqlite://h:x/db                       | port must be a number",
        "jdbc:dqlite://h:70000/db                   | from 1 to 65535",
        "jdbc:dqlite://::1:9001/db                  | IPv6 as [address]:port",
        "jdbc:dqlite://[::1]/db                     | [address]:port",
        "jdbc:dqlite://h:1,,h:2/db                  | empty node address",
        "jdbc:dqlite://@/db                         | needs a name after '@'",
        "jdbc:dqlite://h:1/                         | no database name",
        "jdbc:dqlite://h:1                          | no database name",
        "jdbc:dqlite://h:1/a%2Fb                    | must not contain '/'",
        "jdbc:dqlite:unix:/run/app.sock             | ?database=dbname",
        "jdbc:dqlite:unix:relative.sock?database=d  | absolute path or @abstract-name",
        "jdbc:dqlite://h:1/db?leaderTimout=5        | unknown property 'leaderTimout'",
        "jdbc:dqlite://h:1/db?leaderTimeout=soon    | expected a non-negative integer",
        "jdbc:dqlite://h:1/db?busyTimeout=-1        | expected a non-negative integer",
        "jdbc:dqlite://h:1/db?transactionMode=fast  | one of DEFERRED, IMMEDIATE, EXCLUSIVE",
      })
  void rejectsInvalidUrlsSayingWhy(String url, String why) {
    assertThatThrownBy(() -> DqliteUrl.parse(url, new Properties()))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(why)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("HY024");
  }

  @Test
  void urlParametersOverrideGivenPropertiesWhichOverrideDefaults() throws SQLException {
    Properties info = new Properties();
    info.setProperty("busyTimeout", "100");
    info.setProperty("leaderTimeout", "200");
    info.setProperty("user", "ignored"); // pools pass these; unknown keys in Properties are ignored

    DqliteUrl url = DqliteUrl.parse("jdbc:dqlite://h:1/db?busyTimeout=7", info);

    assertThat(DqliteProperty.BUSY_TIMEOUT.getInt(url.properties())).isEqualTo(7);
    assertThat(DqliteProperty.LEADER_TIMEOUT.getInt(url.properties())).isEqualTo(200);
    assertThat(DqliteProperty.REQUEST_TIMEOUT.getInt(url.properties())).isEqualTo(60000);
    assertThat(info.getProperty("busyTimeout")).isEqualTo("100");
  }

  @Test
  void acceptsOnlyDqliteUrls() {
    assertThat(DqliteUrl.accepts("jdbc:dqlite://h:1/db")).isTrue();
    assertThat(DqliteUrl.accepts("jdbc:dqlite:unix:/x?database=d")).isTrue();
    assertThat(DqliteUrl.accepts("jdbc:sqlite:file.db")).isFalse();
    assertThat(DqliteUrl.accepts(null)).isFalse();
  }
}
