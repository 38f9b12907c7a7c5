package io.dqlite.flyway;

import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.internal.database.sqlite.SQLiteDatabaseType;

/**
 * Flyway's database plugin for dqlite: {@code Flyway.configure().dataSource("jdbc:dqlite://...")}
 * and {@code flyway migrate} with a {@code jdbc:dqlite:} URL. dqlite runs SQLite's SQL, so
 * everything but the URL, the driver and the product name is Flyway's own SQLite support (its
 * parser, its schema history table in {@code main}, DDL in transactions); this class only makes
 * Flyway pick it for dqlite's driver. Registered through {@code
 * META-INF/services/org.flywaydb.core.extensibility.Plugin}.
 *
 * <p>Concurrent migrators need no lock of Flyway's (SQLite's is a no-op): Flyway runs each
 * migration, with the read of the history table that decides it is pending, in one transaction on
 * one connection; the driver begins it {@code IMMEDIATE}, which takes dqlite's single writer lock
 * before that read, and a second migrator's {@code BEGIN} waits for the lock ({@code busyTimeout})
 * and then reads the history the first one committed. {@link #connectionDefaults} makes both hold
 * for connections Flyway opens from a URL; docs/frameworks.md has the details.
 */
public class DqliteDatabaseType extends SQLiteDatabaseType {

  /** The prefix of every dqlite JDBC URL. */
  public static final String URL_PREFIX = "jdbc:dqlite:";

  /** The driver's class, in the dqlite-client artifact. */
  public static final String DRIVER_CLASS = "io.dqlite.client.jdbc.DqliteDriver";

  /** What {@code DatabaseMetaData.getDatabaseProductName()} answers for dqlite. */
  public static final String PRODUCT_NAME = "dqlite";

  /**
   * Connection properties for the connections Flyway opens from a URL, unless the URL sets them
   * (the driver lets URL values override {@code Properties}): transactions that take the writer
   * lock at {@code BEGIN}, and a {@code BEGIN} that waits up to 10 minutes for a migration of
   * another process to finish instead of the driver's default 5 s.
   */
  public static Map<String, String> connectionDefaults() {
    return Map.of("transactionMode", "IMMEDIATE", "busyTimeout", "600000");
  }

  @Override
  public String getName() {
    return "dqlite";
  }

  @Override
  public boolean handlesJDBCUrl(String url) {
    return url != null && url.startsWith(URL_PREFIX);
  }

  @Override
  public String getDriverClass(String url, ClassLoader classLoader) {
    return DRIVER_CLASS;
  }

  /** Flyway passes the product name with the version appended: {@code "dqlite 3.40"}. */
  @Override
  public boolean handlesDatabaseProductNameAndVersion(
      String databaseProductName, String databaseProductVersion, java.sql.Connection connection) {
    return databaseProductName != null
        && (databaseProductName.equals(PRODUCT_NAME)
            || databaseProductName.startsWith(PRODUCT_NAME + " "));
  }

  @Override
  public void setDefaultConnectionProps(String url, Properties props, ClassLoader classLoader) {
    super.setDefaultConnectionProps(url, props, classLoader);
    connectionDefaults().forEach(props::putIfAbsent);
  }
}
