package io.dqlite.compat.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * One migrator process of {@link FlywayIT}: waits until the common start instant, migrates the
 * database at the URL, and prints {@code applied=N}.
 *
 * <p>Arguments: URL, {@code group} or {@code each} (Flyway's {@code group} setting), start instant
 * in epoch milliseconds.
 */
public final class Migrator {

  private Migrator() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    boolean group = args[1].equals("group");
    long startAt = Long.parseLong(args[2]);
    Flyway flyway =
        Flyway.configure()
            .dataSource(url, null, null)
            .locations("classpath:db/compat")
            .group(group)
            .load();
    long wait = startAt - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait); // a start barrier across processes, bounded by the caller's deadline
    }
    MigrateResult result = flyway.migrate();
    System.out.println("applied=" + result.migrationsExecuted);
  }
}
