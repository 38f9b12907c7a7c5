package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.testing.DqliteDemoCluster;
import io.dqlite.sidecar.metrics.AppSocketMeters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fresh app socket (no client has used it, so it knows no last leader) whose node store lists
 * first a member that accepts connections and never answers, as a voter whose pod restarts in a
 * rolling update. With the socket's own node named ({@code localNode}), the first client is led to
 * the leader through that node without waiting on the silent member; without it, the search spends
 * the silent member's whole attempt timeout (2 s) first. Real go-dqlite nodes (dqlite-demo).
 */
class AppSocketLocalNodeIT {

  private static final String HOST = "127.0.8.9";

  private DqliteDemoCluster cluster;
  private ServerSocket silent;
  private final List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<AppSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    cluster = DqliteDemoCluster.start(3, HOST);
    silent = new ServerSocket();
    silent.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
    Thread accept =
        new Thread(
            () -> {
              while (!silent.isClosed()) {
                try {
                  held.add(silent.accept()); // accepted, never answered
                } catch (IOException e) {
                  return;
                }
              }
            },
            "silent-member");
    accept.setDaemon(true);
    accept.start();
  }

  @AfterEach
  void stop() throws IOException {
    sockets.forEach(AppSocket::close);
    silent.close();
    for (Socket s : held) {
      s.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theFirstClientIsLedThroughTheLocalNode_notThroughASilentMember() throws Exception {
    String follower =
        cluster.addresses().stream()
            .filter(a -> !a.equals(cluster.leader().orElseThrow().address()))
            .findFirst()
            .orElseThrow();
    long withLocal = firstWrite(socket("local", follower));
    int dialledWithLocal = held.size();
    long without = firstWrite(socket("search", null));
    System.out.printf(
        "APP-SOCKET first write: %d ms through the local node, %d ms searching the store%n",
        withLocal, without);
    assertThat(dialledWithLocal)
        .as("connections to the silent member with the local node")
        .isZero();
    assertThat(held).as("connections to the silent member when searching").isNotEmpty();
    assertThat(without)
        .as("ms to the first write searching the store (the silent member first)")
        .isGreaterThanOrEqualTo(2_000);
  }

  private AppSocket socket(String name, String localNode) throws IOException {
    List<String> store = new ArrayList<>();
    store.add(HOST + ":" + silent.getLocalPort());
    store.addAll(cluster.addresses());
    AppSocket.Options options =
        AppSocket.Options.defaults(
                "@dqlite-local-it-" + name + "-" + ProcessHandle.current().pid(),
                ConnectorConfig.defaults())
            .withLocalNode(localNode);
    AppSocket s =
        AppSocket.start(
            options, InMemoryNodeStore.of(store.toArray(String[]::new)), AppSocketMeters.noop());
    sockets.add(s);
    return s;
  }

  /** Milliseconds from a client's first connection to its first acknowledged write. */
  private static long firstWrite(AppSocket socket) throws Exception {
    long start = System.nanoTime();
    try (ProtocolConnection c =
        new LeaderConnector(
                InMemoryNodeStore.of(socket.address()),
                ConnectorConfig.builder()
                    .attemptTimeout(Duration.ofSeconds(20))
                    .connectTimeout(Duration.ofSeconds(20))
                    .requestTimeout(Duration.ofSeconds(20))
                    .build())
            .connect()) {
      int db = c.open("local");
      c.execSql(db, "CREATE TABLE IF NOT EXISTS l (n INT)", List.of());
      c.execSql(db, "INSERT INTO l VALUES (1)", List.of());
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
