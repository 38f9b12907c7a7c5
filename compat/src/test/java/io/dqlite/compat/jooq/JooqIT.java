package io.dqlite.compat.jooq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import com.zaxxer.hikari.HikariDataSource;
import io.dqlite.compat.CompatSupport;
import io.dqlite.compat.ReadModifyWriteContract;
import io.dqlite.compat.ThreeNodes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * jOOQ 3.19 with {@code SQLDialect.SQLITE}, behind HikariCP, on a real 3-node cluster: typed
 * queries, an upsert, a rolled-back transaction and a nested one (a savepoint), and the
 * read-modify-write load with and without a leadership handover.
 */
@ExtendWith(ThreeNodes.Extension.class)
class JooqIT extends ReadModifyWriteContract {

  static final Table<Record> BOOK = table(name("book"));
  static final Field<Integer> BOOK_ID = field(name("book", "id"), SQLDataType.INTEGER);
  static final Field<String> TITLE = field(name("book", "title"), SQLDataType.VARCHAR);
  static final Field<BigDecimal> PRICE = field(name("book", "price"), SQLDataType.NUMERIC(10, 2));
  static final Field<Instant> ADDED = field(name("book", "added"), SQLDataType.INSTANT);

  static final Table<Record> COUNTER = table(name("counter"));
  static final Field<Integer> COUNTER_ID = field(name("counter", "id"), SQLDataType.INTEGER);
  static final Field<Long> N = field(name("counter", "n"), SQLDataType.BIGINT);
  static final Table<Record> EVENT = table(name("event"));
  static final Field<Integer> THREAD = field(name("event", "thread"), SQLDataType.INTEGER);
  static final Field<Integer> SEQ = field(name("event", "seq"), SQLDataType.INTEGER);
  static final Field<Instant> AT = field(name("event", "at"), SQLDataType.INSTANT);

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

  private static DSLContext open(String database) {
    HikariDataSource pool = CompatSupport.pool(cluster.url(database));
    cleanup.add(pool);
    return DSL.using(pool, SQLDialect.SQLITE);
  }

  private static DSLContext books(String database) {
    DSLContext dsl = open(database);
    dsl.createTable(BOOK)
        .column(BOOK_ID, SQLDataType.INTEGER.notNull())
        .column(TITLE, SQLDataType.VARCHAR(200).notNull())
        .column(PRICE)
        .column(ADDED)
        .primaryKey(BOOK_ID)
        .execute();
    return dsl;
  }

  @Test
  void typedQueries() {
    DSLContext dsl = books("jooq_typed");
    Instant added = Instant.parse("2026-12-06T09:30:15.250Z");
    dsl.insertInto(BOOK, BOOK_ID, TITLE, PRICE, ADDED)
        .values(1, "SQLite internals", new BigDecimal("39.90"), added)
        .values(2, "Raft in practice", new BigDecimal("24.50"), added.plus(1, ChronoUnit.DAYS))
        .values(3, "Replicated logs", new BigDecimal("12.00"), added.plus(2, ChronoUnit.DAYS))
        .execute();

    Result<Record2<String, BigDecimal>> dear =
        dsl.select(TITLE, PRICE)
            .from(BOOK)
            .where(PRICE.gt(new BigDecimal("20")))
            .orderBy(PRICE.desc())
            .fetch();
    assertThat(dear.getValues(TITLE)).containsExactly("SQLite internals", "Raft in practice");
    assertThat(dear.get(0).value2()).isEqualByComparingTo("39.90");

    Instant read = dsl.select(ADDED).from(BOOK).where(BOOK_ID.eq(1)).fetchSingle(ADDED);
    assertThat(read).isEqualTo(added);
    assertThat(dsl.fetchCount(BOOK, TITLE.like("R%"))).isEqualTo(2);
    assertThat(
            dsl.select(count())
                .from(BOOK)
                .where(ADDED.gt(added))
                .limit(1)
                .offset(0)
                .fetchOne(0, Integer.class))
        .isEqualTo(2);
  }

  @Test
  void upsertInsertsThenUpdates() {
    DSLContext dsl = books("jooq_upsert");
    for (String price : List.of("10.00", "11.50")) {
      int changed =
          dsl.insertInto(BOOK, BOOK_ID, TITLE, PRICE)
              .values(7, "Upserted", new BigDecimal(price))
              .onConflict(BOOK_ID)
              .doUpdate()
              .set(PRICE, excluded(PRICE))
              .execute();
      assertThat(changed).isEqualTo(1);
    }
    assertThat(dsl.fetchCount(BOOK)).isEqualTo(1);
    assertThat(dsl.select(PRICE).from(BOOK).where(BOOK_ID.eq(7)).fetchSingle(PRICE))
        .isEqualByComparingTo("11.50");
    // ON CONFLICT DO NOTHING leaves the row alone.
    assertThat(
            dsl.insertInto(BOOK, BOOK_ID, TITLE)
                .values(7, "Ignored")
                .onConflictDoNothing()
                .execute())
        .isZero();
    assertThat(dsl.select(TITLE).from(BOOK).where(BOOK_ID.eq(7)).fetchSingle(TITLE))
        .isEqualTo("Upserted");
  }

  @Test
  void failedTransactionIsRolledBackAndANestedOneToItsSavepoint() {
    DSLContext dsl = books("jooq_tx");
    assertThatThrownBy(
            () ->
                dsl.transaction(
                    cfg -> {
                      cfg.dsl().insertInto(BOOK, BOOK_ID, TITLE).values(1, "Lost").execute();
                      throw new IllegalStateException("payment declined");
                    }))
        .hasMessageContaining("payment declined");
    assertThat(dsl.fetchCount(BOOK)).isZero();

    dsl.transaction(
        cfg -> {
          cfg.dsl().insertInto(BOOK, BOOK_ID, TITLE).values(2, "Kept").execute();
          assertThatThrownBy(
                  () ->
                      cfg.dsl()
                          .transaction(
                              inner -> {
                                inner
                                    .dsl()
                                    .insertInto(BOOK, BOOK_ID, TITLE)
                                    .values(3, "Undone")
                                    .execute();
                                throw new IllegalStateException("inner fails");
                              }))
              .hasMessageContaining("inner fails");
        });
    assertThat(dsl.select(TITLE).from(BOOK).fetch(TITLE)).containsExactly("Kept");
  }

  @Override
  protected String framework() {
    return "jooq";
  }

  @Override
  protected CompatSupport.Load load(String database, boolean handover) throws Exception {
    DSLContext dsl = open(database);
    dsl.connection(c -> CompatSupport.createCounterTables(c, CompatSupport.THREADS));
    return CompatSupport.load(
        "jOOQ",
        cluster,
        handover,
        database,
        (thread, seq) ->
            dsl.transaction(
                cfg -> {
                  DSLContext tx = cfg.dsl();
                  long mine =
                      tx.select(N).from(COUNTER).where(COUNTER_ID.eq(thread)).fetchSingle(N);
                  long total =
                      tx.select(N)
                          .from(COUNTER)
                          .where(COUNTER_ID.eq(CompatSupport.TOTAL))
                          .fetchSingle(N);
                  tx.update(COUNTER).set(N, mine + 1).where(COUNTER_ID.eq(thread)).execute();
                  tx.update(COUNTER)
                      .set(N, total + 1)
                      .where(COUNTER_ID.eq(CompatSupport.TOTAL))
                      .execute();
                  tx.insertInto(EVENT, THREAD, SEQ, AT)
                      .values(thread, seq, Instant.now())
                      .execute();
                }));
  }
}
