package io.dqlite.compat.spring;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * A plain Spring context (no Boot): JdbcTemplate and {@code @Transactional} through {@link
 * DataSourceTransactionManager}, on the {@code dataSource} bean the test registers.
 */
@Configuration
@EnableTransactionManagement
public class SpringConfig {

  @Bean
  public JdbcTemplate jdbcTemplate(DataSource dataSource) {
    return new JdbcTemplate(dataSource);
  }

  @Bean
  public PlatformTransactionManager transactionManager(DataSource dataSource) {
    return new DataSourceTransactionManager(dataSource);
  }

  @Bean
  public AuditLog auditLog(JdbcTemplate jdbc) {
    return new AuditLog(jdbc);
  }

  @Bean
  public Accounts accounts(JdbcTemplate jdbc, AuditLog auditLog) {
    return new Accounts(jdbc, auditLog);
  }
}
