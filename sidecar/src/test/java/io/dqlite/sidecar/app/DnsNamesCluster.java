package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The child JVM of {@link DnsNamesIT}: three Apps on plain TCP whose addresses are DNS names,
 * resolved through the hosts file the parent passes as {@code -Djdk.net.hosts.file}. Prints {@link
 * #OK} and exits 0 when every check passed; prints the failure and exits 1 otherwise.
 */
final class DnsNamesCluster {

  static final String OK = "DNS-NAMES-CLUSTER-OK";

  /** Node names and the loopback IPs the hosts file maps them to. */
  static final List<String> NAMES = List.of("n1.dqlite.test", "n2.dqlite.test", "n3.dqlite.test");

  static final List<String> IPS = List.of("127.0.12.1", "127.0.12.2", "127.0.12.3");

  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private DnsNamesCluster() {}

  /** The hosts file that makes {@link #NAMES} resolve to {@link #IPS}. */
  static String hostsFile() {
    StringBuilder sb = new StringBuilder("127.0.0.1 localhost\n");
    for (int i = 0; i < NAMES.size(); i++) {
      sb.append(IPS.get(i)).append(' ').append(NAMES.get(i)).append('\n');
    }
    return sb.toString();
  }

  public static void main(String[] args) {
    List<App> apps = new ArrayList<>();
    int status = 1;
    try {
      run(Path.of(args[0]), apps);
      System.out.println(OK);
      status = 0;
    } catch (Throwable e) {
      e.printStackTrace(System.out);
    } finally {
      for (int i = apps.size() - 1; i >= 0; i--) {
        apps.get(i).close();
      }
    }
    System.out.flush();
    System.exit(status);
  }

  private static void run(Path dir, List<App> apps) throws Exception {
    for (int i = 0; i < NAMES.size(); i++) {
      assertThat(InetAddress.getByName(NAMES.get(i)).getHostAddress())
          .as("the hosts file is in effect (-Djdk.net.hosts.file)")
          .isEqualTo(IPS.get(i));
    }
    for (int i = 0; i < NAMES.size(); i++) {
      int port = Loopback.freePort(IPS.get(i));
      String address = NAMES.get(i) + ":" + port;
      App app =
          App.builder(dir.resolve("n" + (i + 1)))
              .address(address)
              .cluster(apps.stream().map(App::address).toList())
              .rolesAdjustmentFrequency(Duration.ofSeconds(1))
              .build();
      apps.add(app);
      app.ready(DEADLINE);
      // The name is the node's identity; libdqlite listens on the IP it resolved to.
      assertThat(app.address()).isEqualTo(address);
      assertThat(app.nodeBindAddress()).isEqualTo(IPS.get(i) + ":" + port);
      System.out.println("started " + address + ", listening on " + app.nodeBindAddress());
    }
    List<String> addresses = apps.stream().map(App::address).toList();
    await("3 voters known by their names")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              try (Client leader = apps.get(0).leader()) {
                assertThat(leader.address()).isIn(addresses);
                assertThat(leader.cluster())
                    .allSatisfy(n -> assertThat(n.role()).isEqualTo(NodeRole.VOTER))
                    .extracting(NodeInfo::address)
                    .containsExactlyInAnyOrderElementsOf(addresses);
              }
            });
    System.out.println("3 voters: " + addresses);

    // JDBC through the App, and through a plain URL that names a node by DNS name.
    DataSource ds = apps.get(2).open("dns");
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v TEXT)");
      s.executeUpdate("INSERT INTO t VALUES ('by name')");
    }
    App first = leader(apps);
    first.handover(Duration.ofSeconds(60));
    App second = leader(apps);
    assertThat(second).isNotSameAs(first);
    // The new leader has the row: raft replicated it between nodes dialled by name.
    DqliteDataSource byUrl = new DqliteDataSource("jdbc:dqlite://" + first.address() + "/dns");
    try (Connection c = byUrl.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM t")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("by name");
    }
    System.out.println("leadership moved from " + first.address() + " to " + second.address());
  }

  private static App leader(List<App> apps) throws Exception {
    try (Client leader = apps.get(0).leader()) {
      return apps.stream()
          .filter(a -> a.address().equals(leader.address()))
          .findFirst()
          .orElseThrow();
    }
  }
}
