package io.dqlite.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.leader.NoLeaderException;
import io.dqlite.client.protocol.ProtocolException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DqliteExceptionTest {

  static Stream<Arguments> classification() {
    // exception, leadershipLost, busy, constraint, connectionBroken, retryable
    return Stream.of(
        Arguments.of(failure(10250), true, false, false, true, true),
        Arguments.of(failure(10506), true, false, false, true, true),
        Arguments.of(failure(8202), true, false, false, true, true),
        Arguments.of(failure(8458), true, false, false, true, true),
        Arguments.of(failure(5), false, true, false, false, true),
        Arguments.of(failure(5 | (1 << 8)), false, true, false, false, true),
        Arguments.of(failure(6), false, true, false, false, true),
        Arguments.of(failure(19), false, false, true, false, false),
        Arguments.of(failure(2067), false, false, true, false, false), // SQLITE_CONSTRAINT_UNIQUE
        Arguments.of(failure(1), false, false, false, false, false),
        Arguments.of(failure(10), false, false, false, false, false),
        Arguments.of(
            new DqliteConnectionException("x", "a:1", null), false, false, false, true, true),
        Arguments.of(new DqliteTimeoutException("x", "a:1", null), false, false, false, true, true),
        Arguments.of(new ProtocolException("x", "a:1"), false, false, false, true, true),
        Arguments.of(new NoLeaderException("x", List.of(), null), false, false, false, true, true));
  }

  private static DqliteException failure(long code) {
    return new DqliteException(code, "failed", "a:1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classification")
  void classifies(
      DqliteException e,
      boolean leadershipLost,
      boolean busy,
      boolean constraint,
      boolean broken,
      boolean retryable) {
    assertThat(e.isLeadershipLost()).as("leadership lost").isEqualTo(leadershipLost);
    assertThat(e.isBusy()).as("busy").isEqualTo(busy);
    assertThat(e.isConstraintViolation()).as("constraint").isEqualTo(constraint);
    assertThat(e.isConnectionBroken()).as("connection broken").isEqualTo(broken);
    assertThat(e.isRetryable()).as("retryable").isEqualTo(retryable);
  }

  @ParameterizedTest(name = "code {0} has primary {1}")
  @org.junit.jupiter.params.provider.CsvSource({"10250, 10", "2067, 19", "5, 5", "1001, 233"})
  void primaryCodeIsTheLowByte(long code, int primary) {
    assertThat(failure(code).primaryCode()).isEqualTo(primary);
  }
}
