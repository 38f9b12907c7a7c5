package io.dqlite.client.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row of a result batch as it travels: a wire type and a wire value per column (see {@link
 * TypedValue} for the value classes). {@link Values#toJava} gives the Java value.
 *
 * @param types the type of each column in this row; it can differ from row to row
 * @param values the wire values; nulls allowed
 */
public record Row(List<ValueType> types, List<Object> values) {

  public Row {
    if (types.size() != values.size()) {
      throw new IllegalArgumentException(
          types.size() + " types for " + values.size() + " values in a row");
    }
    for (int i = 0; i < types.size(); i++) {
      new TypedValue(types.get(i), values.get(i)); // validates the value class
    }
    types = List.copyOf(types);
    values = Collections.unmodifiableList(new ArrayList<>(values));
  }

  /** The Java value of column {@code i}, as {@link Values} maps it. */
  public Object javaValue(int i) {
    return Values.toJava(types.get(i), values.get(i));
  }
}
