package io.dqlite.client.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The catalog questions a dqlite database can answer: tables and views from {@code sqlite_master},
 * columns, keys and indexes from SQLite's {@code pragma_table_info}, {@code pragma_index_list},
 * {@code pragma_index_info} and {@code pragma_foreign_key_list}. SQLite has no catalogs, schemas,
 * procedures, privileges or user types: those methods answer empty results with the columns JDBC
 * specifies. Name patterns follow JDBC ({@code %}, {@code _}, escape {@code \}); SQLite's LIKE
 * matches ASCII letters case-insensitively.
 */
final class DqliteDatabaseMetaData extends DatabaseCapabilities implements SelfWrapper {

  private static final String DRIVER_VERSION = "0.1";

  private final DqliteConnection connection;
  private String sqliteVersion;

  DqliteDatabaseMetaData(DqliteConnection connection) {
    this.connection = connection;
  }

  // ---- identity ----

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public String getURL() {
    return connection.url();
  }

  @Override
  public String getUserName() {
    return null;
  }

  @Override
  public String getDatabaseProductName() {
    return "dqlite";
  }

  /** The SQLite version the leader runs, e.g. {@code 3.40.1}. */
  @Override
  public String getDatabaseProductVersion() throws SQLException {
    if (sqliteVersion == null) {
      List<Object[]> rows = query("SELECT sqlite_version()");
      sqliteVersion = Conversions.toText(rows.get(0)[0]);
    }
    return sqliteVersion;
  }

  @Override
  public int getDatabaseMajorVersion() throws SQLException {
    return versionPart(0);
  }

  @Override
  public int getDatabaseMinorVersion() throws SQLException {
    return versionPart(1);
  }

  private int versionPart(int index) throws SQLException {
    String[] parts = getDatabaseProductVersion().split("\\.");
    return index < parts.length ? Integer.parseInt(parts[index].replaceAll("\\D.*", "")) : 0;
  }

  @Override
  public String getDriverName() {
    return "dqlite JDBC driver";
  }

  @Override
  public String getDriverVersion() {
    return DRIVER_VERSION;
  }

  @Override
  public int getDriverMajorVersion() {
    return DqliteDriver.MAJOR_VERSION;
  }

  @Override
  public int getDriverMinorVersion() {
    return DqliteDriver.MINOR_VERSION;
  }

  @Override
  public String getIdentifierQuoteString() {
    return "\"";
  }

  @Override
  public String getSQLKeywords() {
    return "ABORT,ANALYZE,ATTACH,AUTOINCREMENT,CONFLICT,DATABASE,DETACH,EXCLUSIVE,EXPLAIN,FAIL,"
        + "GLOB,IGNORE,INDEXED,INSTEAD,ISNULL,LIMIT,NOTNULL,OFFSET,PLAN,PRAGMA,QUERY,RAISE,"
        + "REGEXP,REINDEX,RENAME,REPLACE,RETURNING,TEMP,VACUUM,VIRTUAL";
  }

  @Override
  public String getNumericFunctions() {
    return "ABS,MAX,MIN,RANDOM,ROUND";
  }

  @Override
  public String getStringFunctions() {
    return "INSTR,LENGTH,LOWER,LTRIM,REPLACE,RTRIM,SUBSTR,TRIM,UPPER";
  }

  @Override
  public String getSystemFunctions() {
    return "CHANGES,COALESCE,IFNULL,LAST_INSERT_ROWID,NULLIF,SQLITE_VERSION,TYPEOF";
  }

  @Override
  public String getTimeDateFunctions() {
    return "DATE,DATETIME,JULIANDAY,STRFTIME,TIME,UNIXEPOCH";
  }

  @Override
  public String getSearchStringEscape() {
    return "\\";
  }

  @Override
  public String getExtraNameCharacters() {
    return "";
  }

  @Override
  public String getSchemaTerm() {
    return "schema";
  }

  @Override
  public String getProcedureTerm() {
    return "procedure";
  }

  @Override
  public String getCatalogTerm() {
    return "catalog";
  }

  @Override
  public String getCatalogSeparator() {
    return ".";
  }

  @Override
  public RowIdLifetime getRowIdLifetime() {
    return RowIdLifetime.ROWID_UNSUPPORTED;
  }

  // ---- catalog queries ----

  @Override
  public ResultSet getTables(
      String catalog, String schemaPattern, String tableNamePattern, String[] types)
      throws SQLException {
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
    return result(
        rows,
        "TABLE_CAT",
        "TABLE_SCHEM",
        "TABLE_NAME",
        "TABLE_TYPE",
        "REMARKS",
        "TYPE_CAT",
        "TYPE_SCHEM",
        "TYPE_NAME",
        "SELF_REFERENCING_COL_NAME",
        "REF_GENERATION");
  }

  @Override
  public ResultSet getTableTypes() {
    List<Object[]> rows = new ArrayList<>();
    for (String type : List.of("SYSTEM TABLE", "TABLE", "VIEW")) {
      rows.add(new Object[] {type});
    }
    return result(rows, "TABLE_TYPE");
  }

  @Override
  public ResultSet getColumns(
      String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern)
      throws SQLException {
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
    return result(
        rows,
        "TABLE_CAT",
        "TABLE_SCHEM",
        "TABLE_NAME",
        "COLUMN_NAME",
        "DATA_TYPE",
        "TYPE_NAME",
        "COLUMN_SIZE",
        "BUFFER_LENGTH",
        "DECIMAL_DIGITS",
        "NUM_PREC_RADIX",
        "NULLABLE",
        "REMARKS",
        "COLUMN_DEF",
        "SQL_DATA_TYPE",
        "SQL_DATETIME_SUB",
        "CHAR_OCTET_LENGTH",
        "ORDINAL_POSITION",
        "IS_NULLABLE",
        "SCOPE_CATALOG",
        "SCOPE_SCHEMA",
        "SCOPE_TABLE",
        "SOURCE_DATA_TYPE",
        "IS_AUTOINCREMENT",
        "IS_GENERATEDCOLUMN");
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    for (Object[] r :
        query("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY name", table)) {
      rows.add(new Object[] {null, null, table, r[0], r[1], null});
    }
    return result(
        rows, "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
  }

  @Override
  public ResultSet getIndexInfo(
      String catalog, String schema, String table, boolean unique, boolean approximate)
      throws SQLException {
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
    return result(
        rows,
        "TABLE_CAT",
        "TABLE_SCHEM",
        "TABLE_NAME",
        "NON_UNIQUE",
        "INDEX_QUALIFIER",
        "INDEX_NAME",
        "TYPE",
        "ORDINAL_POSITION",
        "COLUMN_NAME",
        "ASC_OR_DESC",
        "CARDINALITY",
        "PAGES",
        "FILTER_CONDITION");
  }

  @Override
  public ResultSet getImportedKeys(String catalog, String schema, String table)
      throws SQLException {
    return foreignKeys("m.name = ?", table);
  }

  @Override
  public ResultSet getExportedKeys(String catalog, String schema, String table)
      throws SQLException {
    return foreignKeys("f.\"table\" = ?", table);
  }

  @Override
  public ResultSet getCrossReference(
      String parentCatalog,
      String parentSchema,
      String parentTable,
      String foreignCatalog,
      String foreignSchema,
      String foreignTable)
      throws SQLException {
    return foreignKeys("f.\"table\" = ? AND m.name = ?", parentTable, foreignTable);
  }

  private ResultSet foreignKeys(String where, Object... params) throws SQLException {
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
    return result(
        rows,
        "PKTABLE_CAT",
        "PKTABLE_SCHEM",
        "PKTABLE_NAME",
        "PKCOLUMN_NAME",
        "FKTABLE_CAT",
        "FKTABLE_SCHEM",
        "FKTABLE_NAME",
        "FKCOLUMN_NAME",
        "KEY_SEQ",
        "UPDATE_RULE",
        "DELETE_RULE",
        "FK_NAME",
        "PK_NAME",
        "DEFERRABILITY");
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

  @Override
  public ResultSet getTypeInfo() {
    List<Object[]> rows = new ArrayList<>();
    Object[][] types = {
      {"BOOLEAN", Types.BOOLEAN}, {"INTEGER", Types.BIGINT}, {"NUMERIC", Types.NUMERIC},
      {"REAL", Types.DOUBLE}, {"TEXT", Types.VARCHAR}, {"DATE", Types.DATE},
      {"DATETIME", Types.TIMESTAMP}, {"BLOB", Types.VARBINARY}
    };
    for (Object[] t : types) {
      rows.add(
          new Object[] {
            t[0],
            (long) (int) t[1],
            2_000_000_000L,
            null,
            null,
            null,
            (long) typeNullable,
            t[0].equals("TEXT"),
            (long) typeSearchable,
            false,
            false,
            t[0].equals("INTEGER"),
            t[0],
            0L,
            0L,
            null,
            null,
            10L
          });
    }
    return result(
        rows,
        "TYPE_NAME",
        "DATA_TYPE",
        "PRECISION",
        "LITERAL_PREFIX",
        "LITERAL_SUFFIX",
        "CREATE_PARAMS",
        "NULLABLE",
        "CASE_SENSITIVE",
        "SEARCHABLE",
        "UNSIGNED_ATTRIBUTE",
        "FIXED_PREC_SCALE",
        "AUTO_INCREMENT",
        "LOCAL_TYPE_NAME",
        "MINIMUM_SCALE",
        "MAXIMUM_SCALE",
        "SQL_DATA_TYPE",
        "SQL_DATETIME_SUB",
        "NUM_PREC_RADIX");
  }

  // ---- what SQLite does not have: empty results with JDBC's columns ----

  @Override
  public ResultSet getSchemas() {
    return result(List.of(), "TABLE_SCHEM", "TABLE_CATALOG");
  }

  @Override
  public ResultSet getSchemas(String catalog, String schemaPattern) {
    return getSchemas();
  }

  @Override
  public ResultSet getCatalogs() {
    return result(List.of(), "TABLE_CAT");
  }

  @Override
  public ResultSet getProcedures(String catalog, String schemaPattern, String namePattern) {
    return result(
        List.of(),
        "PROCEDURE_CAT",
        "PROCEDURE_SCHEM",
        "PROCEDURE_NAME",
        "RESERVED1",
        "RESERVED2",
        "RESERVED3",
        "REMARKS",
        "PROCEDURE_TYPE",
        "SPECIFIC_NAME");
  }

  @Override
  public ResultSet getProcedureColumns(
      String catalog, String schemaPattern, String procedurePattern, String columnPattern) {
    return result(
        List.of(),
        "PROCEDURE_CAT",
        "PROCEDURE_SCHEM",
        "PROCEDURE_NAME",
        "COLUMN_NAME",
        "COLUMN_TYPE",
        "DATA_TYPE",
        "TYPE_NAME",
        "PRECISION",
        "LENGTH",
        "SCALE",
        "RADIX",
        "NULLABLE",
        "REMARKS",
        "COLUMN_DEF",
        "SQL_DATA_TYPE",
        "SQL_DATETIME_SUB",
        "CHAR_OCTET_LENGTH",
        "ORDINAL_POSITION",
        "IS_NULLABLE",
        "SPECIFIC_NAME");
  }

  @Override
  public ResultSet getColumnPrivileges(
      String catalog, String schema, String table, String columnNamePattern) {
    return result(
        List.of(),
        "TABLE_CAT",
        "TABLE_SCHEM",
        "TABLE_NAME",
        "COLUMN_NAME",
        "GRANTOR",
        "GRANTEE",
        "PRIVILEGE",
        "IS_GRANTABLE");
  }

  @Override
  public ResultSet getTablePrivileges(
      String catalog, String schemaPattern, String tableNamePattern) {
    return result(
        List.of(),
        "TABLE_CAT",
        "TABLE_SCHEM",
        "TABLE_NAME",
        "GRANTOR",
        "GRANTEE",
        "PRIVILEGE",
        "IS_GRANTABLE");
  }

  @Override
  public ResultSet getBestRowIdentifier(
      String catalog, String schema, String table, int scope, boolean nullable) {
    return result(
        List.of(),
        "SCOPE",
        "COLUMN_NAME",
        "DATA_TYPE",
        "TYPE_NAME",
        "COLUMN_SIZE",
        "BUFFER_LENGTH",
        "DECIMAL_DIGITS",
        "PSEUDO_COLUMN");
  }

  @Override
  public ResultSet getVersionColumns(String catalog, String schema, String table) {
    return result(
        List.of(),
        "SCOPE",
        "COLUMN_NAME",
        "DATA_TYPE",
        "TYPE_NAME",
        "COLUMN_SIZE",
        "BUFFER_LENGTH",
        "DECIMAL_DIGITS",
        "PSEUDO_COLUMN");
  }

  @Override
  public ResultSet getUDTs(
      String catalog, String schemaPattern, String typeNamePattern, int[] types) {
    return result(
        List.of(),
        "TYPE_CAT",
        "TYPE_SCHEM",
        "TYPE_NAME",
        "CLASS_NAME",
        "DATA_TYPE",
        "REMARKS",
        "BASE_TYPE");
  }

  @Override
  public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern) {
    return result(
        List.of(),
        "TYPE_CAT",
        "TYPE_SCHEM",
        "TYPE_NAME",
        "SUPERTYPE_CAT",
        "SUPERTYPE_SCHEM",
        "SUPERTYPE_NAME");
  }

  @Override
  public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern) {
    return result(List.of(), "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME");
  }

  @Override
  public ResultSet getAttributes(
      String catalog, String schemaPattern, String typeNamePattern, String attributeNamePattern) {
    return result(
        List.of(),
        "TYPE_CAT",
        "TYPE_SCHEM",
        "TYPE_NAME",
        "ATTR_NAME",
        "DATA_TYPE",
        "ATTR_TYPE_NAME",
        "ATTR_SIZE",
        "DECIMAL_DIGITS",
        "NUM_PREC_RADIX",
        "NULLABLE",
        "REMARKS",
        "ATTR_DEF",
        "SQL_DATA_TYPE",
        "SQL_DATETIME_SUB",
        "CHAR_OCTET_LENGTH",
        "ORDINAL_POSITION",
        "IS_NULLABLE",
        "SCOPE_CATALOG",
        "SCOPE_SCHEMA",
        "SCOPE_TABLE",
        "SOURCE_DATA_TYPE");
  }

  @Override
  public ResultSet getClientInfoProperties() {
    return result(List.of(), "NAME", "MAX_LEN", "DEFAULT_VALUE", "DESCRIPTION");
  }

  @Override
  public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern) {
    return result(
        List.of(),
        "FUNCTION_CAT",
        "FUNCTION_SCHEM",
        "FUNCTION_NAME",
        "REMARKS",
        "FUNCTION_TYPE",
        "SPECIFIC_NAME");
  }

  @Override
  public ResultSet getFunctionColumns(
      String catalog, String schemaPattern, String functionNamePattern, String columnNamePattern) {
    return result(
        List.of(),
        "FUNCTION_CAT",
        "FUNCTION_SCHEM",
        "FUNCTION_NAME",
        "COLUMN_NAME",
        "COLUMN_TYPE",
        "DATA_TYPE",
        "TYPE_NAME",
        "PRECISION",
        "LENGTH",
        "SCALE",
        "RADIX",
        "NULLABLE",
        "REMARKS",
        "CHAR_OCTET_LENGTH",
        "ORDINAL_POSITION",
        "IS_NULLABLE",
        "SPECIFIC_NAME");
  }

  @Override
  public ResultSet getPseudoColumns(
      String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern) {
    return result(
        List.of(),
        "TABLE_CAT",
        "TABLE_SCHEM",
        "TABLE_NAME",
        "COLUMN_NAME",
        "DATA_TYPE",
        "COLUMN_SIZE",
        "DECIMAL_DIGITS",
        "NUM_PREC_RADIX",
        "COLUMN_USAGE",
        "REMARKS",
        "CHAR_OCTET_LENGTH",
        "IS_NULLABLE");
  }

  // ---- helpers ----

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

  private ResultSet result(List<Object[]> rows, String... columns) {
    return new DqliteResultSet(null, new ListCursor(List.of(columns), null, rows), null);
  }
}
