package io.dqlite.operator.membership;

import io.dqlite.sidecar.api.AdminApi;
import java.util.Objects;

/**
 * The bearer token the sidecars' {@code /cluster} and {@code /handover} require: the {@code token}
 * key of the cluster's admin Secret. {@link #toString()} never shows it, so it cannot reach a log
 * or an Event by accident.
 */
public final class AdminToken {

  /** No token (the Secret could not be read): sidecars refuse the calls, which then fail. */
  public static final AdminToken NONE = new AdminToken("");

  private final String value;

  private AdminToken(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static AdminToken of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("an admin token must not be empty");
    }
    return new AdminToken(value.strip());
  }

  /** Whether there is a token to send. */
  public boolean isPresent() {
    return !value.isEmpty();
  }

  /** The {@code Authorization} header's value. */
  public String authorization() {
    return AdminApi.bearer(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdminToken t && t.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return isPresent() ? "AdminToken[redacted]" : "AdminToken[none]";
  }
}
