package io.dqlite.client.jdbc;

import java.util.List;

/**
 * The column names of the result sets {@link java.sql.DatabaseMetaData} defines, in the order the
 * JDBC specification gives them: one list per method, named after it. Kept apart from the queries
 * that fill them ({@link DqliteDatabaseMetaData}), because most of them are the whole answer:
 * SQLite has no procedures, privileges, user-defined types or schemas, so those results are empty.
 */
final class MetaDataColumns {

  private MetaDataColumns() {}

  static final List<String> TABLES =
      List.of(
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

  static final List<String> COLUMNS =
      List.of(
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

  static final List<String> PRIMARY_KEYS =
      List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");

  static final List<String> INDEX_INFO =
      List.of(
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

  static final List<String> FOREIGN_KEYS =
      List.of(
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

  static final List<String> TYPE_INFO =
      List.of(
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

  static final List<String> SCHEMAS = List.of("TABLE_SCHEM", "TABLE_CATALOG");

  static final List<String> PROCEDURES =
      List.of(
          "PROCEDURE_CAT",
          "PROCEDURE_SCHEM",
          "PROCEDURE_NAME",
          "RESERVED1",
          "RESERVED2",
          "RESERVED3",
          "REMARKS",
          "PROCEDURE_TYPE",
          "SPECIFIC_NAME");

  static final List<String> PROCEDURE_COLUMNS =
      List.of(
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

  static final List<String> COLUMN_PRIVILEGES =
      List.of(
          "TABLE_CAT",
          "TABLE_SCHEM",
          "TABLE_NAME",
          "COLUMN_NAME",
          "GRANTOR",
          "GRANTEE",
          "PRIVILEGE",
          "IS_GRANTABLE");

  static final List<String> TABLE_PRIVILEGES =
      List.of(
          "TABLE_CAT",
          "TABLE_SCHEM",
          "TABLE_NAME",
          "GRANTOR",
          "GRANTEE",
          "PRIVILEGE",
          "IS_GRANTABLE");

  static final List<String> BEST_ROW_IDENTIFIER =
      List.of(
          "SCOPE",
          "COLUMN_NAME",
          "DATA_TYPE",
          "TYPE_NAME",
          "COLUMN_SIZE",
          "BUFFER_LENGTH",
          "DECIMAL_DIGITS",
          "PSEUDO_COLUMN");

  static final List<String> VERSION_COLUMNS =
      List.of(
          "SCOPE",
          "COLUMN_NAME",
          "DATA_TYPE",
          "TYPE_NAME",
          "COLUMN_SIZE",
          "BUFFER_LENGTH",
          "DECIMAL_DIGITS",
          "PSEUDO_COLUMN");

  static final List<String> UDTS =
      List.of(
          "TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME", "DATA_TYPE", "REMARKS", "BASE_TYPE");

  static final List<String> SUPER_TYPES =
      List.of(
          "TYPE_CAT",
          "TYPE_SCHEM",
          "TYPE_NAME",
          "SUPERTYPE_CAT",
          "SUPERTYPE_SCHEM",
          "SUPERTYPE_NAME");

  static final List<String> SUPER_TABLES =
      List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME");

  static final List<String> ATTRIBUTES =
      List.of(
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

  static final List<String> CLIENT_INFO_PROPERTIES =
      List.of("NAME", "MAX_LEN", "DEFAULT_VALUE", "DESCRIPTION");

  static final List<String> FUNCTIONS =
      List.of(
          "FUNCTION_CAT",
          "FUNCTION_SCHEM",
          "FUNCTION_NAME",
          "REMARKS",
          "FUNCTION_TYPE",
          "SPECIFIC_NAME");

  static final List<String> FUNCTION_COLUMNS =
      List.of(
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

  static final List<String> PSEUDO_COLUMNS =
      List.of(
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
