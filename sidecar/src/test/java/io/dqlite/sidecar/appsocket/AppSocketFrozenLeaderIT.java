package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.Rows;
import io.dqlite.client.testing.DqliteDemoCluster;
import io.dqlite.sidecar.metrics.AppSocketMeters;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The app socket when the leader it last used freezes: the process is alive (its port accepts
 * connections) but never answers, as a SIGSTOPped process, a CPU-starved pod or a partition that
 * drops packets. The other two nodes elect a leader; the socket must find it while the old one
 * stays frozen. Before the fix the socket tried the frozen node first with the whole 10 s search
 * budget at every client's leader question, and answered "no leader" as long as it stayed frozen.
 */
class AppSocketFrozenLeaderIT {

  private DqliteDemoCluster cluster;
  private AppSocket socket;
  private long frozenPid = -1;

  @BeforeEach
  void start() throws IOException {
    cluster = DqliteDemoCluster.start(3, "127.0.8.5");
    // The daemon's settings: the App's connector config is the client's defaults (15 s attempt
    // timeout, more than the socket's 10 s search).
    socket =
        AppSocket.start(
            AppSocket.Options.defaults(
                "@dqlite-frozen-it-" + ProcessHandle.current().pid(), ConnectorConfig.defaults()),
            InMemoryNodeStore.of(cluster.addresses().toArray(String[]::new)),
            AppSocketMeters.noop());
  }

  @AfterEach
  void stop() {
    if (frozenPid > 0) {
      signal("CONT", frozenPid);
    }
    if (socket != null) {
      socket.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void findsTheNewLeaderWhileTheLastOneIsFrozen() throws Exception {
    try (ProtocolConnection c = viaSocket()) {
      int db = c.open("frozen");
      c.execSql(db, "CREATE TABLE IF NOT EXISTS f (n INT)", List.of());
      c.execSql(db, "INSERT INTO f VALUES (1)", List.of());
    }
    DqliteDemoCluster.Node old = cluster.leader().orElseThrow();
    List<String> others =
        cluster.addresses().stream().filter(a -> !a.equals(old.address())).toList();

    frozenPid = pidOf(old.address());
    signal("STOP", frozenPid);

    AtomicReference<NodeInfo> next = new AtomicReference<>();
    await("the two other nodes elect a leader")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(DqliteException.class)
        .until(
            () -> {
              try (Client c =
                  Client.findLeader(InMemoryNodeStore.of(others.toArray(String[]::new)), quick())) {
                next.set(c.leader().orElse(null));
                return next.get() != null && !next.get().address().equals(old.address());
              }
            });

    // A client asks the socket who leads, then writes. Each try may take the socket's whole
    // search (10 s); the old code answered "no leader" at every try while the node stayed frozen.
    await("the app socket leads clients to " + next.get().address())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(DqliteException.class)
        .untilAsserted(
            () -> {
              try (ProtocolConnection c = viaSocket()) {
                assertThat(c.leader().orElseThrow().id()).isEqualTo(next.get().id());
                int db = c.open("frozen");
                c.execSql(db, "INSERT INTO f VALUES (2)", List.of());
                try (Rows r = c.querySql(db, "SELECT n FROM f ORDER BY n", List.of())) {
                  assertThat(r.readAll()).containsExactly(List.of(1L), List.of(2L));
                }
              }
            });
  }

  /** A client whose only server is the socket; it waits up to 20 s for the socket's answer. */
  private ProtocolConnection viaSocket() throws DqliteException {
    return new LeaderConnector(
            InMemoryNodeStore.of(socket.address()),
            ConnectorConfig.builder()
                .attemptTimeout(Duration.ofSeconds(20))
                .connectTimeout(Duration.ofSeconds(20))
                .requestTimeout(Duration.ofSeconds(20))
                .build())
        .connect();
  }

  private static ConnectorConfig quick() {
    return ConnectorConfig.builder()
        .dialTimeout(Duration.ofSeconds(1))
        .attemptTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(5))
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** The dqlite-demo process serving {@code address} (a child of this JVM). */
  private static long pidOf(String address) {
    return ProcessHandle.current()
        .descendants()
        .filter(
            p ->
                p.info().arguments().map(a -> List.of(a).contains(address)).orElse(false)
                    && p.info().command().map(c -> c.endsWith("dqlite-demo")).orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no dqlite-demo process serving " + address))
        .pid();
  }

  private static void signal(String name, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new AssertionError("kill -" + name + " " + pid + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
