package io.dqlite.client.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
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
  private final CatalogQueries queries;
  private String sqliteVersion;

  DqliteDatabaseMetaData(DqliteConnection connection) {
    this.connection = connection;
    this.queries = new CatalogQueries(connection);
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
      sqliteVersion = queries.sqliteVersion();
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
    return result(queries.tables(tableNamePattern, types), MetaDataColumns.TABLES);
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
    return result(queries.columns(tableNamePattern, columnNamePattern), MetaDataColumns.COLUMNS);
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    return result(queries.primaryKeys(table), MetaDataColumns.PRIMARY_KEYS);
  }

  @Override
  public ResultSet getIndexInfo(
      String catalog, String schema, String table, boolean unique, boolean approximate)
      throws SQLException {
    return result(queries.indexInfo(table, unique), MetaDataColumns.INDEX_INFO);
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
    return result(queries.foreignKeys(where, params), MetaDataColumns.FOREIGN_KEYS);
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
    return result(rows, MetaDataColumns.TYPE_INFO);
  }

  // ---- what SQLite does not have: empty results with JDBC's columns ----

  @Override
  public ResultSet getSchemas() {
    return result(List.of(), MetaDataColumns.SCHEMAS);
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
    return result(List.of(), MetaDataColumns.PROCEDURES);
  }

  @Override
  public ResultSet getProcedureColumns(
      String catalog, String schemaPattern, String procedurePattern, String columnPattern) {
    return result(List.of(), MetaDataColumns.PROCEDURE_COLUMNS);
  }

  @Override
  public ResultSet getColumnPrivileges(
      String catalog, String schema, String table, String columnNamePattern) {
    return result(List.of(), MetaDataColumns.COLUMN_PRIVILEGES);
  }

  @Override
  public ResultSet getTablePrivileges(
      String catalog, String schemaPattern, String tableNamePattern) {
    return result(List.of(), MetaDataColumns.TABLE_PRIVILEGES);
  }

  @Override
  public ResultSet getBestRowIdentifier(
      String catalog, String schema, String table, int scope, boolean nullable) {
    return result(List.of(), MetaDataColumns.BEST_ROW_IDENTIFIER);
  }

  @Override
  public ResultSet getVersionColumns(String catalog, String schema, String table) {
    return result(List.of(), MetaDataColumns.VERSION_COLUMNS);
  }

  @Override
  public ResultSet getUDTs(
      String catalog, String schemaPattern, String typeNamePattern, int[] types) {
    return result(List.of(), MetaDataColumns.UDTS);
  }

  @Override
  public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern) {
    return result(List.of(), MetaDataColumns.SUPER_TYPES);
  }

  @Override
  public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern) {
    return result(List.of(), MetaDataColumns.SUPER_TABLES);
  }

  @Override
  public ResultSet getAttributes(
      String catalog, String schemaPattern, String typeNamePattern, String attributeNamePattern) {
    return result(List.of(), MetaDataColumns.ATTRIBUTES);
  }

  @Override
  public ResultSet getClientInfoProperties() {
    return result(List.of(), MetaDataColumns.CLIENT_INFO_PROPERTIES);
  }

  @Override
  public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern) {
    return result(List.of(), MetaDataColumns.FUNCTIONS);
  }

  @Override
  public ResultSet getFunctionColumns(
      String catalog, String schemaPattern, String functionNamePattern, String columnNamePattern) {
    return result(List.of(), MetaDataColumns.FUNCTION_COLUMNS);
  }

  @Override
  public ResultSet getPseudoColumns(
      String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern) {
    return result(List.of(), MetaDataColumns.PSEUDO_COLUMNS);
  }

  private ResultSet result(List<Object[]> rows, List<String> columns) {
    return new DqliteResultSet(null, new ListCursor(columns, null, rows), null);
  }

  private ResultSet result(List<Object[]> rows, String column) {
    return result(rows, List.of(column));
  }
}
