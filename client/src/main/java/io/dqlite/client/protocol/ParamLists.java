package io.dqlite.client.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Immutable copies of parameter lists, which may hold nulls (unlike {@code List.copyOf}). */
final class ParamLists {

  private ParamLists() {}

  static List<Object> copy(List<?> params) {
    return params == null || params.isEmpty()
        ? List.of()
        : Collections.unmodifiableList(new ArrayList<>(params));
  }
}
