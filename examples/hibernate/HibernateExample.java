package example.hibernate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

/** Hibernate ORM 7 on dqlite, behind HikariCP: the settings of docs/frameworks.md. */
public class HibernateExample {

  /** A versioned entity. */
  @Entity(name = "Account")
  public static class Account {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    String owner;
    BigDecimal balance;
    Instant opened;
    @Version long version;
  }

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "jdbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/app";
    System.out.println(run(url));
  }

  /** Opens an account, deposits in a second transaction, and reports the balance. */
  public static String run(String url) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(8);
    try (HikariDataSource dataSource = new HikariDataSource(pool);
        SessionFactory sessions =
            new MetadataSources(
                    new StandardServiceRegistryBuilder()
                        .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                        .applySetting(
                            AvailableSettings.DIALECT,
                            "org.hibernate.community.dialect.SQLiteDialect")
                        // Hibernate 7.4.16 omits the identity column's type without it.
                        .applySetting("hibernate.column_ordering_strategy", "legacy")
                        .applySetting(AvailableSettings.STATEMENT_BATCH_SIZE, 50)
                        .applySetting(AvailableSettings.HBM2DDL_AUTO, "update")
                        .build())
                .addAnnotatedClass(Account.class)
                .buildMetadata()
                .buildSessionFactory()) {
      Long id =
          sessions.fromTransaction(
              s -> {
                Account a = new Account();
                a.owner = "ada";
                a.balance = new BigDecimal("100.00");
                a.opened = Instant.now();
                s.persist(a);
                return a.id;
              });
      // Read, modify, write: the transaction takes the writer turn at BEGIN, no retry code.
      sessions.inTransaction(
          s -> {
            Account a = s.find(Account.class, id);
            a.balance = a.balance.add(new BigDecimal("25.50"));
          });
      Account a = sessions.fromTransaction(s -> s.find(Account.class, id));
      return "hibernate: account "
          + id
          + " of "
          + a.owner
          + " holds "
          + a.balance
          + " (version "
          + a.version
          + ")";
    }
  }
}
