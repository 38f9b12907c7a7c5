package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Found by HostileNodeJdbcFuzzTest: the parameter count a node reports for a prepared statement (a
 * uint64) sized an array unchecked, so a lying node made prepareStatement throw
 * ArithmeticException, or allocate an array of up to 2^31 slots.
 */
class ParameterCountTest {

  @Test
  void countsSqliteCanHaveAreTaken() throws SQLException {
    assertThat(DqlitePreparedStatement.parameterCount(0, "SELECT 1")).isZero();
    assertThat(DqlitePreparedStatement.parameterCount(32766, "SELECT ?")).isEqualTo(32766);
  }

  @Test
  void aCountBeyondSqlitesLimitIsABrokenAnswer() {
    for (long lie : new long[] {32767, Integer.MAX_VALUE, 1L << 40, -1}) {
      assertThatThrownBy(() -> DqlitePreparedStatement.parameterCount(lie, "SELECT ?"))
          .isInstanceOf(SQLException.class)
          .hasFieldOrPropertyWithValue("SQLState", "54000")
          .hasMessageContaining("reports " + Long.toUnsignedString(lie) + " parameters")
          .hasMessageContaining("SELECT ?");
    }
  }
}
