package io.dqlite.client.jdbc;

import static java.sql.DatabaseMetaData.columnNoNulls;
import static java.sql.DatabaseMetaData.columnNullable;
import static java.sql.DatabaseMetaData.importedKeyCascade;
import static java.sql.DatabaseMetaData.importedKeyNoAction;
import static java.sql.DatabaseMetaData.importedKeyNotDeferrable;
import static java.sql.DatabaseMetaData.importedKeyRestrict;
import static java.sql.DatabaseMetaData.importedKeySetDefault;
import static java.sql.DatabaseMetaData.importedKeySetNull;
import static java.sql.DatabaseMetaData.tableIndexOther;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The catalogue queries behind {@link DqliteDatabaseMetaData}: SQLite's {@code sqlite_master} and
 * table-valued pragmas read through the connection itself (so on the leader, like any query), each
 * answered as rows in the column order of {@link MetaDataColumns}.
 */
final class CatalogQueries {

  private final Connection connection;

  CatalogQueries(Connection connection) {
    this.connection = connection;
  }

  /** The SQLite version the leader runs, e.g. {@code 3.40.1}. */
  String sqliteVersion() throws SQLException {
    return Conversions.toText(query("SELECT sqlite_version()").get(0)[0]);
  }

  List<Object[]> tables(String tableNamePattern, String[] types) throws SQLException {
    List<String> wanted = types == null ? null : Arrays.asList(types);
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r :
        query(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
                + " AND name LIKE ? ESCAPE '\\' ORDER BY name",
            pattern(tableNamePattern))) {
      String name = (String) r[0];
      String type =
          name.startsWith("sqlite_") ? "SYSTEM TABLE" : r[1].equals("view") ? "VIEW" : "TABLE";
      if (wanted == null || wanted.contains(type)) {
        rows.add(new Object[] {null, null, name, type, null, null, null, null, null, null});
      }
    }
    rows.sort((a, b) -> ((String) a[3] + a[2]).compareTo((String) b[3] + b[2]));
    return rows;
  }

  List<Object[]> columns(String tableNamePattern, String columnNamePattern) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r :
        query(
            "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk,"
                + " (SELECT count(*) FROM pragma_table_info(m.name) WHERE pk > 0)"
                + " FROM sqlite_master m JOIN pragma_table_info(m.name) p"
                + " WHERE m.type IN ('table', 'view') AND m.name LIKE ? ESCAPE '\\'"
                + " AND p.name LIKE ? ESCAPE '\\' ORDER BY m.name, p.cid",
            pattern(tableNamePattern),
            pattern(columnNamePattern))) {
      String declared = r[3] == null ? "" : (String) r[3];
      boolean notNull = Conversions.toBoolean(r[4]);
      boolean rowidAlias =
          Conversions.toLong(r[6]) == 1
              && Conversions.toLong(r[7]) == 1
              && declared.equalsIgnoreCase("INTEGER");
      rows.add(
          new Object[] {
            null,
            null,
            r[0],
            r[2],
            (long) TypeNames.sqlTypeOfDeclared(declared),
            declared.isEmpty() ? "BLOB" : declared,
            2_000_000_000L,
            null,
            10L,
            10L,
            (long) (notNull || rowidAlias ? columnNoNulls : columnNullable),
            null,
            r[5],
            null,
            null,
            2_000_000_000L,
            Conversions.toLong(r[1]) + 1,
            notNull || rowidAlias ? "NO" : "YES",
            null,
            null,
            null,
            null,
            rowidAlias ? "YES" : "NO",
            "NO"
          });
    }
    return rows;
  }

  List<Object[]> primaryKeys(String table) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r :
        query("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY name", table)) {
      rows.add(new Object[] {null, null, table, r[0], r[1], null});
    }
    return rows;
  }

  List<Object[]> indexInfo(String table, boolean unique) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r :
        query(
            "SELECT il.name, il.\"unique\", ii.seqno, ii.name FROM pragma_index_list(?) il"
                + " JOIN pragma_index_info(il.name) ii ORDER BY il.\"unique\" DESC, il.name,"
                + " ii.seqno",
            table)) {
      boolean isUnique = Conversions.toBoolean(r[1]);
      if (unique && !isUnique) {
        continue;
      }
      rows.add(
          new Object[] {
            null,
            null,
            table,
            !isUnique,
            null,
            r[0],
            (long) tableIndexOther,
            Conversions.toLong(r[2]) + 1,
            r[3],
            "A",
            null,
            null,
            null
          });
    }
    return rows;
  }

  /** Foreign keys matching {@code where} (over {@code m}, the table, and {@code f}, its keys). */
  List<Object[]> foreignKeys(String where, Object... params) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r :
        query(
            "SELECT f.\"table\", f.\"to\", m.name, f.\"from\", f.seq, f.on_update, f.on_delete,"
                + " f.id FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f"
                + " WHERE m.type = 'table' AND "
                + where
                + " ORDER BY f.\"table\", f.id, f.seq",
            params)) {
      rows.add(
          new Object[] {
            null,
            null,
            r[0],
            r[1],
            null,
            null,
            r[2],
            r[3],
            Conversions.toLong(r[4]) + 1,
            rule((String) r[5]),
            rule((String) r[6]),
            "fk_" + r[2] + "_" + r[7],
            null,
            (long) importedKeyNotDeferrable
          });
    }
    return rows;
  }

  private static long rule(String action) {
    return switch (action == null ? "" : action.toUpperCase(java.util.Locale.ROOT)) {
      case "CASCADE" -> importedKeyCascade;
      case "SET NULL" -> importedKeySetNull;
      case "SET DEFAULT" -> importedKeySetDefault;
      case "RESTRICT" -> importedKeyRestrict;
      default -> importedKeyNoAction;
    };
  }

  /** A JDBC name pattern as a LIKE pattern; null matches everything. */
  private static String pattern(String jdbcPattern) {
    return jdbcPattern == null ? "%" : jdbcPattern;
  }

  private List<Object[]> query(String sql, Object... params) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Object[] row = new Object[n];
          for (int i = 0; i < n; i++) {
            row[i] = rs.getObject(i + 1);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }
}
