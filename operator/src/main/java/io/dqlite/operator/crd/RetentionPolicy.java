package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What happens to a pod's volume claim; the values of a StatefulSet's
 * persistentVolumeClaimRetentionPolicy.
 */
public enum RetentionPolicy {
  RETAIN("Retain"),
  DELETE("Delete");

  private final String value;

  RetentionPolicy(String value) {
    this.value = value;
  }

  /** The value Kubernetes expects, {@code Retain} or {@code Delete}. */
  @JsonValue
  public String value() {
    return value;
  }
}
