package io.dqlite.client.protocol;

/**
 * Types of values in parameter and row tuples, with their wire codes: SQLite's fundamental types
 * plus dqlite's three special types (libdqlite 1.11.1 {@code src/protocol.h}).
 *
 * <p>Which Java type each maps to is described in {@link Values}.
 */
public enum ValueType {
  INTEGER(1),
  FLOAT(2),
  TEXT(3),
  BLOB(4),
  NULL(5),
  /** A column declared DATETIME, DATE or TIMESTAMP holding an integer: seconds since the epoch. */
  UNIXTIME(9),
  /** A column declared DATETIME, DATE or TIMESTAMP holding text (or NULL, sent as ""). */
  ISO8601(10),
  /** A column declared BOOLEAN (NULL arrives as false: libdqlite 1.11.1 cannot tell them apart). */
  BOOLEAN(11);

  private static final ValueType[] BY_CODE = new ValueType[16];

  static {
    for (ValueType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  ValueType(int code) {
    this.code = code;
  }

  /** The type code in a tuple header. */
  public int code() {
    return code;
  }

  /**
   * The type for a tuple header code.
   *
   * @throws ProtocolException for a code the protocol does not define
   */
  public static ValueType fromCode(int code) throws ProtocolException {
    ValueType type = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    if (type == null) {
      throw new ProtocolException("unknown value type " + code, null);
    }
    return type;
  }
}
