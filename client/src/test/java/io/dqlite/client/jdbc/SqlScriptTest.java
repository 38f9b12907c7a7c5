package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.jdbc.SqlScript.Kind;
import io.dqlite.client.jdbc.SqlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlScriptTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT 1                                      | QUERY",
        "  select * from t                             | QUERY",
        "-- comment\\n/* more */ SELECT 1              | QUERY",
        "VALUES (1),(2)                                | QUERY",
        "EXPLAIN QUERY PLAN SELECT 1                   | QUERY",
        "WITH x AS (SELECT 1) SELECT * FROM x          | QUERY",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x | UPDATE",
        "PRAGMA table_info(t)                          | QUERY",
        "PRAGMA foreign_keys = ON                      | PRAGMA_SET",
        "INSERT INTO t VALUES (1)                      | UPDATE",
        "CREATE TABLE t (a)                            | UPDATE",
        "BEGIN                                         | BEGIN",
        "begin immediate transaction                   | BEGIN",
        "COMMIT                                        | COMMIT",
        "END TRANSACTION                               | COMMIT",
        "ROLLBACK                                      | ROLLBACK",
        "ROLLBACK TRANSACTION TO SAVEPOINT s1          | ROLLBACK_TO",
        "SAVEPOINT s1                                  | SAVEPOINT",
        "RELEASE SAVEPOINT s1                          | RELEASE",
      })
  void classifiesStatements(String sql, Kind kind) {
    assertThat(SqlScript.kindOf(sql.replace("\\n", "\n"))).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "PRAGMA foreign_keys = ON                 | true",
        "pragma recursive_triggers=1              | true",
        "ATTACH DATABASE 'x' AS x                 | true",
        "DETACH x                                 | true",
        "CREATE TEMP TABLE scratch (a)            | true",
        "create temporary view v AS SELECT 1      | true",
        "CREATE TEMP TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; END | true",
        "CREATE TABLE temp_data (a)               | false",
        "PRAGMA table_info(t)                     | false",
        "INSERT INTO temp VALUES (1)              | false",
        "SELECT 1                                 | false",
      })
  void tellsStatementsThatChangeTheConnectionsOwnState(String sql, boolean sessionState) {
    assertThat(SqlScript.split(sql).get(0).sessionState()).isEqualTo(sessionState);
  }

  @Test
  void splitsOnSemicolonsOutsideQuotesAndComments() {
    List<Statement> statements =
        SqlScript.split(
            "INSERT INTO t VALUES ('a;b', \"c;d\", [e;f], `g;h`); -- x; y\n"
                + "/* ; */ SELECT ';' ;; ;\n"
                + "UPDATE t SET a = 'it''s; fine'");

    assertThat(statements)
        .extracting(Statement::sql)
        .containsExactly(
            "INSERT INTO t VALUES ('a;b', \"c;d\", [e;f], `g;h`)",
            "-- x; y\n/* ; */ SELECT ';'",
            "UPDATE t SET a = 'it''s; fine'");
    assertThat(statements)
        .extracting(Statement::kind)
        .containsExactly(Kind.UPDATE, Kind.QUERY, Kind.UPDATE);
  }

  @Test
  void keepsTriggerBodiesWholeIncludingCaseExpressions() {
    String trigger =
        "CREATE TEMP TRIGGER trg AFTER INSERT ON t BEGIN\n"
            + "  UPDATE t SET a = CASE WHEN new.a > 1 THEN 1 ELSE 0 END;\n"
            + "  INSERT INTO log VALUES (new.a);\n"
            + "END";

    List<Statement> statements = SqlScript.split(trigger + "; SELECT 1;");

    assertThat(statements).extracting(Statement::sql).containsExactly(trigger, "SELECT 1");
  }

  @Test
  void commentsOnlyScriptHasNoStatements() {
    assertThat(SqlScript.split("  -- nothing\n /* at all */ ; ")).isEmpty();
  }

  @Test
  void savepointNamesAreUnquotedAndLowerCased() {
    assertThat(SqlScript.split("SAVEPOINT \"Sp1\"").get(0).savepoint()).isEqualTo("sp1");
    assertThat(SqlScript.split("RELEASE Sp1").get(0).savepoint()).isEqualTo("sp1");
  }

  @Test
  void detectsReturningClauses() {
    assertThat(SqlScript.split("INSERT INTO t VALUES (1) RETURNING id").get(0).returning())
        .isTrue();
    assertThat(SqlScript.split("INSERT INTO t VALUES ('returning')").get(0).returning()).isFalse();
    assertThat(SqlScript.split("INSERT INTO returning_log VALUES (1)").get(0).returning())
        .isFalse();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "select last_insert_rowid()                 | last_insert_rowid()",
        "SELECT LAST_INSERT_ROWID()                 | LAST_INSERT_ROWID()",
        "  SELECT last_insert_rowid ( ) ;           | last_insert_rowid ( )",
        "SELECT last_insert_rowid() AS id           | null",
        "SELECT last_insert_rowid(), 1              | null",
        "SELECT last_insert_rowid() FROM t          | null",
        "SELECT 'last_insert_rowid()'               | null",
        "SELECT max(id) FROM t                      | null",
        "INSERT INTO t VALUES (last_insert_rowid()) | null",
      })
  void lastInsertRowidIsRecognisedOnlyBare(String sql, String label) {
    assertThat(SqlScript.split(sql).get(0).lastInsertRowidLabel()).isEqualTo(label);
  }
}
