package io.dqlite.client.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Parameter and row tuples (libdqlite {@code src/tuple.h}).
 *
 * <p>Parameters, schema 0: a count byte, one type byte per value, zero padding to a word, then the
 * values. Schema 1 (newer libdqlite only) has a uint32 count instead. An empty parameter list is
 * sent as nothing at all, like go-dqlite.
 *
 * <p>Rows: a header of one 4-bit type per column (low nibble first) padded to a word, then the
 * values. The value encodings are in {@link Values}.
 */
public final class Tuples {

  /** The most parameters a schema-0 tuple can count: libdqlite 1.11.1 accepts no other schema. */
  public static final int MAX_PARAMS_SCHEMA_0 = 255;

  private Tuples() {}

  /**
   * Writes a parameter tuple; nothing when {@code params} is empty.
   *
   * @throws IllegalArgumentException for too many parameters or a Java type with no mapping
   */
  public static void writeParams(BodyWriter w, List<?> params, int schema) {
    int n = params.size();
    if (n == 0) {
      return;
    }
    if (schema == 0 && n > MAX_PARAMS_SCHEMA_0) {
      throw new IllegalArgumentException(
          "too many parameters: "
              + n
              + "; libdqlite 1.11 binds at most "
              + MAX_PARAMS_SCHEMA_0
              + " per statement (its parameter count is one byte); split the statement");
    }
    List<TypedValue> typed = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      try {
        typed.add(Values.toWire(params.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("parameter " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    if (schema == 0) {
      w.putUint8(n);
    } else if (schema == 1) {
      w.putUint32(n);
    } else {
      throw new IllegalArgumentException("unknown parameter schema " + schema);
    }
    for (TypedValue v : typed) {
      w.putUint8(v.type().code());
    }
    w.pad();
    for (TypedValue v : typed) {
      Values.write(w, v);
    }
  }

  /**
   * Reads a parameter tuple; an exhausted body means no parameters. Plain types come back as Java
   * values (Long, Double, String, byte[], null, Boolean), special types as {@link TypedValue}.
   */
  public static List<Object> readParams(BodyReader r, int schema) throws ProtocolException {
    if (r.remaining() == 0) {
      return List.of();
    }
    if (schema != 0 && schema != 1) {
      throw new ProtocolException("unknown parameter schema " + schema + " (0 and 1 exist)", null);
    }
    int start = r.position();
    long n = schema == 0 ? r.getUint8() : r.getUint32();
    if (n > r.remaining()) {
      throw new ProtocolException(
          "parameter tuple counts " + n + " values but only " + r.remaining() + " bytes follow",
          null);
    }
    ValueType[] types = new ValueType[(int) n];
    for (int i = 0; i < n; i++) {
      types[i] = ValueType.fromCode(r.getUint8());
    }
    int headerBytes = r.position() - start;
    r.skip(BodyReader.padded(headerBytes) - headerBytes);
    List<Object> values = new ArrayList<>(types.length);
    for (int i = 0; i < types.length; i++) {
      Object raw;
      try {
        raw = Values.read(r, types[i]);
      } catch (MalformedTextException e) {
        throw e.withField("text of parameter " + (i + 1));
      }
      values.add(toParam(types[i], raw));
    }
    return Collections.unmodifiableList(values);
  }

  private static Object toParam(ValueType type, Object raw) {
    return switch (type) {
      case INTEGER, FLOAT, TEXT, BLOB, NULL -> raw;
      case BOOLEAN ->
          ((Long) raw) == 0 || ((Long) raw) == 1
              ? (Object) (((Long) raw) == 1)
              : new TypedValue(type, raw);
      case UNIXTIME, ISO8601 -> new TypedValue(type, raw);
    };
  }

  /** Writes one row: the 4-bit type header and the wire values. */
  public static void writeRow(BodyWriter w, Row row) {
    int n = row.types().size();
    int headerBytes = (n + 1) / 2;
    int at = w.size();
    for (int i = 0; i < headerBytes; i++) {
      w.putUint8(0);
    }
    w.pad();
    for (int i = 0; i < n; i++) {
      int code = row.types().get(i).code();
      int slot = at + i / 2;
      int current = w.array()[slot] & 0xff;
      w.setUint8(slot, i % 2 == 0 ? current | code : current | (code << 4));
    }
    for (int i = 0; i < n; i++) {
      Values.write(w, new TypedValue(row.types().get(i), row.values().get(i)));
    }
  }

  /** Reads one row of {@code columns} values whose header starts at the reader's position. */
  public static Row readRow(BodyReader r, int columns) throws ProtocolException {
    int headerBytes = (columns + 1) / 2;
    ValueType[] types = new ValueType[columns];
    for (int i = 0; i < headerBytes; i++) {
      int slot = r.getUint8();
      types[2 * i] = ValueType.fromCode(slot & 0x0f);
      if (2 * i + 1 < columns) {
        types[2 * i + 1] = ValueType.fromCode(slot >> 4);
      } else if ((slot >> 4) != 0) {
        throw new ProtocolException("row header has a type in its padding nibble", null);
      }
    }
    r.skip(BodyReader.padded(headerBytes) - headerBytes);
    Object[] values = new Object[columns];
    for (int i = 0; i < columns; i++) {
      try {
        values[i] = Values.read(r, types[i]);
      } catch (MalformedTextException e) {
        throw e.withField("text value of column " + (i + 1));
      }
    }
    return new Row(List.of(types), Collections.unmodifiableList(Arrays.asList(values)));
  }
}
