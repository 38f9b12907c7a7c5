package io.dqlite.compat.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dqlite.compat.CompatSupport;
import io.dqlite.compat.ReadModifyWrite;
import io.dqlite.compat.ReadModifyWriteContract;
import io.dqlite.compat.ThreeNodes;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Spring Framework 7's JdbcTemplate with {@code @Transactional} through
 * DataSourceTransactionManager (a plain context, no Boot), behind HikariCP, on a real 3-node
 * cluster: REQUIRED, REQUIRES_NEW, rollback on exception, read-only transactions that do not wait
 * for the writer, and the read-modify-write load with and without a leadership handover.
 */
@ExtendWith(ThreeNodes.Extension.class)
class SpringIT extends ReadModifyWriteContract {

  /** Short, so that a transaction that waits for its own thread's writer fails fast. */
  private static final int BUSY_TIMEOUT_MS = 1500;

  private static final List<AutoCloseable> cleanup = new ArrayList<>();
  private static ThreeNodes cluster;

  @BeforeAll
  static void cluster(ThreeNodes nodes) {
    cluster = nodes;
  }

  @AfterAll
  static void close() throws Exception {
    CompatSupport.closeAll(cleanup);
  }

  static AnnotationConfigApplicationContext context(DataSource dataSource) {
    AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext();
    ctx.registerBean("dataSource", DataSource.class, () -> dataSource);
    ctx.register(SpringConfig.class);
    ctx.refresh();
    return ctx;
  }

  private static AnnotationConfigApplicationContext open(String database, String... properties) {
    HikariDataSource pool = CompatSupport.pool(cluster.url(database, properties));
    cleanup.add(pool);
    AnnotationConfigApplicationContext ctx = context(pool);
    cleanup.add(ctx); // closed before its pool (newest first)
    return ctx;
  }

  private static Accounts accounts(String database) {
    AnnotationConfigApplicationContext ctx = open(database, "busyTimeout=" + BUSY_TIMEOUT_MS);
    JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
    jdbc.execute("CREATE TABLE account (name TEXT PRIMARY KEY, balance INTEGER NOT NULL)");
    jdbc.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT NOT NULL)");
    jdbc.update("INSERT INTO account VALUES ('alice', 100), ('bob', 0)");
    return ctx.getBean(Accounts.class);
  }

  @Test
  void requiredCommitsTogetherAndRollsBackTogetherOnException() {
    Accounts accounts = accounts("spring_required");
    accounts.transfer("alice", "bob", 30);
    assertThat(accounts.balanceReadOnly("alice")).isEqualTo(70);
    assertThat(accounts.balanceReadOnly("bob")).isEqualTo(30);

    assertThatThrownBy(() -> accounts.transfer("alice", "bob", 500))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("insufficient funds");
    // Both updates and the audit row of the failed transfer are gone.
    assertThat(accounts.balanceReadOnly("alice")).isEqualTo(70);
    assertThat(accounts.balanceReadOnly("bob")).isEqualTo(30);
    assertThat(auditCount(accounts)).isEqualTo(1);
  }

  @Test
  void requiresNewCommitsOnItsOwnWhenTheOuterTransactionRollsBack() {
    Accounts accounts = accounts("spring_requires_new_first");
    assertThatThrownBy(() -> accounts.transferAuditedFirst("alice", "bob", 500))
        .hasMessageContaining("insufficient funds");
    assertThat(accounts.balanceReadOnly("alice")).isEqualTo(100);
    assertThat(auditCount(accounts)).as("the REQUIRES_NEW audit row stays").isEqualTo(1);

    accounts.transferAuditedFirst("alice", "bob", 40);
    assertThat(accounts.balanceReadOnly("bob")).isEqualTo(40);
    assertThat(auditCount(accounts)).isEqualTo(3);
  }

  /**
   * dqlite has one writer per database, as SQLite: a thread whose transaction has written cannot
   * write in a second, new transaction until the first ends. The inner one fails at once (the
   * driver sees that the writer turn is held by this very thread, so waiting for busyTimeout could
   * not help), and the outer one rolls back. Spring translates it as a misuse of the API, not as a
   * transient locking failure: retrying could not help either.
   */
  @Test
  void requiresNewThatWritesAfterTheOuterWroteFailsAtOnce() {
    Accounts accounts = accounts("spring_requires_new_after");
    assertThatThrownBy(() -> accounts.transferAuditedAfter("alice", "bob", 10))
        .isInstanceOf(InvalidDataAccessApiUsageException.class)
        .isNotInstanceOf(TransientDataAccessException.class)
        .hasMessageContaining("this thread already holds the writer queue")
        .hasMessageContaining("REQUIRES_NEW")
        .satisfies(e -> assertThat(ReadModifyWrite.sqlState(e)).isEqualTo("25001"))
        .hasRootCauseInstanceOf(SQLFeatureNotSupportedException.class);
    assertThat(accounts.balanceReadOnly("alice")).isEqualTo(100);
    assertThat(auditCount(accounts)).isZero();
  }

  @Test
  void readOnlyTransactionDoesNotWaitForTheWriter() throws Exception {
    Accounts accounts = accounts("spring_read_only");
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                accounts.depositAndHold("alice", 5, holding, release);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      assertThat(holding.await(30, TimeUnit.SECONDS)).as("writer holds its transaction").isTrue();
      long start = System.nanoTime();
      // Reads the last committed state at once, beside the open write transaction.
      assertThat(accounts.balanceReadOnly("alice")).isEqualTo(100);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(Duration.ofMillis(BUSY_TIMEOUT_MS));
      // The same read in a transaction not marked read-only queues for the writer turn, held by
      // another thread: busy after busyTimeout, a locking failure for Spring.
      assertThatThrownBy(() -> accounts.balanceInWriteTransaction("alice"))
          .isInstanceOf(PessimisticLockingFailureException.class)
          .satisfies(e -> assertThat(ReadModifyWrite.sqlState(e)).isEqualTo("55006"));
    } finally {
      release.countDown();
    }
    writer.get(60, TimeUnit.SECONDS);
    assertThat(accounts.balanceReadOnly("alice")).isEqualTo(105);
  }

  @Override
  protected String framework() {
    return "spring";
  }

  @Override
  protected CompatSupport.Load load(String database, boolean handover) throws Exception {
    AnnotationConfigApplicationContext ctx = open(database);
    CompatSupport.createCounterTables(ctx.getBean(DataSource.class), CompatSupport.THREADS);
    Accounts accounts = ctx.getBean(Accounts.class);
    return CompatSupport.load(
        "Spring",
        cluster,
        handover,
        database,
        (thread, seq) -> accounts.increment(thread, seq, CompatSupport.TOTAL));
  }

  private static int auditCount(Accounts accounts) {
    return accounts.auditCount();
  }
}
