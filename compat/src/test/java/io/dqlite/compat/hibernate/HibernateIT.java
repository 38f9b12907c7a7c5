package io.dqlite.compat.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.dqlite.compat.CompatSupport;
import io.dqlite.compat.ReadModifyWriteContract;
import io.dqlite.compat.ThreeNodes;
import jakarta.persistence.OptimisticLockException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.Session;
import org.hibernate.SessionEventListener;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hibernate ORM 7 with the community SQLiteDialect, behind HikariCP, on a real 3-node cluster:
 * value types, JPQL with joins, pagination and a bulk update, optimistic locking, batch inserts,
 * and the read-modify-write load with and without a leadership handover.
 */
@ExtendWith(ThreeNodes.Extension.class)
class HibernateIT extends ReadModifyWriteContract {

  private static final List<AutoCloseable> cleanup = new ArrayList<>();
  private static ThreeNodes cluster;

  @BeforeAll
  static void cluster(ThreeNodes nodes) {
    cluster = nodes;
  }

  @AfterAll
  static void close() throws Exception {
    CompatSupport.closeAll(cleanup);
  }

  /** The settings docs/frameworks.md gives, on a HikariCP pool of the database. */
  static SessionFactory sessionFactory(HikariDataSource pool) {
    StandardServiceRegistry registry =
        new StandardServiceRegistryBuilder()
            .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, pool)
            .applySetting(
                AvailableSettings.DIALECT, "org.hibernate.community.dialect.SQLiteDialect")
            .applySetting(AvailableSettings.HBM2DDL_AUTO, "create")
            // Hibernate 7.4.16 drops the identity column's type otherwise (its bug).
            .applySetting("hibernate.column_ordering_strategy", "legacy")
            .applySetting(AvailableSettings.STATEMENT_BATCH_SIZE, 50)
            .applySetting(AvailableSettings.ORDER_INSERTS, true)
            .applySetting(AvailableSettings.ORDER_UPDATES, true)
            .build();
    return new MetadataSources(registry)
        .addAnnotatedClasses(
            Customer.class, PurchaseOrder.class, Reading.class, Counter.class, Event.class)
        .buildMetadata()
        .buildSessionFactory();
  }

  private static SessionFactory open(String database) {
    HikariDataSource pool = CompatSupport.pool(cluster.url(database));
    cleanup.add(pool);
    SessionFactory sf = sessionFactory(pool);
    cleanup.add(sf);
    return sf;
  }

  @Test
  void valueTypesRoundTrip() {
    SessionFactory sf = open("hibernate_types");
    Instant created = Instant.parse("2026-12-06T10:15:30.123456Z");
    LocalDateTime seen = LocalDateTime.of(2026, 12, 6, 11, 0, 1, 500_000_000);
    byte[] avatar = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    Long id =
        sf.fromTransaction(
            s -> {
              Customer c = new Customer("Ada", created, seen, new BigDecimal("12345.6789"), avatar);
              s.persist(c);
              return c.id;
            });
    Customer read = sf.fromTransaction(s -> s.find(Customer.class, id));
    assertThat(read.name).isEqualTo("Ada");
    assertThat(read.createdAt).isEqualTo(created.truncatedTo(ChronoUnit.MICROS));
    assertThat(read.lastSeen).isEqualTo(seen);
    assertThat(read.balance).isEqualByComparingTo("12345.6789");
    assertThat(read.avatar).containsExactly(avatar);
    assertThat(read.version).isZero();
  }

  @Test
  void jpqlJoinsPaginationAndBulkUpdate() {
    SessionFactory sf = open("hibernate_jpql");
    sf.inTransaction(
        s -> {
          for (String name : List.of("Ada", "Bob", "Cy")) {
            Customer c =
                new Customer(name, Instant.now(), LocalDateTime.now(), BigDecimal.ZERO, null);
            s.persist(c);
            for (int i = 1; i <= 5; i++) {
              s.persist(new PurchaseOrder(c, name + "-item-" + i, new BigDecimal(i * 10 + ".50")));
            }
          }
        });
    List<String> page =
        sf.fromTransaction(
            s ->
                s.createSelectionQuery(
                        "select o.item from PurchaseOrder o join o.customer c"
                            + " where c.name = :name order by o.amount desc",
                        String.class)
                    .setParameter("name", "Bob")
                    .setFirstResult(1)
                    .setMaxResults(2)
                    .getResultList());
    assertThat(page).containsExactly("Bob-item-4", "Bob-item-3");

    List<Object[]> totals =
        sf.fromTransaction(
            s ->
                s.createSelectionQuery(
                        "select c.name, count(o), sum(o.amount) from PurchaseOrder o"
                            + " join o.customer c group by c.name order by c.name",
                        Object[].class)
                    .getResultList());
    assertThat(totals).hasSize(3);
    assertThat(totals.get(0)[0]).isEqualTo("Ada");
    assertThat(totals.get(0)[1]).isEqualTo(5L);
    assertThat(new BigDecimal(totals.get(0)[2].toString())).isEqualByComparingTo("152.50");

    List<PurchaseOrder> fetched =
        sf.fromTransaction(
            s ->
                s.createSelectionQuery(
                        "from PurchaseOrder o join fetch o.customer where o.item like 'Cy%'"
                            + " order by o.id",
                        PurchaseOrder.class)
                    .getResultList());
    assertThat(fetched).hasSize(5).allMatch(o -> o.customer.name.equals("Cy"));

    int shipped =
        sf.fromTransaction(
            s ->
                s.createMutationQuery(
                        "update PurchaseOrder o set o.status = 'SHIPPED' where o.amount > :min")
                    .setParameter("min", new BigDecimal("30"))
                    .executeUpdate());
    assertThat(shipped).as("3 of 5 orders per customer over 30").isEqualTo(9);
    Long count =
        sf.fromTransaction(
            s ->
                s.createSelectionQuery(
                        "select count(o) from PurchaseOrder o where o.status = 'SHIPPED'",
                        Long.class)
                    .getSingleResult());
    assertThat(count).isEqualTo(9L);
  }

  @Test
  void staleUpdateRaisesOptimisticLockException() {
    SessionFactory sf = open("hibernate_version");
    Long id =
        sf.fromTransaction(
            s -> {
              Customer c = new Customer("Ada", Instant.now(), null, BigDecimal.ONE, null);
              s.persist(c);
              return c.id;
            });
    // Two users load the same customer; the first saves, the second saves what it read.
    Customer first = sf.fromTransaction(s -> s.find(Customer.class, id));
    Customer second = sf.fromTransaction(s -> s.find(Customer.class, id));
    first.balance = new BigDecimal("2");
    sf.inTransaction(s -> s.merge(first));
    second.balance = new BigDecimal("3");
    assertThatThrownBy(() -> sf.inTransaction(s -> s.merge(second)))
        .isInstanceOf(OptimisticLockException.class);
    Customer now = sf.fromTransaction(s -> s.find(Customer.class, id));
    assertThat(now.balance).isEqualByComparingTo("2");
    assertThat(now.version).isEqualTo(1);
  }

  @Test
  void insertsAreSentInJdbcBatches() {
    SessionFactory sf = open("hibernate_batch");
    AtomicInteger batches = new AtomicInteger();
    try (Session s =
        sf.withOptions()
            .eventListeners(
                new SessionEventListener() {
                  @Override
                  public void jdbcExecuteBatchStart() {
                    batches.incrementAndGet();
                  }
                })
            .openSession()) {
      s.getTransaction().begin();
      for (int i = 0; i < 500; i++) {
        s.persist(new Reading(i, i * 0.5));
      }
      s.getTransaction().commit();
    }
    assertThat(batches.get()).as("JDBC batches of 50").isEqualTo(10);
    Long count =
        sf.fromTransaction(
            s ->
                s.createSelectionQuery("select count(r) from Reading r", Long.class)
                    .getSingleResult());
    assertThat(count).isEqualTo(500L);
  }

  @Override
  protected String framework() {
    return "hibernate";
  }

  @Override
  protected CompatSupport.Load load(String database, boolean handover) throws Exception {
    SessionFactory sf = open(database);
    sf.inTransaction(
        s -> {
          for (int t = 0; t < CompatSupport.THREADS; t++) {
            s.persist(new Counter(t));
          }
          s.persist(new Counter(CompatSupport.TOTAL));
        });
    return CompatSupport.load(
        "Hibernate",
        cluster,
        handover,
        database,
        (thread, seq) ->
            sf.inTransaction(
                s -> {
                  Counter mine = s.find(Counter.class, thread);
                  Counter total = s.find(Counter.class, CompatSupport.TOTAL);
                  mine.n++;
                  total.n++;
                  s.persist(new Event(thread, seq, Instant.now()));
                }));
  }
}
