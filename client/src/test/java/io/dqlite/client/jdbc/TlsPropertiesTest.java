package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.net.DefaultDialer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls* connection properties choose the dialer; a partial or unusable set is HY024. */
class TlsPropertiesTest {

  @TempDir Path dir;

  private static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void noTlsPropertiesMeanPlainSockets() throws SQLException {
    assertThat(Settings.dialer(props())).isSameAs(DefaultDialer.INSTANCE);
  }

  @Test
  void aPartialSetIsRefused() {
    assertThatThrownBy(() -> Settings.dialer(props("tlsCert", "/a.pem", "tlsKey", "/b.pem")))
        .isInstanceOf(SQLException.class)
        .hasFieldOrPropertyWithValue("SQLState", "HY024")
        .hasMessageContaining("needs all of tlsCert, tlsKey and tlsCa");
    assertThatThrownBy(() -> Settings.dialer(props("tlsServerName", "dqlite")))
        .hasFieldOrPropertyWithValue("SQLState", "HY024");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("client.pem");
    assertThatThrownBy(
            () ->
                Settings.dialer(props("tlsCert", missing.toString(), "tlsKey", "k", "tlsCa", "c")))
        .hasFieldOrPropertyWithValue("SQLState", "HY024")
        .hasMessageContaining(missing + ": no such file");
  }

  @Test
  void theUrlAcceptsFilePathsAsValues() throws SQLException {
    DqliteUrl url =
        DqliteUrl.parse(
            "jdbc:dqlite://127.0.0.1:9001/app?tlsCert=/etc/tls/tls.crt&tlsKey=/etc/tls/tls.key"
                + "&tlsCa=/etc/tls/ca.crt&tlsServerName=dqlite",
            new Properties());
    assertThat(url.properties().getProperty("tlsCa")).isEqualTo("/etc/tls/ca.crt");
    assertThat(url.properties().getProperty("tlsServerName")).isEqualTo("dqlite");
  }
}
