package example.jooq;

import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** jOOQ on dqlite with SQLDialect.SQLITE, behind HikariCP: docs/frameworks.md. */
public class JooqExample {

  static final Table<Record> STOCK = table(name("stock"));
  static final Field<String> ITEM = field(name("stock", "item"), SQLDataType.VARCHAR);
  static final Field<Integer> QUANTITY = field(name("stock", "quantity"), SQLDataType.INTEGER);

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "jdbc:dqlite://127.0.0.1:9001,127.0.0.1:9002/app";
    System.out.println(run(url));
  }

  /** Upserts stock twice, reserves some in a transaction, and reports what is left. */
  public static String run(String url) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(8);
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      DSLContext dsl = DSL.using(dataSource, SQLDialect.SQLITE);
      dsl.createTableIfNotExists(STOCK)
          .column(ITEM, SQLDataType.VARCHAR(100).notNull())
          .column(QUANTITY, SQLDataType.INTEGER.notNull())
          .primaryKey(ITEM)
          .execute();
      for (int delivered : new int[] {10, 5}) {
        dsl.insertInto(STOCK, ITEM, QUANTITY)
            .values("widget", delivered)
            .onConflict(ITEM)
            .doUpdate()
            .set(QUANTITY, QUANTITY.plus(excluded(QUANTITY)))
            .execute();
      }
      // Read, modify, write in one transaction: no retry code needed.
      dsl.transaction(
          tx -> {
            int left =
                tx.dsl()
                    .select(QUANTITY)
                    .from(STOCK)
                    .where(ITEM.eq("widget"))
                    .fetchSingle(QUANTITY);
            tx.dsl().update(STOCK).set(QUANTITY, left - 3).where(ITEM.eq("widget")).execute();
          });
      int left = dsl.select(QUANTITY).from(STOCK).where(ITEM.eq("widget")).fetchSingle(QUANTITY);
      return "jooq: " + left + " widgets in stock";
    }
  }
}
