package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.protocol.ClientRequest;
import io.dqlite.client.protocol.DbResponse;
import io.dqlite.client.protocol.DumpRequest;
import io.dqlite.client.protocol.EmptyResponse;
import io.dqlite.client.protocol.ExecRequest;
import io.dqlite.client.protocol.FailureResponse;
import io.dqlite.client.protocol.FinalizeRequest;
import io.dqlite.client.protocol.MessageHeader;
import io.dqlite.client.protocol.OpenRequest;
import io.dqlite.client.protocol.PrepareRequest;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.QuerySqlRequest;
import io.dqlite.client.protocol.ResponseType;
import io.dqlite.client.protocol.Rows;
import io.dqlite.client.protocol.StmtResponse;
import io.dqlite.client.protocol.WelcomeResponse;
import io.dqlite.sidecar.metrics.PrometheusText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app socket against what would take a node down or hold a sidecar's memory or threads, on a
 * real three-node cluster of sidecar processes started through the launcher, so with the image's
 * JVM flags (-Xmx64m, -XX:+ExitOnOutOfMemoryError). Node 0 keeps every default; node 1 has short
 * deadlines; node 2 lets membership requests through.
 */
class AppSocketHardeningIT {

  private static final String[] HOSTS = {"127.0.11.1", "127.0.11.2", "127.0.11.3"};
  private static final List<List<String>> FLAGS =
      List.of(
          List.of(),
          List.of(
              "--app-socket-idle-timeout",
              "3s",
              "--app-socket-frame-timeout",
              "2s",
              "--app-socket-write-timeout",
              "2s"),
          List.of("--app-socket-membership", "allow"));
  private static final List<SidecarProcess> sidecars = new ArrayList<>();
  private static Path base;

  @BeforeAll
  static void startCluster() throws IOException {
    Path root = Path.of("target", "sidecar-it").toAbsolutePath();
    Files.createDirectories(root);
    base = Files.createTempDirectory(root, "hardening-");
    String tag = ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(100_000);
    for (int i = 0; i < 3; i++) {
      sidecars.add(
          new SidecarProcess(HOSTS[i], base, "@dqlite-hard-" + tag + "-" + i, FLAGS.get(i)));
    }
    List<String> join = List.of(sidecars.get(0).address());
    for (SidecarProcess s : sidecars) {
      s.start(join);
    }
    awaitHealthy();
  }

  @AfterAll
  static void stopCluster() throws IOException {
    for (SidecarProcess s : sidecars) {
      s.kill();
      System.out.println("---- " + s + "\n" + s.logTail(40));
    }
    if (base != null && !Boolean.getBoolean("dqlite.it.keep")) {
      try (java.util.stream.Stream<Path> paths = Files.walk(base)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Every sidecar alive and ready (so a leader exists and knows all three). */
  private static void awaitHealthy() {
    await("three live, ready sidecars")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (SidecarProcess s : sidecars) {
                assertThat(s.isAlive()).as(s + " alive\n" + s.logTail(30)).isTrue();
                assertThat(s.get("/readyz").status()).as(s + " /readyz").isEqualTo(200);
              }
            });
  }

  private static void assertAllAlive() {
    for (SidecarProcess s : sidecars) {
      assertThat(s.isAlive()).as(s + " alive\n" + s.logTail(30)).isTrue();
      assertThat(s.get("/livez").status()).as(s + " /livez").isEqualTo(200);
    }
  }

  /** A sidecar that does not lead now, preferring {@code among}. */
  private static SidecarProcess follower(int... among) {
    String body = sidecars.get(0).get("/readyz").body();
    for (int i : among) {
      SidecarProcess s = sidecars.get(i);
      if (!body.contains("leader " + s.address())) {
        return s;
      }
    }
    throw new IllegalStateException("no follower among " + Arrays.toString(among) + ": " + body);
  }

  private static ProtocolConnection via(SidecarProcess s) throws DqliteException {
    ConnectorConfig config =
        ConnectorConfig.builder().requestTimeout(Duration.ofSeconds(60)).build();
    return new LeaderConnector(InMemoryNodeStore.of(s.socket()), config).connect();
  }

  @Test
  void aFinalizedStatementIdThroughAFollowerIsRefusedAndTheLeaderLives() throws Exception {
    SidecarProcess follower = follower(0, 2);
    try (RawWire w = RawWire.connect(follower.socket())) {
      w.send(new ClientRequest(0));
      assertThat(w.receive()).isInstanceOf(WelcomeResponse.class);
      w.send(new OpenRequest("stale", 0, "volatile"));
      assertThat(w.receive()).isInstanceOf(DbResponse.class);
      w.send(new PrepareRequest(0, "SELECT 1"));
      assertThat(((StmtResponse) w.receive()).id()).isZero();
      w.send(new PrepareRequest(0, "SELECT 2"));
      assertThat(((StmtResponse) w.receive()).id()).isOne();
      w.send(new FinalizeRequest(0, 0));
      assertThat(w.receive()).isInstanceOf(EmptyResponse.class);
      // libdqlite 1.11.1 dereferences the freed slot 0 on this exec and the leader dies.
      w.send(new ExecRequest(0, 0, List.of(), 0));
      FailureResponse f = w.failure();
      assertThat(f.code()).isEqualTo(ErrorCodes.SQLITE_NOTFOUND);
      assertThat(f.message()).contains("no statement with id 0");
      w.send(new FinalizeRequest(0, 0));
      assertThat(w.failure().code()).isEqualTo(ErrorCodes.SQLITE_NOTFOUND);
      // The live statement is still there on the same connection.
      w.send(new FinalizeRequest(0, 1));
      assertThat(w.receive()).isInstanceOf(EmptyResponse.class);
    }
    // Time for a crash to show (the leader's process exits within milliseconds of the exec).
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertAllAlive();
    awaitHealthy();
  }

  @Test
  void membershipRequestsAreRefusedByDefaultAndForwardedWithTheFlag() throws Exception {
    try (ProtocolConnection c = via(sidecars.get(0))) {
      for (ThrowingCall call :
          List.<ThrowingCall>of(
              () -> c.remove(12345),
              () -> c.transfer(0),
              () -> c.assign(12345, io.dqlite.client.model.NodeRole.SPARE),
              () -> c.add(12345, "127.0.11.9:1"))) {
        DqliteException e =
            org.junit.jupiter.api.Assertions.assertThrows(DqliteException.class, call::run);
        assertThat(e.getMessage()).contains("--app-socket-membership=allow");
      }
      assertThat(c.cluster()).hasSize(3); // Read-only cluster requests stay allowed.
      assertThat(c.describe()).isNotNull();
    }
    try (ProtocolConnection c = via(sidecars.get(2))) {
      // Forwarded: the leader itself answers that there is no such node.
      DqliteException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              DqliteException.class, () -> c.remove(12345));
      assertThat(e.getMessage()).doesNotContain("--app-socket-membership").contains("not valid");
    }
    assertThat(
            metric(
                sidecars.get(0), "dqlite_app_socket_refused_total", Map.of("reason", "membership")))
        .isGreaterThanOrEqualTo(4.0);
    assertAllAlive();
  }

  @Test
  void aFortyMibRowAndAHundredMibDumpCrossTheSocketOfASixtyFourMibHeap() throws Exception {
    SidecarProcess s = follower(2, 0);
    byte[] row = new byte[40 << 20];
    new Random(42).nextBytes(row);
    try (ProtocolConnection c = via(s)) {
      int db = c.open("big");
      c.execSql(db, "CREATE TABLE big (n INT, b BLOB)", List.of());
      c.execSql(db, "INSERT INTO big VALUES (1, ?)", List.of(row));
      try (Rows rows = c.querySql(db, "SELECT b FROM big WHERE n = 1", List.of())) {
        List<List<Object>> all = rows.readAll();
        assertThat(all).hasSize(1);
        assertThat(Arrays.equals((byte[]) all.get(0).get(0), row)).as("the row read back").isTrue();
      }
      // 60 MiB more made by the leader itself: a small request, big raft entries.
      for (int i = 0; i < 3; i++) {
        c.execSql(
            db,
            "INSERT INTO big SELECT 2, randomblob(1048576) FROM (WITH RECURSIVE"
                + " r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 20) SELECT n FROM r)",
            List.of());
      }
    }
    try (RawWire w = RawWire.connect(s.socket())) {
      w.send(new ClientRequest(0));
      w.receive();
      w.send(new DumpRequest("big"));
      MessageHeader h = w.skipMessage();
      assertThat(h.type()).isEqualTo(ResponseType.FILES.code());
      assertThat(h.bodyBytes()).isGreaterThan(100L << 20);
    }
    assertAllAlive();
    assertThat(s.logText()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void aRequestOverTheLimitIsRefusedBeforeItsBodyAndTheConnectionCloses() throws Exception {
    try (RawWire w = RawWire.connect(sidecars.get(0).socket())) {
      // Claims 32 GiB; sends nothing more.
      w.write(RawWire.message(8, new byte[0], 0xffff_ffffL));
      FailureResponse f = w.failure();
      assertThat(f.message()).contains("--app-socket-max-request");
      assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), w::drainToEnd)).isZero();
    }
    // A client that writes the whole oversized request first still reads why.
    try (ProtocolConnection c = via(sidecars.get(0))) {
      int db = c.open("limits");
      DqliteException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              DqliteException.class,
              () -> c.execSql(db, "SELECT length(?)", List.of(new byte[65 << 20])));
      assertThat(e.getMessage()).contains("--app-socket-max-request");
    }
    assertAllAlive();
  }

  @Test
  void anAppThatStopsReadingIsClosedAfterTheWriteDeadline() throws Exception {
    SidecarProcess s = sidecars.get(1);
    try (RawWire w = RawWire.connect(s.socket())) {
      w.send(new ClientRequest(0));
      w.receive();
      w.send(new OpenRequest("stalled", 0, "volatile"));
      w.receive();
      // 64 MiB of answers, never read until the sidecar gave up on this reader.
      w.send(
          new QuerySqlRequest(
              0,
              "SELECT randomblob(1048576) FROM (WITH RECURSIVE r(n) AS"
                  + " (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 64) SELECT n FROM r)",
              List.of(),
              0));
      await("the sidecar closes a reader that stopped reading")
          .atMost(Duration.ofSeconds(30))
          .until(() -> s.logText().contains("did not read its answers for 2000 ms"));
      long read = assertTimeoutPreemptively(Duration.ofSeconds(30), w::drainToEnd);
      assertThat(read).isLessThan(64L << 20);
    }
    assertAllAlive();
  }

  @Test
  void idleConnectionsAndHalfSentFramesAreClosedAfterTheirDeadlines() throws Exception {
    SidecarProcess s = sidecars.get(1);
    try (RawWire idle = RawWire.connect(s.socket());
        RawWire half = RawWire.connect(s.socket())) {
      idle.send(new ClientRequest(0));
      idle.receive();
      long start = System.nanoTime();
      // A header announcing 3 words, then one word: the rest never comes.
      half.write(RawWire.message(8, RawWire.words(0), 3));
      assertThat(assertTimeoutPreemptively(Duration.ofSeconds(15), half::drainToEnd)).isZero();
      long halfMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(halfMs).isBetween(1_900L, 3_000L - 1); // 2 s frame deadline, not the 3 s idle one
      assertThat(assertTimeoutPreemptively(Duration.ofSeconds(15), idle::drainToEnd)).isZero();
      long idleMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(idleMs).isGreaterThanOrEqualTo(2_900L);
    }
    // The socket is closed first (by the deadline), the session logs and counts just after.
    await("both closes logged and counted")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(s.logText())
                  .contains("did not finish sending a request within 2000 ms")
                  .contains("no request for 3000 ms");
              assertThat(
                      metric(
                          s,
                          "dqlite_app_socket_deadline_closes_total",
                          Map.of("deadline", "frame")))
                  .isGreaterThanOrEqualTo(1.0);
              assertThat(
                      metric(
                          s, "dqlite_app_socket_deadline_closes_total", Map.of("deadline", "idle")))
                  .isGreaterThanOrEqualTo(1.0);
            });
    assertAllAlive();
  }

  /**
   * A real EMFILE: a single-node sidecar's descriptor limit is lowered (prlimit) until accept(2)
   * fails; the accept loop backs off, logs the episode once, and serves again once descriptors are
   * freed; the node and its liveness survive.
   */
  @Test
  void runningOutOfDescriptorsIsWaitedOutAndServingResumes() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs prlimit (util-linux)");
    String tag = ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(100_000);
    try (SidecarProcess alone =
        new SidecarProcess("127.0.11.4", base, "@dqlite-hard-emfile-" + tag, List.of())) {
      alone.start(List.of());
      await("a single ready node")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> alone.get("/readyz").status() == 200);
      long pid = alone.process().pid();
      long open;
      try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
        open = fds.count();
      }
      prlimit(pid, open + 6);
      List<RawWire> clients = new ArrayList<>();
      try {
        // Each waits in its handshake, holding a descriptor, until accept runs out.
        await("accept fails for lack of descriptors")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> {
                  clients.add(RawWire.connectQuiet(alone.socket()));
                  return alone.logText().contains("Too many open files; retrying with back-off");
                });
      } finally {
        clients.forEach(RawWire::close);
        prlimit(pid, 4096);
      }
      await("serving again")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                try (RawWire w = RawWire.connect(alone.socket())) {
                  w.send(new ClientRequest(0));
                  return w.receive() instanceof WelcomeResponse;
                }
              });
      assertThat(alone.logText()).contains("accepting again after");
      assertThat(alone.logText().split("retrying with back-off", -1)).hasSize(2); // logged once
      assertThat(alone.get("/livez").status()).isEqualTo(200);
      assertThat(alone.isAlive()).isTrue();
    }
  }

  private static double metric(SidecarProcess s, String name, Map<String, String> labels) {
    return PrometheusText.parse(s.get("/metrics").body()).value(name, labels).orElse(0.0);
  }

  private static void prlimit(long pid, long nofile) throws Exception {
    Process p =
        new ProcessBuilder(
                "prlimit",
                "--pid",
                Long.toString(pid),
                "--nofile=" + nofile + ":" + Math.max(nofile, 4096))
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
  }

  /**
   * Valid request sequences with bytes flipped, inserted or cut and word counts that lie, each on
   * its own connection to a live session in front of the real cluster: whatever comes back must be
   * whole frames, then a close; nothing may hang past the deadlines; every node stays up. {@code
   * -Ddqlite.fuzz.cases=N} runs more (default 40), {@code -Ddqlite.fuzz.seed=S} repeats a run (the
   * seed is printed).
   */
  @Test
  void hostileBytesThroughALiveSessionGetFailuresOrACloseAndTheNodesLive() throws Exception {
    long seed = Long.getLong("dqlite.fuzz.seed", System.nanoTime());
    int cases = Integer.getInteger("dqlite.fuzz.cases", 40);
    System.out.println("app socket fuzz: seed " + seed + ", " + cases + " cases");
    Random random = new Random(seed);
    SidecarProcess s = sidecars.get(1); // 2 s frame deadline, membership refused
    try (ProtocolConnection c = via(s)) {
      c.execSql(c.open("fuzz"), "CREATE TABLE IF NOT EXISTS f (n INT, s TEXT)", List.of());
    }
    for (int i = 0; i < cases; i++) {
      byte[] bytes = Fuzz.mutate(Fuzz.validSequence(random), random);
      String what =
          "case "
              + i
              + " (seed "
              + seed
              + "): "
              + java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 96));
      try (RawWire w = RawWire.connect(s.socket())) {
        w.write(bytes);
        w.shutdownOutput();
        int frames = assertTimeoutPreemptively(Duration.ofSeconds(45), w::framesToEnd, what);
        assertThat(frames).as(what).isGreaterThanOrEqualTo(0);
      }
    }
    assertAllAlive();
    try (ProtocolConnection c = via(s)) {
      assertThat(
              c.execSql(c.open("fuzz"), "INSERT INTO f VALUES (1, 'after')", List.of())
                  .rowsAffected())
          .isOne();
    }
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }
}
