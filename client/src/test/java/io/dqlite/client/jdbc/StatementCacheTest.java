package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatementCacheTest {

  @Test
  void aStatementGivenBackIsTakenAgainForTheSameSql() {
    StatementCache<Integer> cache = new StatementCache<>(2);

    assertThat(cache.take("INSERT INTO t VALUES (?)")).isNull();
    assertThat(cache.offer("INSERT INTO t VALUES (?)", 7)).isEmpty();

    assertThat(cache.take("INSERT INTO t VALUES (?)")).isEqualTo(7);
    assertThat(cache.take("INSERT INTO t VALUES (?)")).as("in use now").isNull();
    assertThat(cache.take("insert into t values (?)")).as("the exact text is the key").isNull();
  }

  @Test
  void theLeastRecentlyUsedIsFinalizedWhenFull() {
    StatementCache<Integer> cache = new StatementCache<>(2);
    cache.offer("a", 1);
    cache.offer("b", 2);
    cache.offer("a", cache.take("a")); // "a" used again: "b" is now the eldest

    assertThat(cache.offer("c", 3)).containsExactly(2);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.take("a")).isEqualTo(1);
    assertThat(cache.take("c")).isEqualTo(3);
  }

  @Test
  void aSecondIdleStatementForTheSameSqlIsFinalized() {
    StatementCache<Integer> cache = new StatementCache<>(4);
    cache.offer("a", 1);

    assertThat(cache.offer("a", 2)).containsExactly(2);
    assertThat(cache.take("a")).isEqualTo(1);
  }

  @Test
  void capacityZeroKeepsNothingAndClearForgetsAll() {
    StatementCache<Integer> off = new StatementCache<>(0);
    assertThat(off.offer("a", 1)).containsExactly(1);
    assertThat(off.size()).isZero();

    StatementCache<Integer> cache = new StatementCache<>(4);
    cache.offer("a", 1);
    cache.offer("b", 2);
    cache.clear();
    assertThat(cache.take("a")).isNull();
    assertThat(cache.size()).isZero();
    assertThatThrownBy(() -> new StatementCache<>(-1)).hasMessageContaining(">= 0");
  }
}
