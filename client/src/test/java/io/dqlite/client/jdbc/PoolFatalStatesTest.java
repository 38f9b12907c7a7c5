package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.DqliteException;
import java.lang.reflect.Field;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SQLSTATEs (and vendor codes) that make HikariCP evict a connection, read from HikariCP's own
 * {@code ProxyConnection} (the test dependency, 7.1.0), against the states this driver raises. Only
 * a state that says the connection is gone or closed may be one of them: a healthy connection that
 * answers an unsupported call must stay in the pool.
 */
class PoolFatalStatesTest {

  private static Set<Object> hikariStates;
  private static Set<Object> hikariCodes;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void readHikari() throws Exception {
    Class<?> proxy = Class.forName("com.zaxxer.hikari.pool.ProxyConnection");
    hikariStates = (Set<Object>) staticField(proxy, "ERROR_STATES");
    hikariCodes = (Set<Object>) staticField(proxy, "ERROR_CODES");
  }

  private static Object staticField(Class<?> type, String name) throws Exception {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(null);
  }

  /** HikariCP 7.1.0's rule: a state starting with 08, or one of its list, or a listed code. */
  private static boolean evicts(String state, int code) {
    return (state != null && state.startsWith("08"))
        || hikariStates.contains(state)
        || hikariCodes.contains(code);
  }

  @Test
  void hikariListIsTheOneTheseChoicesWereMadeAgainst() {
    assertThat(hikariStates)
        .containsExactlyInAnyOrder("0A000", "57P01", "57P02", "57P03", "01002", "JZ0C0", "JZ0C1");
    assertThat(hikariCodes).containsExactlyInAnyOrder(500150, 2399, 1105);
  }

  /**
   * Each state, and whether the connection that raised it is unusable (then eviction is right).
   * UNABLE_TO_CONNECT: no leader reached, the connection holds no link. The 08006/08007 states: the
   * protocol connection was dropped, and the pool replacing it costs what the driver's own
   * reconnect would. Every other state is raised by a connection that goes on working.
   */
  private static final Map<DqliteSqlState, Boolean> UNUSABLE = new EnumMap<>(DqliteSqlState.class);

  static {
    for (DqliteSqlState s : DqliteSqlState.values()) {
      UNUSABLE.put(s, false);
    }
    UNUSABLE.put(DqliteSqlState.UNABLE_TO_CONNECT, true);
    UNUSABLE.put(DqliteSqlState.CONNECTION_DOES_NOT_EXIST, true);
    UNUSABLE.put(DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN, true);
    UNUSABLE.put(DqliteSqlState.CONNECTION_FAILURE, true);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(DqliteSqlState.class)
  void onlyStatesOfUnusableConnectionsMakeThePoolEvict(DqliteSqlState state) {
    assertThat(evicts(state.state(), 0)).as(state.state()).isEqualTo(UNUSABLE.get(state));
  }

  /** SQLite's result codes, extended ones included, never collide with Hikari's vendor codes. */
  @Test
  void noSqliteResultCodeIsAFatalVendorCode() {
    // SQLite's primary codes are 0 to 28, 100 and 101; extended codes add (n << 8).
    for (int primary :
        java.util.stream.IntStream.concat(
                java.util.stream.IntStream.rangeClosed(0, 28),
                java.util.stream.IntStream.of(100, 101))
            .toArray()) {
      for (int ext = 0; ext < 64; ext++) {
        int code = primary | (ext << 8);
        DqliteSqlState state = SqlErrors.stateFor(code, "x");
        if (state.state().startsWith("08")) {
          continue; // leadership codes: the connection was dropped
        }
        SQLException e = SqlErrors.from(new DqliteException(code, "x", "n1"), null);
        assertThat(evicts(e.getSQLState(), e.getErrorCode()))
            .as("code %d -> %s", code, e.getSQLState())
            .isFalse();
      }
    }
  }

  /** Calls on a healthy connection that JDBC lets a driver refuse, and what they raise. */
  @Test
  void unsupportedCallsOnAnOpenConnectionAreNotFatal() throws Exception {
    SQLFeatureNotSupportedException e = SqlErrors.unsupported("stored procedures");
    assertThat(e.getSQLState()).isEqualTo("HYC00");
    assertThat(evicts(e.getSQLState(), e.getErrorCode())).isFalse();
  }

  @Test
  void closedConnectionsStillSayConnectionDoesNotExist() {
    SQLException e = SqlErrors.closed("connection");
    assertThat(evicts(e.getSQLState(), e.getErrorCode())).isTrue();
  }
}
