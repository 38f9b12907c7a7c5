package io.dqlite.client.protocol;

import java.util.Objects;

/**
 * A value with an explicit wire type, bypassing the usual Java-to-dqlite mapping: for example
 * ISO8601 text exactly as it should be sent. Decoded parameter tuples use it for the special types
 * (ISO8601, UNIXTIME, and BOOLEAN values other than 0 and 1) so re-encoding gives the same bytes.
 *
 * @param type the wire type
 * @param raw the wire value: Long for INTEGER, UNIXTIME and BOOLEAN; Double for FLOAT; String for
 *     TEXT and ISO8601; byte[] for BLOB; null for NULL
 */
public record TypedValue(ValueType type, Object raw) {

  public TypedValue {
    Objects.requireNonNull(type, "type");
    Class<?> expected = Values.rawClass(type);
    if (expected == null ? raw != null : !expected.isInstance(raw)) {
      throw new IllegalArgumentException(
          "a "
              + type
              + " value must be "
              + (expected == null ? "null" : expected.getSimpleName())
              + ", got "
              + (raw == null ? "null" : raw.getClass().getName()));
    }
  }
}
