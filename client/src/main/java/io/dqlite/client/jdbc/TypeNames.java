package io.dqlite.client.jdbc;

import io.dqlite.client.protocol.ValueType;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * How SQLite's types appear through JDBC. A result column's type comes from the value types the
 * node sends with every row (dqlite has no per-column type in its result header): INTEGER is {@code
 * BIGINT}, FLOAT {@code DOUBLE}, TEXT {@code VARCHAR}, BLOB {@code VARBINARY}, BOOLEAN {@code
 * BOOLEAN}, and columns declared DATETIME/DATE/TIMESTAMP (dqlite's ISO8601 and UNIXTIME) {@code
 * TIMESTAMP}. Declared types ({@code DatabaseMetaData.getColumns}) map by SQLite's affinity rules.
 */
final class TypeNames {

  private TypeNames() {}

  static int sqlTypeOf(ValueType type) {
    return switch (type) {
      case INTEGER -> Types.BIGINT;
      case FLOAT -> Types.DOUBLE;
      case TEXT -> Types.VARCHAR;
      case BLOB -> Types.VARBINARY;
      case NULL -> Types.NULL;
      case UNIXTIME, ISO8601 -> Types.TIMESTAMP;
      case BOOLEAN -> Types.BOOLEAN;
    };
  }

  static int sqlTypeOf(Object value) {
    if (value == null) {
      return Types.NULL;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return Types.BIGINT;
    }
    if (value instanceof Number) {
      return Types.DOUBLE;
    }
    if (value instanceof byte[]) {
      return Types.VARBINARY;
    }
    if (value instanceof Boolean) {
      return Types.BOOLEAN;
    }
    if (value instanceof OffsetDateTime) {
      return Types.TIMESTAMP;
    }
    return Types.VARCHAR;
  }

  /** The name a result column's type is reported under: SQLite's storage class names. */
  static String nameOf(int sqlType) {
    return switch (sqlType) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> "INTEGER";
      case Types.DOUBLE, Types.REAL, Types.FLOAT -> "REAL";
      case Types.VARBINARY, Types.BLOB -> "BLOB";
      case Types.BOOLEAN -> "BOOLEAN";
      case Types.TIMESTAMP -> "DATETIME";
      case Types.NULL -> "NULL";
      case Types.NUMERIC -> "NUMERIC";
      default -> "TEXT";
    };
  }

  /** The Java class getObject returns for a column of this type. */
  static String classNameOf(int sqlType) {
    return switch (sqlType) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> Long.class.getName();
      case Types.DOUBLE, Types.REAL, Types.FLOAT -> Double.class.getName();
      case Types.VARBINARY, Types.BLOB -> byte[].class.getName();
      case Types.BOOLEAN -> Boolean.class.getName();
      case Types.TIMESTAMP -> java.sql.Timestamp.class.getName();
      case Types.NULL -> Object.class.getName();
      default -> String.class.getName();
    };
  }

  /**
   * The JDBC type of a declared column type, by SQLite's affinity rules (section 3.1 of its
   * datatype documentation), with dqlite's special declared types first.
   */
  static int sqlTypeOfDeclared(String declared) {
    String d = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
    if (d.equals("DATETIME") || d.equals("TIMESTAMP")) {
      return Types.TIMESTAMP;
    }
    if (d.equals("DATE")) {
      return Types.DATE;
    }
    if (d.equals("BOOLEAN")) {
      return Types.BOOLEAN;
    }
    if (d.contains("INT")) {
      return Types.BIGINT;
    }
    if (d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT")) {
      return Types.VARCHAR;
    }
    if (d.isEmpty() || d.contains("BLOB")) {
      return Types.VARBINARY;
    }
    if (d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB")) {
      return Types.DOUBLE;
    }
    return Types.NUMERIC;
  }
}
