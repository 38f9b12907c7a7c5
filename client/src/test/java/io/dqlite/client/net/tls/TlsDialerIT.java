package io.dqlite.client.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.Client;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.model.DqliteConnectionException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS dialer against a real dqlite node behind a TLS server that requires client certificates
 * (the JDK's TLS stack, go-dqlite's SimpleListenTLSConfig: mutual, one authority): the admin client
 * and JDBC work through it; a wrong server name, an unknown authority and a missing client
 * certificate each fail the handshake with a message that says so.
 */
class TlsDialerIT {

  @TempDir static Path dir;

  private static DqliteDemoCluster cluster;
  private static TlsTerminator tls;
  private static TestPki.Issued ca;
  private static Path cert;
  private static Path key;
  private static Path caFile;

  @BeforeAll
  static void start() throws Exception {
    cluster = DqliteDemoCluster.start(1, "127.0.2.43");
    ca = TestPki.authority("test-ca");
    // go-dqlite's set-up: nodes and clients share one name; clients expect it from servers.
    TestPki.Issued node = ca.issue("node", "EC", "dqlite");
    TestPki.Issued client = ca.issue("client", "RSA", "dqlite");
    cert = client.writeCertificate(dir.resolve("client.pem"));
    key = client.writeTraditionalKey(dir.resolve("client-key.pem"));
    caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    tls = new TlsTerminator("127.0.2.44", node, ca, cluster.node(0).address());
  }

  @AfterAll
  static void stop() throws Exception {
    if (tls != null) {
      tls.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Client admin(Dialer dialer) throws Exception {
    return Client.connect(
        tls.address(), cluster.connectorConfig().toBuilder().dialer(dialer).build());
  }

  @Test
  void theAdminClientTalksToANodeOverMutualTls() throws Exception {
    TlsDialer dialer = TlsDialer.fromPemFiles(cert, key, caFile, null);
    assertThat(dialer.serverName()).isEqualTo("dqlite");
    try (Client client = admin(dialer)) {
      assertThat(client.cluster())
          .extracting(NodeInfo::address)
          .containsExactly(cluster.node(0).address());
      assertThat(client.leader())
          .get()
          .extracting(NodeInfo::address)
          .isEqualTo(cluster.node(0).address());
    }
  }

  @Test
  void jdbcRunsSqlOverMutualTls() throws Exception {
    TlsDialer tlsDialer = TlsDialer.fromPemFiles(cert, key, caFile, "dqlite");
    String node = cluster.node(0).address();
    // The node is known by its own address; the dialer reaches it through its TLS front.
    Dialer dialer =
        (address, timeout) -> {
          assertThat(address).isEqualTo(node);
          return tlsDialer.dial(tls.address(), timeout);
        };
    DqliteDataSource ds = new DqliteDataSource(InMemoryNodeStore.of(node), dialer, "tls-it");
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v TEXT)");
      s.executeUpdate("INSERT INTO t VALUES ('over tls')");
      try (ResultSet rs = s.executeQuery("SELECT v FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("over tls");
      }
    }
  }

  @Test
  void theJdbcUrlPropertiesDialTls() throws Exception {
    String tlsProps = "?tlsCert=" + cert + "&tlsKey=" + key + "&tlsCa=" + caFile;
    String base = "jdbc:dqlite://" + tls.address() + "/tls-url-it";
    // Through the TLS front the node answers, naming itself: the search then dials that plain
    // address with TLS, which a plain node cannot speak. The answer proves TLS was used. 5 s:
    // the search gives a dial what is left of its deadline, and a TLS handshake on a loaded
    // 2-core machine took longer than the rest of 1.5 s (CI).
    assertThatThrownBy(
            () -> DriverManager.getConnection(base + tlsProps + "&leaderTimeout=5000").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("reports leader " + cluster.node(0).address());
    // Without the properties the front gets plain bytes and the node never answers.
    assertThatThrownBy(() -> DriverManager.getConnection(base + "?leaderTimeout=1500").close())
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("reports leader"));
  }

  @Test
  void aServerWithoutTheExpectedNameIsRefused() throws Exception {
    try (Client client = admin(TlsDialer.fromPemFiles(cert, key, caFile, "db-0.other"))) {
      throw new AssertionError("connected to " + client.address());
    } catch (DqliteConnectionException e) {
      assertThat(e.getMessage())
          .contains("TLS handshake failed")
          .contains("does not name db-0.other");
    }
  }

  @Test
  void aServerFromAnotherAuthorityIsRefused() throws Exception {
    Path otherCa = TestPki.authority("other-ca").writeCertificate(dir.resolve("another.pem"));
    assertThatThrownBy(() -> admin(TlsDialer.fromPemFiles(cert, key, otherCa, null)).close())
        .isInstanceOf(DqliteConnectionException.class)
        .hasMessageContaining("TLS handshake failed");
  }

  @Test
  void aClientWithoutACertificateIsRefusedByTheServer() throws Exception {
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(roots);
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, tmf.getTrustManagers(), null);
    // TLS 1.3 reports the server's refusal at the first read, not in the handshake.
    assertThatThrownBy(
            () -> {
              try (Client client = admin(new TlsDialer(anonymous, "dqlite"))) {
                client.cluster();
              }
            })
        .isInstanceOf(DqliteConnectionException.class);
  }

  @Test
  void aDialerRefusesUnixSockets() throws Exception {
    TlsDialer dialer = TlsDialer.fromPemFiles(cert, key, caFile, null);
    assertThatThrownBy(() -> dialer.dial("@dqlite", java.time.Duration.ofSeconds(1)))
        .hasMessageContaining("TLS needs a TCP host:port address");
  }
}
