package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WriterQueueTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT * FROM t | false",
        "WITH x AS (SELECT 1) SELECT * FROM x | false",
        "PRAGMA table_info(t) | true",
        "INSERT INTO t VALUES (1) | true",
        "UPDATE t SET a = 1 | true",
        "DELETE FROM t | true",
        "CREATE TABLE u (a) | true",
        "PRAGMA foreign_keys = ON | true",
        "BEGIN | false",
        "BEGIN DEFERRED | false",
        "BEGIN IMMEDIATE | true",
        "begin exclusive transaction | true",
        "COMMIT | false",
        "END | false",
        "ROLLBACK | false",
        "SAVEPOINT a | false",
        "RELEASE a | false",
        "ROLLBACK TO a | false"
      })
  void writesAndWriteLockingBeginsWaitTheirTurn(String sql, boolean needed) {
    assertThat(WriterQueue.needed(SqlScript.split(sql).get(0))).isEqualTo(needed);
  }

  @Test
  void sameNodesInAnyOrderAndSameDatabaseShareOneQueue() {
    WriterQueue a = WriterQueue.shared(List.of("n1:9001", "n2:9001"), "app");

    assertThat(WriterQueue.shared(List.of("n2:9001", "n1:9001"), "app")).isSameAs(a);
    assertThat(WriterQueue.shared(List.of("n1:9001", "n2:9001"), "other")).isNotSameAs(a);
    assertThat(WriterQueue.shared(List.of("n1:9001"), "app")).isNotSameAs(a);
    assertThat(a.name()).isEqualTo("n1:9001,n2:9001/app");
  }

  private static SqlScript.Statement sql(String text) {
    return SqlScript.split(text).get(0);
  }

  @Test
  void aTransactionKeepsItsTurnFromItsFirstWriteToItsEnd() throws Exception {
    WriterQueue queue = new WriterQueue("t");
    WriterQueue.Turn turn = new WriterQueue.Turn(queue);

    turn.await(sql("SELECT 1"), Duration.ZERO);
    turn.await(sql("BEGIN DEFERRED"), Duration.ZERO);
    assertThat(turn.held()).isFalse();
    turn.await(sql("INSERT INTO t VALUES (1)"), Duration.ZERO);
    assertThat(turn.held()).isTrue();
    turn.await(sql("UPDATE t SET a = 2"), Duration.ZERO); // held already: no second permit
    turn.endUnless(true);
    assertThat(queue.acquire(Duration.ZERO)).as("still held by the open transaction").isFalse();

    turn.endUnless(false);
    assertThat(turn.held()).isFalse();
    assertThat(queue.acquire(Duration.ZERO)).isTrue();
  }

  @Test
  void aSecondConnectionThatCannotGetTheTurnFailsAsBusy() throws Exception {
    WriterQueue queue = new WriterQueue("n1:9001/app");
    WriterQueue.Turn first = new WriterQueue.Turn(queue);
    WriterQueue.Turn second = new WriterQueue.Turn(queue);
    // The first connection took its turn on another thread.
    CompletableFuture.runAsync(
            () -> {
              try {
                first.await(sql("DELETE FROM t"), Duration.ZERO);
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            })
        .get(30, TimeUnit.SECONDS);

    assertThatThrownBy(() -> second.await(sql("DELETE FROM t"), Duration.ofMillis(10)))
        .isInstanceOf(SQLTransientException.class)
        .hasMessageContaining("writer queue of n1:9001/app")
        .hasMessageContaining("10 ms (busyTimeout)")
        .satisfies(
            e -> {
              assertThat(((SQLException) e).getSQLState()).isEqualTo("55006");
              assertThat(DqliteSqlState.isRetryable(e)).isTrue();
            });
    assertThat(second.held()).isFalse();
  }

  @Test
  void aSecondConnectionOfTheThreadHoldingTheTurnFailsAtOnce() throws Exception {
    WriterQueue queue = new WriterQueue("n1:9001/app");
    WriterQueue.Turn outer = new WriterQueue.Turn(queue);
    WriterQueue.Turn inner = new WriterQueue.Turn(queue);
    outer.await(sql("BEGIN IMMEDIATE"), Duration.ZERO);

    // Not after busyTimeout (30 s here): only the outer transaction can give the turn back.
    assertThatThrownBy(() -> inner.await(sql("INSERT INTO t VALUES (1)"), Duration.ofSeconds(30)))
        .isInstanceOf(SQLFeatureNotSupportedException.class)
        .isNotInstanceOf(SQLTransientException.class)
        .hasMessageContaining("this thread already holds the writer queue of n1:9001/app")
        .hasMessageContaining("REQUIRES_NEW")
        .hasMessageContaining("Retrying cannot help")
        .satisfies(
            e -> {
              assertThat(((SQLException) e).getSQLState()).isEqualTo("25001");
              assertThat(DqliteSqlState.isRetryable(e)).isFalse();
            });
    assertThat(inner.held()).isFalse();
    inner.await(sql("SELECT 1"), Duration.ZERO); // reads never wait

    outer.endUnless(false);
    inner.await(sql("INSERT INTO t VALUES (1)"), Duration.ZERO);
    assertThat(inner.held()).isTrue();
    inner.endUnless(false);
  }

  @Test
  void withoutAQueueNothingWaits() throws Exception {
    WriterQueue.Turn turn = new WriterQueue.Turn(null);

    turn.await(sql("BEGIN IMMEDIATE"), Duration.ZERO);
    turn.await(sql("INSERT INTO t VALUES (1)"), Duration.ZERO);
    turn.endUnless(false);

    assertThat(turn.held()).isFalse();
  }

  @Test
  void aWriterThatDoesNotGetItsTurnInTimeGivesUp() throws InterruptedException {
    WriterQueue queue = new WriterQueue("t");
    assertThat(queue.acquire(Duration.ZERO)).isTrue();

    assertThat(queue.acquire(Duration.ZERO)).isFalse();
    assertThat(queue.acquire(Duration.ofMillis(20))).isFalse();

    queue.release();
    assertThat(queue.acquire(Duration.ZERO)).isTrue();
  }

  @Test
  void turnsAreHandedOnInArrivalOrderAndMayBeReleasedByAnotherThread() throws Exception {
    WriterQueue queue = new WriterQueue("t");
    assertThat(queue.acquire(Duration.ZERO)).isTrue();
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      int id = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  if (queue.acquire(Duration.ofSeconds(30))) {
                    order.add(id);
                    queue.release();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      threads.add(t);
      t.start();
      // The next writer arrives only once this one waits, so arrival order is known.
      await().atMost(Duration.ofSeconds(10)).until(() -> queue.waiting() == id + 1);
    }

    Thread releaser = new Thread(queue::release);
    releaser.start();
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(30).toMillis());
    }
    releaser.join();

    assertThat(order).containsExactly(0, 1, 2, 3);
    assertThat(queue.acquire(Duration.ZERO)).isTrue();
  }
}
