package io.dqlite.client.jdbc;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * {@link Wrapper} for the driver's JDBC objects: none wraps another object, so each unwraps only to
 * the interfaces and classes it is itself ({@code unwrap(DqliteConnection.class)} and so on).
 */
interface SelfWrapper extends Wrapper {

  @Override
  default <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException(
        getClass().getSimpleName() + " is not a wrapper for " + iface.getName(),
        DqliteSqlState.GENERAL_ERROR.state());
  }

  @Override
  default boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
