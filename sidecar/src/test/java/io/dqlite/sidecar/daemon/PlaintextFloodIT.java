package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.sidecar.daemon.SidecarCluster.ProcStats;
import io.dqlite.sidecar.proxy.HostileBytes;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Without TLS no Java proxy stands in front of raft: libdqlite 1.11.1 itself listens on the raft
 * port. This measures what its listener does under the same hostile connections as {@link
 * ProxyFloodIT}: a 5,000-connection flood (threads, memory and descriptors of the node, raft still
 * serving), and hostile openings, on which libdqlite 1.11.1 aborts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaintextFloodIT {

  private static final String[] HOSTS = {"127.0.14.2", "127.0.14.3", "127.0.14.4"};
  private static final String SOURCE = "127.0.14.100";
  private static final int FLOOD = Integer.getInteger("dqlite.flood.connections", 5_000);

  private SidecarCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = SidecarCluster.start("plain", HOSTS, List.of());
    cluster.execute("flood", "CREATE TABLE IF NOT EXISTS writes (n INTEGER, phase TEXT)");
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void libdqliteHoldsAFloodOnOneThreadAndKeepsServing() throws Exception {
    SidecarProcess leader = cluster.leader();
    String leaderBefore = leader.address();
    SidecarCluster.Peaks peaks = new SidecarCluster.Peaks(leader);
    ProcStats before = peaks.before();
    try (Flood flood = new Flood(SOURCE, target(leader), 17)) {
      flood.open(FLOOD, 250, peaks);
      long t0 = System.nanoTime();
      try (Connection c = SidecarCluster.jdbc(cluster.follower(), "flood");
          Statement st = c.createStatement()) {
        assertThat(st.executeUpdate("INSERT INTO writes VALUES (1, 'during flood')")).isEqualTo(1);
      }
      long writeMs = (System.nanoTime() - t0) / 1_000_000;
      peaks.run();
      System.out.printf(
          "plaintext flood of %d (%d held, %d connects failed, first: %s) on %s: %s;"
              + " write during flood %d ms%n",
          FLOOD,
          flood.held(),
          flood.connectFailures(),
          flood.firstFailure(),
          leader,
          peaks,
          writeMs);
      assertThat(peaks.maxThreads())
          .as("libdqlite serves every connection on its loop thread")
          .isLessThanOrEqualTo(before.threads() + 16);
      assertThat(cluster.leaderAddress()).isEqualTo(leaderBefore);
    }
    await("descriptors of " + leader + " back near " + before.fds())
        .atMost(Duration.ofSeconds(30))
        .until(() -> ProcStats.of(leader).fds() <= before.fds() + 16);
  }

  /**
   * Mutated dqlite openings and random bytes, each followed by the end of the stream. Off by
   * default: libdqlite 1.11.1 aborts on such input within the first cases (see {@link
   * #libdqliteAbortsOnARequestWithAnEmptyBody}); {@code -Ddqlite.fuzz.plaintext=true} runs it to
   * look for more (a run has also ended in a SIGSEGV in {@code free} on the loop thread).
   */
  @Test
  void fuzzedDqliteOpeningsOnlyGetAClose() throws Exception {
    Assumptions.assumeTrue(
        Boolean.getBoolean("dqlite.fuzz.plaintext"),
        "libdqlite 1.11.1 aborts on hostile plaintext input; -Ddqlite.fuzz.plaintext=true runs it");
    SidecarProcess leader = cluster.leader();
    String leaderBefore = leader.address();
    ProcStats before = ProcStats.of(leader);
    long seed = Long.getLong("dqlite.fuzz.seed", System.nanoTime());
    long seconds = Long.getLong("dqlite.fuzz.seconds", 4);
    Random random = new Random(seed);
    byte[] opening = HostileBytes.dqliteOpening();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    int cases = 0;
    byte[] previous = new byte[0];
    while (System.nanoTime() < end) {
      byte[] bytes = HostileBytes.next(random, opening);
      HostileClient.Outcome outcome;
      try {
        outcome = HostileClient.send(SOURCE, target(leader), bytes, Duration.ofSeconds(10));
      } catch (ConnectException e) {
        throw new AssertionError(
            String.format(
                "%s is gone after case %d of seed %d: %s%n%s",
                leader, cases - 1, seed, HexFormat.of().formatHex(previous), leader.logTail(5)),
            e);
      }
      previous = bytes;
      assertThat(leader.isAlive())
          .as(
              "%s survives case %d of seed %d: %s\n%s",
              leader, cases, seed, HexFormat.of().formatHex(bytes), leader.logTail(5))
          .isTrue();
      assertThat(outcome.ending())
          .as("case %d of seed %d (%d bytes): %s", cases, seed, bytes.length, outcome)
          .isEqualTo(HostileClient.Ending.CLOSED);
      cases++;
    }
    ProcStats after = ProcStats.of(leader);
    System.out.printf(
        "plaintext fuzz seed %d: %d cases in %d s; leader threads %d -> %d, RSS %d"
            + " -> %d KiB%n",
        seed, cases, seconds, before.threads(), after.threads(), before.rssKiB(), after.rssKiB());
    assertThat(cluster.leaderAddress()).isEqualTo(leaderBefore);
    assertThat(after.rssKiB()).as("resident KiB").isLessThan(before.rssKiB() + 64 * 1024);
  }

  /**
   * A known hazard of plain TCP, pinned so that it is noticed when libdqlite changes: 17 bytes from
   * anyone who reaches the raft port abort the node. After the protocol version, a request header
   * announcing an empty body makes libdqlite 1.11.1 start a zero-length read, and the next byte
   * trips {@code alloc_cb: Assertion `t->read.len > 0' failed} (src/lib/transport.c). go-dqlite's
   * dqlite-demo aborts the same way. With TLS the sidecar's proxy admits only peers with a
   * certificate of the cluster's authority, and the app socket refuses empty bodies itself. On
   * libdqlite 1.18.1 ({@code -Ddqlite.it.engine=trixie}) the node lives, which this checks instead.
   */
  @Test
  void libdqliteAbortsOnARequestWithAnEmptyBody() throws Exception {
    Path base = Files.createTempDirectory(cluster.base(), "single-");
    try (SidecarProcess node =
        new SidecarProcess(
            "127.0.14.9",
            base,
            "@dqlite-plain-single-" + ProcessHandle.current().pid(),
            List.of())) {
      node.start(List.of());
      await("a single ready node")
          .atMost(Duration.ofSeconds(60))
          .until(() -> node.get("/readyz").status() == 200);
      ByteBuffer bytes = ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN);
      bytes.putLong(1); // protocol version 1
      bytes.putInt(0).put((byte) 0).put((byte) 0).putShort((short) 0); // LEADER, 0 words
      bytes.put((byte) 'x'); // any next byte
      HostileClient.send(SOURCE, target(node), bytes.array(), Duration.ofSeconds(5));
      if (node.engine() == Engine.TRIXIE) {
        // libdqlite 1.18.1 leaves that connection unanswered and goes on (docs/protocol.md).
        try (TcpWire w = TcpWire.client(node.address(), Duration.ofSeconds(5))) {
          w.send(TcpWire.LEADER, TcpWire.words(0));
          assertThat(w.receive().type()).as("NODE").isEqualTo(1);
        }
        assertThat(node.isAlive()).as("1.18.1 lives\n" + node.logTail(10)).isTrue();
        return;
      }
      await("libdqlite 1.11.1 aborts the node")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !node.isAlive());
      assertThat(node.logText()).contains("Assertion `t->read.len > 0' failed");
    }
  }

  private static InetSocketAddress target(SidecarProcess s) {
    String[] hostPort = s.address().split(":");
    return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
  }
}
