package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.model.NodeRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java Apps and go-dqlite's {@code dqlite-demo} (go-dqlite 1.11.5) in one cluster, in both
 * directions, and the data directory read by either. dqlite-demo adjusts roles with go-dqlite's
 * defaults (3 voters, 3 stand-bys, every 30 s); the Java Apps use the same targets with a 1 s
 * period.
 */
class MixedClusterIT {

  private static final String HOST = "127.0.7.10";
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final Duration FREQUENCY = Duration.ofSeconds(1);

  @TempDir Path tmp;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private DemoNode demo(String name, List<String> join) throws Exception {
    DemoNode node = DemoNode.start(tmp.resolve(name), Loopback.freeAddress(HOST), join);
    cleanup.add(node);
    await("dqlite-demo " + node.dbAddress + " up").atMost(DEADLINE).until(node::isUp);
    return node;
  }

  private App app(String name, List<String> join) throws Exception {
    App app =
        App.builder(tmp.resolve(name))
            .address(Loopback.freeAddress(HOST))
            .cluster(join)
            .rolesAdjustmentFrequency(FREQUENCY)
            .build();
    cleanup.add(app);
    return app;
  }

  private static Map<NodeRole, Long> roles(List<Shell.Member> members) {
    return members.stream()
        .collect(Collectors.groupingBy(Shell.Member::role, Collectors.counting()));
  }

  @Test
  void javaAppsJoinADqliteDemoCluster_rolesConvergeAndShellListsEveryNode() throws Exception {
    DemoNode d1 = demo("d1", List.of());
    DemoNode d2 = demo("d2", List.of(d1.dbAddress));
    DemoNode d3 = demo("d3", List.of(d1.dbAddress));
    App a4 = app("a4", List.of(d1.dbAddress));
    a4.ready(DEADLINE);
    App a5 = app("a5", List.of(d1.dbAddress, d2.dbAddress));
    a5.ready(DEADLINE);

    // 5 nodes with go-dqlite's targets (3 voters, 3 stand-bys): 3 voters and 2 stand-bys.
    await("roles converge")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              List<Shell.Member> members = Shell.cluster(d3.dbAddress);
              assertThat(members)
                  .extracting(Shell.Member::address)
                  .containsExactlyInAnyOrder(
                      d1.dbAddress, d2.dbAddress, d3.dbAddress, a4.address(), a5.address());
              assertThat(roles(members))
                  .isEqualTo(Map.of(NodeRole.VOTER, 3L, NodeRole.STANDBY, 2L));
            });
    assertThat(Shell.cluster(d3.dbAddress))
        .extracting(Shell.Member::id)
        .contains(a4.id(), a5.id(), 0x2dc171858c3155beL);

    // Data written through the demo's API is read through a Java App's JDBC data source.
    put(d2, "greeting", "hello from go");
    assertThat(select(a5, "greeting")).isEqualTo("hello from go");
  }

  @Test
  void dqliteDemoNodesJoinAJavaAppCluster_rolesConvergeAndShellListsEveryNode() throws Exception {
    App a1 = app("a1", List.of());
    a1.ready(DEADLINE);
    App a2 = app("a2", List.of(a1.address()));
    a2.ready(DEADLINE);
    DemoNode d3 = demo("d3", List.of(a1.address()));
    DemoNode d4 = demo("d4", List.of(a1.address(), a2.address()));
    DemoNode d5 = demo("d5", List.of(a2.address()));

    await("roles converge")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              List<Shell.Member> members = Shell.cluster(a1.address());
              assertThat(members)
                  .extracting(Shell.Member::address)
                  .containsExactlyInAnyOrder(
                      a1.address(), a2.address(), d3.dbAddress, d4.dbAddress, d5.dbAddress);
              assertThat(roles(members))
                  .isEqualTo(Map.of(NodeRole.VOTER, 3L, NodeRole.STANDBY, 2L));
            });
    assertThat(Shell.cluster(a1.address()))
        .extracting(Shell.Member::id)
        .contains(a1.id(), a2.id(), 0x2dc171858c3155beL);
    assertThat(a1.id()).isEqualTo(0x2dc171858c3155beL);

    put(d4, "greeting", "hello from java's cluster");
    assertThat(select(a2, "greeting")).isEqualTo("hello from java's cluster");
  }

  @Test
  void aDirectoryWrittenByDqliteDemoOpensInTheAppAndTheOtherWayRound() throws Exception {
    // dqlite-demo bootstraps, stores a value, and stops.
    DemoNode demo = demo("shared", List.of());
    String address = demo.dbAddress;
    Path nodeDir = demo.nodeDir();
    put(demo, "k", "written by go");
    demo.stop();

    // The App opens the demo's node directory with nothing but the directory.
    try (App app = App.builder(nodeDir).build()) {
      assertThat(app.id()).isEqualTo(0x2dc171858c3155beL);
      assertThat(app.address()).isEqualTo(address);
      app.ready(DEADLINE);
      assertThat(Shell.run(address, "demo", "SELECT value FROM model WHERE key = 'k'").stdout())
          .isEqualTo("written by go");
      Shell.Result write =
          Shell.run(
              address, "demo", "INSERT OR REPLACE INTO model VALUES ('k', 'written by java')");
      assertThat(write.ok()).as("%s", write).isTrue();
    }

    // dqlite-demo starts again on the directory the App wrote.
    DemoNode again = DemoNode.start(tmp.resolve("shared"), address, List.of());
    cleanup.add(again);
    await("dqlite-demo up again").atMost(DEADLINE).until(again::isUp);
    assertThat(get(again, "k")).isEqualTo("written by java");
    assertThat(Shell.cluster(address))
        .containsExactly(new Shell.Member(0x2dc171858c3155beL, address, NodeRole.VOTER));
  }

  /** Reads the demo's table through the App's JDBC data source. */
  private static String select(App app, String key) throws Exception {
    DataSource dataSource = app.open("demo");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT value FROM model WHERE key = ?")) {
      select.setString(1, key);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).as("row %s through %s", key, app).isTrue();
        return rows.getString(1);
      }
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static void put(DemoNode node, String key, String value) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + node.apiAddress + "/" + key))
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(value))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.body().strip()).as("PUT %s on %s", key, node.dbAddress).isEqualTo("done");
  }

  private static String get(DemoNode node, String key) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + node.apiAddress + "/" + key))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .strip();
  }
}
