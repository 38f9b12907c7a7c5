package example.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway on dqlite: with dqlite-flyway on the class path, a {@code jdbc:dqlite:} URL is all it
 * takes (docs/frameworks.md). Safe to run from every replica of an application at once.
 */
public class FlywayExample {

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "jdbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/app";
    System.out.println(run(url));
  }

  /** Migrates with the scripts in db/example and reports what it did. */
  public static String run(String url) {
    Flyway flyway =
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/example").load();
    MigrateResult result = flyway.migrate();
    return "flyway: applied "
        + result.migrationsExecuted
        + " migrations, schema at version "
        + flyway.info().current().getVersion();
  }
}
