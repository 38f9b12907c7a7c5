package io.dqlite.localkube.podspec;

import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} expansion in env values, command and args: {@code $(NAME)} becomes the
 * variable's value when it is defined and stays as written otherwise; {@code $$} escapes.
 */
public final class Expansion {
  private Expansion() {}

  /** Expands {@code input} against {@code vars}. */
  public static String expand(String input, Map<String, String> vars) {
    return expand(input, vars::get);
  }

  /** Expands {@code input}; {@code lookup} returns null for an undefined name. */
  public static String expand(String input, Function<String, String> lookup) {
    if (input == null || input.indexOf('$') < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 >= input.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append(input, i, input.length());
          break;
        }
        String name = input.substring(i + 2, close);
        String value = lookup.apply(name);
        out.append(value != null ? value : input.substring(i, close + 1));
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
