package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.sidecar.daemon.SidecarCluster.ProcStats;
import io.dqlite.sidecar.metrics.PrometheusText;
import io.dqlite.sidecar.proxy.HostileBytes;
import io.dqlite.sidecar.proxy.ProxyLimits;
import io.dqlite.sidecar.tls.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three TLS sidecar processes, whose raft port is the sidecar's TLS proxy, under hostile
 * connections from a source address of their own (as another pod would be): a 5,000-connection
 * flood, a slowloris handshake, fuzzed bytes. The proxy must keep its threads bounded, cut
 * handshakes at their deadline and keep raft serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyFloodIT {

  private static final String[] HOSTS = {"127.0.11.2", "127.0.11.3", "127.0.11.4"};

  /** The attacker: a source address of its own, as another pod has. */
  static final String FLOOD_SOURCE = "127.0.11.100";

  private static final int FLOOD = Integer.getInteger("dqlite.flood.connections", 5_000);
  private static final int BATCH = 250;

  private SidecarCluster cluster;
  private Path certs;

  @BeforeAll
  void startCluster() throws Exception {
    // Absolute: a sidecar in the trixie root (-Ddqlite.it.engine=trixie) runs in another directory.
    certs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "proxy-flood-certs-");
    TestCertificates.Authority ca = TestCertificates.authority("dqlite-flood-ca");
    TestCertificates.PemPaths pem =
        ca.node("dqlite")
            .dns("dqlite")
            .issue()
            .write(certs, "node", TestCertificates.KeyFormat.PKCS8);
    cluster =
        SidecarCluster.start(
            "flood",
            HOSTS,
            List.of(
                "--tls-cert", pem.certificate().toString(),
                "--tls-key", pem.key().toString(),
                "--tls-ca", pem.authorities().toString()));
    cluster.execute("flood", "CREATE TABLE IF NOT EXISTS writes (n INTEGER, phase TEXT)");
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (certs != null) {
      try (Stream<Path> files = Files.walk(certs)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void aFloodOfConnectionsKeepsThreadsBoundedAndRaftServing() throws Exception {
    SidecarProcess leader = cluster.leader();
    String leaderBefore = leader.address();
    SidecarCluster.Peaks peaks = new SidecarCluster.Peaks(leader);
    ProcStats before = peaks.before();
    long linesBefore = listenerLines(leader);
    long summariesBefore = summaries(leader);
    InetSocketAddress target = target(leader);
    long started = System.nanoTime();
    try (Flood flood = new Flood(FLOOD_SOURCE, target, 13)) {
      flood.open(FLOOD, BATCH, peaks);
      long openMs = (System.nanoTime() - started) / 1_000_000;
      // While the flood is held: a write through a follower's app socket reaches the leader over
      // a fresh TLS connection, so it needs a handshake on the flooded proxy.
      long t0 = System.nanoTime();
      try (Connection c = SidecarCluster.jdbc(cluster.follower(), "flood");
          Statement st = c.createStatement()) {
        assertThat(st.executeUpdate("INSERT INTO writes VALUES (1, 'during flood')")).isEqualTo(1);
      }
      long writeMs = (System.nanoTime() - t0) / 1_000_000;
      peaks.run();
      System.out.printf(
          "flood of %d (%d held, %d connects failed, first: %s) in %d ms on %s: %s;"
              + " write during flood %d ms%n",
          FLOOD,
          flood.held(),
          flood.connectFailures(),
          flood.firstFailure(),
          openMs,
          leader,
          peaks,
          writeMs);
      assertThat(peaks.maxThreads())
          .as(
              "threads of %s under a flood of %d connections (before: %d)",
              leader, FLOOD, before.threads())
          .isLessThanOrEqualTo(before.threads() + ProxyLimits.MAX_HANDSHAKES + 8);
      assertThat(cluster.leaderAddress()).as("leader after the flood").isEqualTo(leaderBefore);
      for (SidecarProcess s : cluster.sidecars()) {
        assertThat(s.isAlive()).as(s + " alive").isTrue();
      }
      // Refusals are counted: most of the flood was over the per-source handshake limit.
      PrometheusText metrics = PrometheusText.parse(leader.get("/metrics").body());
      assertThat(
              metrics.value(
                  "dqlite_proxy_connections_refused_total",
                  Map.of("reason", "handshakes_per_source")))
          .hasValueSatisfying(v -> assertThat(v).isGreaterThan(FLOOD / 2.0));
    }
    // Everything closed: the leader's descriptors come back (raft's own stay).
    await("descriptors of " + leader + " back near " + before.fds())
        .atMost(Duration.ofSeconds(30))
        .until(() -> ProcStats.of(leader).fds() <= before.fds() + 16);
    // Logged per episode, not per connection: the first drop, then the counts once it is quiet.
    await("the episode's summary in the log of " + leader)
        .atMost(EPISODE_QUIET.plusSeconds(30))
        .until(() -> summaries(leader) > summariesBefore);
    assertThat(listenerLines(leader) - linesBefore)
        .as("log lines about %d hostile connections", FLOOD)
        .isBetween(1L, 4L);
    try (Connection c = SidecarCluster.jdbc(cluster.follower(), "flood");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM writes WHERE phase = 'during flood'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aSlowlorisHandshakeIsCutAtTheDeadline() throws Exception {
    SidecarProcess leader = cluster.leader();
    byte[] hello = HostileBytes.clientHello();
    Duration deadline = ProxyLimits.HANDSHAKE_DEADLINE;
    // One byte every 250 ms: a read timeout shorter than the deadline would never fire.
    HostileClient.Outcome outcome =
        HostileClient.trickle(
            "127.0.11.101",
            target(leader),
            hello,
            Duration.ofMillis(250),
            deadline.multipliedBy(3));
    assertThat(outcome.ending()).as("%s", outcome).isEqualTo(HostileClient.Ending.CLOSED);
    assertThat(outcome.after())
        .as("%s: cut at the %s deadline", outcome, deadline)
        .isBetween(deadline.minusMillis(500), deadline.plusSeconds(3));
    PrometheusText metrics = PrometheusText.parse(leader.get("/metrics").body());
    assertThat(metrics.value("dqlite_proxy_handshakes_failed_total", Map.of("reason", "deadline")))
        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(1.0));
  }

  /**
   * Random bytes and mutated real openings (TLS ClientHellos, dqlite handshakes sent in clear to
   * the TLS port): each connection ends with a close from the proxy, none stays open, and the node
   * keeps its memory, threads and leadership. {@code -Ddqlite.fuzz.seconds} runs longer, {@code
   * -Ddqlite.fuzz.seed} replays a seed.
   */
  @Test
  void fuzzedOpeningsOnlyGetACleanClose() throws Exception {
    SidecarProcess leader = cluster.leader();
    String leaderBefore = leader.address();
    ProcStats before = ProcStats.of(leader);
    long seed = Long.getLong("dqlite.fuzz.seed", System.nanoTime());
    long seconds = Long.getLong("dqlite.fuzz.seconds", 4);
    Random random = new Random(seed);
    byte[] hello = HostileBytes.clientHello();
    byte[] dqlite = HostileBytes.dqliteOpening();
    Duration wait = ProxyLimits.HANDSHAKE_DEADLINE.plusSeconds(3);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    int cases = 0;
    long answered = 0;
    while (System.nanoTime() < end) {
      byte[] bytes = HostileBytes.next(random, random.nextInt(4) == 0 ? dqlite : hello);
      HostileClient.Outcome outcome =
          HostileClient.send("127.0.11.102", target(leader), bytes, wait);
      assertThat(outcome.ending())
          .as("case %d of seed %d (%d bytes): %s", cases, seed, bytes.length, outcome)
          .isEqualTo(HostileClient.Ending.CLOSED);
      answered += outcome.bytesBack() > 0 ? 1 : 0;
      cases++;
    }
    ProcStats after = ProcStats.of(leader);
    System.out.printf(
        "fuzz seed %d: %d cases in %d s (%d answered before the close); leader"
            + " threads %d -> %d, RSS %d -> %d KiB, fds %d -> %d%n",
        seed,
        cases,
        seconds,
        answered,
        before.threads(),
        after.threads(),
        before.rssKiB(),
        after.rssKiB(),
        before.fds(),
        after.fds());
    assertThat(cases).isGreaterThan(10);
    assertThat(leader.isAlive()).isTrue();
    assertThat(leader.get("/readyz").status()).isEqualTo(200);
    assertThat(cluster.leaderAddress()).isEqualTo(leaderBefore);
    assertThat(after.threads()).isLessThanOrEqualTo(before.threads() + ProxyLimits.MAX_HANDSHAKES);
    assertThat(after.rssKiB()).as("resident KiB").isLessThan(before.rssKiB() + 64 * 1024);
  }

  /** How long drops must stop before an episode's summary is logged (DropEpisode.QUIET). */
  private static final Duration EPISODE_QUIET = Duration.ofSeconds(10);

  private static long listenerLines(SidecarProcess s) {
    return s.logText().lines().filter(l -> l.contains("listener " + s.address() + ":")).count();
  }

  private static long summaries(SidecarProcess s) {
    return s.logText().lines().filter(l -> l.contains(": dropped connections: ")).count();
  }

  private static InetSocketAddress target(SidecarProcess s) {
    String[] hostPort = s.address().split(":");
    return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
  }
}
