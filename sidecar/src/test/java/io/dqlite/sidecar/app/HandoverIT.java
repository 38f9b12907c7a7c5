package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.jdbc.DqliteTransactions;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stopping nodes: with a handover, and without one (a crash), on real nodes. */
class HandoverIT {

  private static final Logger LOG = LoggerFactory.getLogger(HandoverIT.class);
  private static final String HOST = "127.0.7.11";
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final Duration FREQUENCY = Duration.ofSeconds(2);

  @TempDir Path tmp;

  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private AppCluster cluster;

  @BeforeEach
  void cluster() {
    cluster = new AppCluster(tmp, HOST, b -> b.rolesAdjustmentFrequency(FREQUENCY));
    cleanup.add(cluster);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private void startNodes(int n, int standBys) throws Exception {
    for (int i = 0; i < n; i++) {
      cluster.start(b -> b.standBys(standBys), DEADLINE);
    }
  }

  private void awaitRoles(long voters, long standBys, long spares) {
    await("roles " + voters + "/" + standBys + "/" + spares)
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(count(cluster.roles()))
                    .isEqualTo(new long[] {voters, standBys, spares}));
  }

  private static long[] count(Map<String, NodeRole> roles) {
    long[] counts = new long[3];
    roles.values().forEach(r -> counts[r.code()]++);
    return counts;
  }

  @Test
  void leaderHandover_movesLeadershipBeforeItLeaves_andAJdbcWriterSeesNoError() throws Exception {
    startNodes(4, 1);
    awaitRoles(3, 1, 0);
    App leader = cluster.leader();
    App writerApp = cluster.open().stream().filter(a -> a != leader).findFirst().orElseThrow();
    String standBy =
        cluster.roles().entrySet().stream()
            .filter(e -> e.getValue() == NodeRole.STANDBY)
            .findFirst()
            .orElseThrow()
            .getKey();

    Writer writer = new Writer(writerApp.open("handover"));
    cleanup.add(writer);
    writer.start();
    await("writes before").atMost(DEADLINE).until(() -> writer.written.get() >= 50);

    leader.handover(Duration.ofSeconds(60));

    // Leadership moved while the old leader still runs; its role went to the stand-by.
    try (Client now = writerApp.leader()) {
      assertThat(now.address()).isNotEqualTo(leader.address());
    }
    Map<String, NodeRole> roles = cluster.roles();
    assertThat(roles.get(leader.address())).isEqualTo(NodeRole.SPARE);
    assertThat(roles.get(standBy)).isEqualTo(NodeRole.VOTER);

    leader.close();
    int afterClose = writer.written.get();
    await("writes after")
        .atMost(DEADLINE)
        .failFast("writer failed", () -> assertThat(writer.errors).isEmpty())
        .conditionEvaluationListener(
            c -> {
              if (c.getRemainingTimeInMS() < 2_000) {
                LOG.warn("writer at {} writes, stack: {}", writer.written.get(), writer.stack());
              }
            })
        .until(() -> writer.written.get() >= afterClose + 50);
    writer.close();
    LOG.info(
        "handover: {} writes, longest write {} ms (retries included)",
        writer.written.get(),
        writer.longestMillis.get());
    assertThat(writer.errors).isEmpty();
  }

  @Test
  void voterHandover_passesItsRoleToTheStandBy() throws Exception {
    startNodes(4, 1);
    awaitRoles(3, 1, 0);
    App leader = cluster.leader();
    Map<String, NodeRole> before = cluster.roles();
    App voter =
        cluster.open().stream()
            .filter(a -> a != leader && before.get(a.address()) == NodeRole.VOTER)
            .findFirst()
            .orElseThrow();
    String standBy =
        before.entrySet().stream()
            .filter(e -> e.getValue() == NodeRole.STANDBY)
            .findFirst()
            .orElseThrow()
            .getKey();

    voter.handover(Duration.ofSeconds(60));

    Map<String, NodeRole> after = cluster.roles();
    assertThat(after.get(standBy)).isEqualTo(NodeRole.VOTER);
    assertThat(after.get(voter.address())).isNotEqualTo(NodeRole.VOTER);
    assertThat(after.values().stream().filter(r -> r == NodeRole.VOTER).count()).isEqualTo(3);

    voter.close();
    awaitRoles(3, 0, 1);
  }

  @Test
  void standByHandover_passesItsRoleToASpare() throws Exception {
    startNodes(5, 1);
    awaitRoles(3, 1, 1);
    Map<String, NodeRole> before = cluster.roles();
    App standBy =
        cluster.open().stream()
            .filter(a -> before.get(a.address()) == NodeRole.STANDBY)
            .findFirst()
            .orElseThrow();
    String spare =
        before.entrySet().stream()
            .filter(e -> e.getValue() == NodeRole.SPARE)
            .findFirst()
            .orElseThrow()
            .getKey();

    standBy.handover(Duration.ofSeconds(60));

    Map<String, NodeRole> after = cluster.roles();
    assertThat(after.get(spare)).isEqualTo(NodeRole.STANDBY);
    assertThat(after.get(standBy.address())).isNotEqualTo(NodeRole.STANDBY);
    standBy.close();
    awaitRoles(3, 1, 1);
  }

  @Test
  void voterKilledWithoutHandover_isReplacedWithinOneAdjustmentPeriod() throws Exception {
    // a1 (Java) bootstraps and leads; two dqlite-demo nodes join and become voters with it; a
    // fourth node (Java) becomes the stand-by. Then one demo voter is killed with SIGKILL.
    App a1 = cluster.start(DEADLINE);
    DemoNode d2 = demo("d2", a1.address());
    DemoNode d3 = demo("d3", a1.address());
    App a4 = cluster.start(DEADLINE);
    await("3 voters and a stand-by")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Map<String, NodeRole> roles = cluster.roles();
              assertThat(roles.get(a1.address())).isEqualTo(NodeRole.VOTER);
              assertThat(roles.get(d2.dbAddress)).isEqualTo(NodeRole.VOTER);
              assertThat(roles.get(d3.dbAddress)).isEqualTo(NodeRole.VOTER);
              assertThat(roles.get(a4.address())).isEqualTo(NodeRole.STANDBY);
            });
    assertThat(cluster.leader()).isSameAs(a1);

    long killed = System.nanoTime();
    d2.kill();

    // One period until the leader's next tick, plus time for probes and two role changes.
    await("the stand-by replaces the killed voter")
        .atMost(FREQUENCY.plus(Duration.ofSeconds(15)))
        .untilAsserted(
            () -> {
              Map<String, NodeRole> roles = cluster.roles();
              assertThat(roles.get(a4.address())).isEqualTo(NodeRole.VOTER);
              assertThat(roles.get(d2.dbAddress)).isEqualTo(NodeRole.SPARE);
            });
    LOG.info(
        "killed voter replaced after {} ms (adjustment period {} ms)",
        (System.nanoTime() - killed) / 1_000_000,
        FREQUENCY.toMillis());
  }

  /**
   * A cluster of 2, one voter (the leader) and a spare: the leader promotes the spare, transfers
   * leadership to it and only then demotes itself, so the other node leads as soon as the handover
   * returns (go-dqlite demotes the leader while it leads, and the cluster waits an election).
   */
  @Test
  void twoMembers_theOtherNodeLeadsWhenTheHandoverReturns_andTheStoppingNodeNoLongerVotes()
      throws Exception {
    startNodes(2, 0);
    awaitRoles(1, 0, 1);
    App leader = cluster.leader();
    App other = cluster.open().stream().filter(a -> a != leader).findFirst().orElseThrow();

    leader.handover(Duration.ofSeconds(60));

    // Asked directly, without a leader search that would wait out an election.
    try (Client direct = Client.connect(other.address())) {
      assertThat(direct.leader()).map(n -> n.address()).contains(other.address());
    }
    Map<String, NodeRole> roles = cluster.roles();
    assertThat(roles.get(other.address())).isEqualTo(NodeRole.VOTER);
    assertThat(roles.get(leader.address())).isEqualTo(NodeRole.SPARE);

    leader.close();
    assertThat(writeRows(other, "two", 10)).isEqualTo(10);
  }

  /**
   * Three voters, with and without a spare: leadership moves before the leader leaves, its voter
   * role goes to the spare when there is one (3 voters after the handover either way), and a JDBC
   * writer sees no error.
   */
  @ParameterizedTest(name = "spare: {0}")
  @ValueSource(booleans = {false, true})
  void threeVoters_theLeaderHandsLeadershipAndItsRoleOver_andWritesGoOn(boolean spare)
      throws Exception {
    startNodes(spare ? 4 : 3, 0);
    awaitRoles(3, 0, spare ? 1 : 0);
    App leader = cluster.leader();
    App writerApp = cluster.open().stream().filter(a -> a != leader).findFirst().orElseThrow();
    Writer writer = new Writer(writerApp.open("three"));
    cleanup.add(writer);
    writer.start();
    await("writes before").atMost(DEADLINE).until(() -> writer.written.get() >= 20);

    leader.handover(Duration.ofSeconds(60));

    try (Client now = writerApp.leader()) {
      assertThat(now.address()).isNotEqualTo(leader.address());
    }
    Map<String, NodeRole> roles = cluster.roles();
    assertThat(count(roles)[NodeRole.VOTER.code()]).isEqualTo(3);
    assertThat(roles.get(leader.address())).isEqualTo(spare ? NodeRole.SPARE : NodeRole.VOTER);

    leader.close();
    int afterClose = writer.written.get();
    await("writes after")
        .atMost(DEADLINE)
        .failFast("writer failed", () -> assertThat(writer.errors).isEmpty())
        .until(() -> writer.written.get() >= afterClose + 20);
    writer.close();
    assertThat(writer.errors).isEmpty();
  }

  /**
   * Every transfer fails. The leader (Java) has two dqlite-demo voters: d3 is suspended (SIGSTOP)
   * before the handover, so it misses the probe and is no transfer target; just before the transfer
   * to d2, d3 is resumed and d2 suspended, so the leader keeps its majority throughout and the
   * transfer runs into raft's timeout. The leader still passes its role to the spare and demotes
   * itself, since the voters left without it (d2 counted online by the probe, d3 not, the promoted
   * spare) have an online majority: 3 voters again, not 4. The handover reports the failed
   * transfer. (Resuming a suspended target while another transfer runs would let it act on the old
   * request and take leadership after all: hence one target.)
   */
  @Test
  void everyTransferFails_theLeaderStillPassesItsRoleOnAndDemotesItself() throws Exception {
    App a1 = cluster.start(b -> b.standBys(0), DEADLINE);
    DemoNode d2 = demo("d2", a1.address());
    DemoNode d3 = demo("d3", a1.address());
    App spare = cluster.start(b -> b.standBys(0), DEADLINE);
    await("3 voters and a spare")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Map<String, NodeRole> roles = cluster.roles();
              assertThat(roles.get(d2.dbAddress)).isEqualTo(NodeRole.VOTER);
              assertThat(roles.get(d3.dbAddress)).isEqualTo(NodeRole.VOTER);
              assertThat(roles.get(spare.address())).isEqualTo(NodeRole.SPARE);
            });
    assertThat(cluster.leader()).isSameAs(a1);
    List<String> targets = new CopyOnWriteArrayList<>();
    Handover.Observer suspendTarget =
        new Handover.Observer() {
          @Override
          public void beforeTransfer(NodeInfo target) {
            targets.add(target.address());
            try {
              d3.resume();
              d2.suspend();
            } catch (Exception e) {
              throw new AssertionError("suspend " + d2.dbAddress, e);
            }
          }
        };

    d3.suspend();
    try {
      assertThatThrownBy(() -> a1.handover(Duration.ofSeconds(60), suspendTarget))
          .isInstanceOf(DqliteException.class)
          .hasMessageContaining("transfer leadership")
          .hasMessageContaining("we are a spare anyway");
    } finally {
      d2.resume();
      d3.resume();
    }
    assertThat(targets).containsExactly(d2.dbAddress);

    await("3 voters, the old leader a spare")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Map<String, NodeRole> roles = cluster.roles();
              assertThat(roles.get(a1.address())).isEqualTo(NodeRole.SPARE);
              assertThat(roles.get(spare.address())).isEqualTo(NodeRole.VOTER);
              assertThat(count(roles)[NodeRole.VOTER.code()]).isEqualTo(3);
            });
    a1.close();
    assertThat(writeRows(spare, "failed-transfers", 10)).isEqualTo(10);
  }

  /**
   * The leader (a dqlite-demo) is suspended right after a follower's handover found it: the next
   * request never gets an answer. Every request has what is left of the handover's deadline as its
   * timeout, so the handover returns by its deadline (each would otherwise wait 30 s).
   */
  @Test
  void aLeaderThatNeverAnswers_theHandoverReturnsByItsDeadline() throws Exception {
    DemoNode d1 = demo("d1", null);
    App a2 = joinDemo("a2", d1);
    App a3 = joinDemo("a3", d1);
    await("3 voters")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              try (Client c = a3.leader()) {
                assertThat(c.address()).isEqualTo(d1.dbAddress);
                assertThat(c.cluster())
                    .extracting(NodeInfo::role)
                    .containsOnly(NodeRole.VOTER)
                    .hasSize(3);
              }
            });
    Handover.Observer suspendLeader =
        new Handover.Observer() {
          @Override
          public void leaderFound(String address) {
            try {
              assertThat(address).isEqualTo(d1.dbAddress);
              d1.suspend();
            } catch (Exception e) {
              throw new AssertionError("suspend " + address, e);
            }
          }
        };
    Duration timeout = Duration.ofSeconds(6);
    long start = System.nanoTime();
    try {
      assertThatThrownBy(() -> a2.handover(timeout, suspendLeader))
          .isInstanceOf(DqliteException.class);
    } finally {
      d1.resume();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    LOG.info(
        "handover with a suspended leader returned after {} ms (deadline {} ms)",
        took.toMillis(),
        timeout.toMillis());
    assertThat(took).isLessThan(timeout.plusSeconds(2));
  }

  /** A Java App that joins the dqlite-demo {@code leader}. */
  private App joinDemo(String name, DemoNode leader) throws Exception {
    App app =
        App.builder(tmp.resolve(name))
            .address(Loopback.freeAddress(HOST))
            .rolesAdjustmentFrequency(FREQUENCY)
            .standBys(0)
            .cluster(leader.dbAddress)
            .build();
    cleanup.add(app);
    app.ready(DEADLINE);
    return app;
  }

  /** Writes {@code n} rows through {@code app}'s data source, each in a retried transaction. */
  private static int writeRows(App app, String database, int n) throws Exception {
    DataSource ds = app.open(database);
    DqliteTransactions.Policy policy =
        DqliteTransactions.Policy.defaults()
            .timeout(Duration.ofSeconds(30))
            .retryUnknownOutcome(true);
    int written = 0;
    try (Connection c = ds.getConnection()) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)");
      }
      for (int i = 0; i < n; i++) {
        int key = i;
        written +=
            DqliteTransactions.inTransaction(
                c,
                policy,
                conn -> {
                  try (PreparedStatement insert =
                      conn.prepareStatement("INSERT OR REPLACE INTO t (k, v) VALUES (?, ?)")) {
                    insert.setInt(1, key);
                    insert.setString(2, "value " + key);
                    return insert.executeUpdate();
                  }
                });
      }
    }
    return written;
  }

  /** A dqlite-demo node joining {@code join}, or bootstrapping when it is null. */
  private DemoNode demo(String name, String join) throws Exception {
    DemoNode node =
        DemoNode.start(
            tmp.resolve(name),
            Loopback.freeAddress(HOST),
            join == null ? List.of() : List.of(join));
    cleanup.add(node);
    await("dqlite-demo " + node.dbAddress + " up").atMost(DEADLINE).until(node::isUp);
    return node;
  }

  /**
   * Writes rows one transaction at a time through one JDBC connection (DqliteTransactions), until
   * closed. A write that still fails after {@link #RETRY_BUDGET} of retrying is an error.
   */
  private static final class Writer implements AutoCloseable {
    private static final int MAX_WRITES = 1_000_000;

    /** How long one write may take, retries included, before the test fails: "a short retry". */
    private static final Duration RETRY_BUDGET = Duration.ofSeconds(10);

    private Connection connection;
    private final DataSource dataSource;
    private final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger written = new AtomicInteger();
    final AtomicLong longestMillis = new AtomicLong();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Thread thread = new Thread(this::run, "handover-writer");

    Writer(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    void start() throws Exception {
      try (Connection c = dataSource.getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)");
      }
      thread.start();
    }

    private void run() {
      // Idempotent writes, so an outcome-unknown failure (08007) may be retried.
      DqliteTransactions.Policy policy =
          DqliteTransactions.Policy.defaults().timeout(RETRY_BUDGET).retryUnknownOutcome(true);
      for (int i = 0; i < MAX_WRITES && !stop.get(); i++) {
        long start = System.nanoTime();
        try {
          writeWithin(i, policy, start + RETRY_BUDGET.toNanos());
        } catch (Throwable e) {
          errors.add(e);
          return;
        }
        longestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
        written.incrementAndGet();
      }
    }

    /**
     * One write through DqliteTransactions on the writer's connection, which follows the leader by
     * itself. The policy's timeout is the short retry: an error it lets through is the test's
     * failure, with no second loop here.
     */
    private void writeWithin(int key, DqliteTransactions.Policy policy, long deadline)
        throws Exception {
      if (connection == null) {
        connection = dataSource.getConnection();
      }
      DqliteTransactions.inTransaction(
          connection,
          policy,
          c -> {
            try (PreparedStatement insert =
                c.prepareStatement("INSERT OR REPLACE INTO t (k, v) VALUES (?, ?)")) {
              insert.setInt(1, key);
              insert.setString(2, "value " + key);
              return insert.executeUpdate();
            }
          });
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "write " + key + " succeeded only after more than " + RETRY_BUDGET.toMillis() + " ms");
      }
    }

    private void closeConnection() {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // A new one is opened for the next attempt.
        }
        connection = null;
      }
    }

    String stack() {
      StringBuilder out = new StringBuilder();
      for (StackTraceElement e : thread.getStackTrace()) {
        out.append("\n  at ").append(e);
      }
      return out.toString();
    }

    @Override
    public void close() {
      stop.set(true);
      try {
        thread.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeConnection();
    }
  }
}
