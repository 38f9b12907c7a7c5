package example.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring's JdbcTemplate and {@code @Transactional} (DataSourceTransactionManager, no Boot) on
 * dqlite, behind HikariCP: docs/frameworks.md.
 */
public class SpringExample {

  /** The context: a pool, JdbcTemplate, the transaction manager and the service. */
  @Configuration
  @EnableTransactionManagement
  public static class Config {
    static String url;

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource() {
      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl(url);
      pool.setMaximumPoolSize(8);
      return new HikariDataSource(pool);
    }

    @Bean
    public JdbcTemplate jdbcTemplate(DataSource dataSource) {
      return new JdbcTemplate(dataSource);
    }

    @Bean
    public PlatformTransactionManager transactionManager(DataSource dataSource) {
      return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    public Visits visits(JdbcTemplate jdbc) {
      return new Visits(jdbc);
    }
  }

  /** A service with a read-modify-write transaction and a read-only one. */
  public static class Visits {
    private final JdbcTemplate jdbc;

    public Visits(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @Transactional
    public void record(String page) {
      jdbc.execute("CREATE TABLE IF NOT EXISTS visits (page TEXT PRIMARY KEY, n INTEGER NOT NULL)");
      Integer n =
          jdbc.query(
              "SELECT n FROM visits WHERE page = ?", rs -> rs.next() ? rs.getInt(1) : null, page);
      if (n == null) {
        jdbc.update("INSERT INTO visits VALUES (?, 1)", page);
      } else {
        jdbc.update("UPDATE visits SET n = ? WHERE page = ?", n + 1, page);
      }
    }

    /** Read-only: runs beside writers, never waits for the writer turn. */
    @Transactional(readOnly = true)
    public int count(String page) {
      return jdbc.queryForObject("SELECT n FROM visits WHERE page = ?", Integer.class, page);
    }
  }

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "jdbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/app";
    System.out.println(run(url));
  }

  /** Records three visits and reports the count. */
  public static String run(String url) {
    Config.url = url;
    try (AnnotationConfigApplicationContext ctx =
        new AnnotationConfigApplicationContext(Config.class)) {
      Visits visits = ctx.getBean(Visits.class);
      for (int i = 0; i < 3; i++) {
        visits.record("/home");
      }
      return "spring: /home visited " + visits.count("/home") + " times";
    }
  }
}
