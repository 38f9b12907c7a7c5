package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.jdbc.GroupCommit.Fate;
import io.dqlite.client.jdbc.GroupCommit.Stage;
import io.dqlite.client.jdbc.GroupCommit.Write;
import io.dqlite.client.protocol.ExecResult;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupCommitTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final GroupCommit commits = new GroupCommit("test/db");

  @AfterEach
  void stopThreads() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    // A write's own error: only that write fails, the others run again.
    "STATEMENT, 23000, THAT_WRITE",
    "STATEMENT, 42000, THAT_WRITE",
    "STATEMENT, 22000, THAT_WRITE",
    "STATEMENT, HY000, THAT_WRITE",
    // Leader change or lost connection before COMMIT ran: nothing was committed.
    "STATEMENT, 40001, RETRY_ALL",
    "STATEMENT, 08006, RETRY_ALL",
    "STATEMENT, 08007, RETRY_ALL",
    "STATEMENT, 55006, RETRY_ALL",
    "STATEMENT, 57014, RETRY_ALL",
    "BEGIN, 08006, RETRY_ALL",
    "BEGIN, 40001, RETRY_ALL",
    "BEGIN, HY008, RETRY_ALL",
    "COMMIT, 40001, RETRY_ALL",
    "COMMIT, 08006, RETRY_ALL",
    // No leader within leaderTimeout, busy for busyTimeout, or a COMMIT's outcome unknown.
    "BEGIN, 08001, FAIL_ALL",
    "STATEMENT, 08001, FAIL_ALL",
    "BEGIN, 55006, FAIL_ALL",
    "BEGIN, 42000, FAIL_ALL",
    "COMMIT, 08007, FAIL_ALL",
    "COMMIT, 08001, FAIL_ALL",
    // COMMIT refused for a reason of one of the writes (a deferred foreign key): run each alone.
    "COMMIT, 23000, RUN_ALONE",
    "COMMIT, HY000, RUN_ALONE",
  })
  void fateOfAFailedGroup(Stage stage, String state, Fate fate) {
    assertThat(GroupCommit.fate(stage, state)).isEqualTo(fate);
  }

  private static Write write(int n) {
    return new Write(SqlScript.split("INSERT INTO t VALUES (?)").get(0), List.of(n), null, true);
  }

  private static int value(Write w) {
    return ((Number) w.params.get(0)).intValue();
  }

  /** Submits {@code w} on a pool thread with {@code runner} as its leader. */
  private Future<ExecResult> submit(Write w, GroupCommit.Runner runner) {
    return pool.submit(() -> commits.submit(w, runner, WAIT));
  }

  /**
   * A runner that records each group it gets and blocks on {@code gate} first, so that writers
   * queue behind the group in flight; then applies {@code outcome} to the group.
   */
  private static GroupCommit.Runner recording(
      List<List<Integer>> groups, CountDownLatch gate, Consumer<List<Write>> outcome) {
    return group -> {
      groups.add(group.stream().map(GroupCommitTest::value).toList());
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      outcome.accept(group);
    };
  }

  /**
   * Submits write 0 and waits until its group runs (held at the runner's gate), then queues writes
   * {@code values} behind it one at a time, so that they queue in this order.
   *
   * @return the futures of write 0 and of {@code values}, in that order
   */
  private List<Future<ExecResult>> queueBehindTheFirst(
      GroupCommit.Runner runner, List<List<Integer>> groups, int... values) {
    List<Future<ExecResult>> futures = new ArrayList<>();
    futures.add(submit(write(0), runner));
    await().atMost(WAIT).until(() -> groups.size() == 1);
    for (int v : values) {
      futures.add(submit(write(v), runner));
      int queued = futures.size() - 1;
      await().atMost(WAIT).until(() -> commits.waiting() == queued);
    }
    return futures;
  }

  /** A recording runner whose COMMIT of two writes or more fails with {@code e}. */
  private static GroupCommit.Runner commitFailing(
      List<List<Integer>> groups,
      CountDownLatch gate,
      SQLException e,
      Consumer<List<Write>> aloneOutcome) {
    return recording(
        groups,
        gate,
        group -> {
          if (group.size() > 1) {
            GroupCommit.settle(group, Stage.COMMIT, -1, e);
          } else {
            aloneOutcome.accept(group);
          }
        });
  }

  private static void allSucceed(List<Write> group) {
    group.forEach(w -> w.succeeded(new ExecResult(value(w), 1)));
  }

  @Test
  void writesQueuedBehindTheGroupInFlightRunAsTheNextGroupEachWithItsOwnResult() throws Exception {
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    GroupCommit.Runner runner = recording(groups, gate, GroupCommitTest::allSucceed);

    List<Future<ExecResult>> futures = queueBehindTheFirst(runner, groups, 1, 2, 3);
    gate.countDown();

    for (int i = 0; i <= 3; i++) {
      assertThat(futures.get(i).get(30, TimeUnit.SECONDS).lastInsertId()).isEqualTo(i);
    }
    assertThat(groups).containsExactly(List.of(0), List.of(1, 2, 3));
  }

  @Test
  void aWriteThatFailsIsTakenOutAndTheOthersRunAgain() throws Exception {
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    SQLException duplicate =
        new SQLIntegrityConstraintViolationException("UNIQUE constraint failed", "23000", 2067);
    GroupCommit.Runner runner =
        recording(
            groups,
            gate,
            group -> {
              int bad = group.stream().map(GroupCommitTest::value).toList().indexOf(2);
              if (bad >= 0) {
                GroupCommit.settle(group, Stage.STATEMENT, bad, duplicate);
              } else {
                allSucceed(group);
              }
            });

    List<Future<ExecResult>> futures = queueBehindTheFirst(runner, groups, 1, 2, 3);
    gate.countDown();

    futures.get(0).get(30, TimeUnit.SECONDS);
    assertThat(futures.get(1).get(30, TimeUnit.SECONDS).lastInsertId()).isEqualTo(1);
    assertThat(futures.get(3).get(30, TimeUnit.SECONDS).lastInsertId()).isEqualTo(3);
    assertThatThrownBy(() -> futures.get(2).get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SQLIntegrityConstraintViolationException.class)
        .hasMessageContaining("UNIQUE constraint failed");
    // The writes queued in order; the failed one left, the others ran again in their order.
    assertThat(groups).containsExactly(List.of(0), List.of(1, 2, 3), List.of(1, 3));
  }

  @Test
  void aGroupThatKeepsLosingItsLeaderFailsAfterTheLastAttempt() throws Exception {
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    SQLException lost = new SQLException("leadership lost", "40001", 8);
    CountDownLatch gate = new CountDownLatch(0);
    GroupCommit.Runner runner =
        recording(groups, gate, group -> GroupCommit.settle(group, Stage.STATEMENT, 0, lost));

    Future<ExecResult> only = submit(write(7), runner);

    assertThatThrownBy(() -> only.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SQLException.class)
        .hasMessageContaining("leadership lost");
    assertThat(groups).hasSize(GroupCommit.MAX_ATTEMPTS);
  }

  @Test
  void aCommitWithAnUnknownOutcomeFailsEveryWriteOfTheGroupWithItsOwnException() throws Exception {
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    SQLException unknown = new SQLException("COMMIT failed in flight", "08007", 0);
    GroupCommit.Runner runner = commitFailing(groups, gate, unknown, GroupCommitTest::allSucceed);

    List<Future<ExecResult>> futures = queueBehindTheFirst(runner, groups, 1, 2);
    gate.countDown();

    futures.get(0).get(30, TimeUnit.SECONDS);
    List<Throwable> failures = new ArrayList<>();
    for (Future<ExecResult> f : futures.subList(1, 3)) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failures.add(e.getCause());
      }
    }
    assertThat(failures)
        .hasSize(2)
        .allSatisfy(e -> assertThat(e).hasMessage("COMMIT failed in flight"));
    assertThat(failures.get(0)).isNotSameAs(failures.get(1));
    assertThat(((SQLException) failures.get(0)).getSQLState()).isEqualTo("08007");
  }

  @Test
  void aCommitRefusedBecauseOfOneWriteRunsEachWriteAlone() throws Exception {
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    SQLException fk = new SQLException("FOREIGN KEY constraint failed", "23000", 787);
    GroupCommit.Runner runner =
        commitFailing(
            groups,
            gate,
            fk,
            alone -> {
              if (value(alone.get(0)) == 2) {
                alone.get(0).failed(fk);
              } else {
                allSucceed(alone);
              }
            });

    List<Future<ExecResult>> futures = queueBehindTheFirst(runner, groups, 1, 2);
    gate.countDown();

    futures.get(0).get(30, TimeUnit.SECONDS);
    assertThat(futures.get(1).get(30, TimeUnit.SECONDS).lastInsertId()).isEqualTo(1);
    assertThatThrownBy(() -> futures.get(2).get(30, TimeUnit.SECONDS))
        .hasMessageContaining("FOREIGN KEY");
    assertThat(groups).containsExactly(List.of(0), List.of(1, 2), List.of(1), List.of(2));
  }

  @Test
  void aWriterThatFindsNoPlaceWithinItsWaitGetsABusyErrorAndLeavesTheQueue() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    GroupCommit.Runner runner = recording(groups, gate, GroupCommitTest::allSucceed);
    Future<ExecResult> first = submit(write(0), runner);
    await().atMost(WAIT).until(() -> groups.size() == 1);

    CompletableFuture<Throwable> late = new CompletableFuture<>();
    pool.submit(
        () -> {
          try {
            commits.submit(write(1), runner, Duration.ofMillis(50));
            late.complete(null);
          } catch (SQLException e) {
            late.complete(e);
          }
        });

    Throwable busy = late.get(30, TimeUnit.SECONDS);
    assertThat(busy).isInstanceOf(SQLException.class).hasMessageContaining("busyTimeout");
    assertThat(((SQLException) busy).getSQLState()).isEqualTo("55006");
    assertThat(commits.waiting()).isZero();
    gate.countDown();
    first.get(30, TimeUnit.SECONDS);
    assertThat(groups).containsExactly(List.of(0));
  }

  @Test
  void anErrorInTheLeaderReachesItsCallerAndTheOtherWritesRunUnderANewLeader() throws Exception {
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    GroupCommit.Runner runner =
        recording(
            groups,
            gate,
            group -> {
              if (value(group.get(0)) == 0) {
                throw new AssertionError("the leader's runner broke");
              }
              allSucceed(group);
            });

    List<Future<ExecResult>> futures = queueBehindTheFirst(runner, groups, 1, 2);
    gate.countDown();

    assertThatThrownBy(() -> futures.get(0).get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(AssertionError.class);
    assertThat(futures.get(1).get(30, TimeUnit.SECONDS).lastInsertId()).isEqualTo(1);
    assertThat(futures.get(2).get(30, TimeUnit.SECONDS).lastInsertId()).isEqualTo(2);
    // Write 0 never ran again after its caller saw the error.
    assertThat(groups).containsExactly(List.of(0), List.of(1, 2));
    assertThat(commits.waiting()).isZero();
  }

  @Test
  void manyWritersOnManyThreadsAllGetTheirOwnResult() throws Exception {
    GroupCommit.Runner runner = GroupCommitTest::allSucceed;
    List<Future<ExecResult>> futures = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      futures.add(submit(write(i), runner));
    }
    for (int i = 0; i < 400; i++) {
      assertThat(futures.get(i).get(30, TimeUnit.SECONDS).lastInsertId()).isEqualTo(i);
    }
    assertThat(commits.waiting()).isZero();
  }
}
