package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** When the kubelet pulls the sidecar image; the values of a container's imagePullPolicy. */
public enum ImagePullPolicy {
  ALWAYS("Always"),
  IF_NOT_PRESENT("IfNotPresent"),
  NEVER("Never");

  private final String value;

  ImagePullPolicy(String value) {
    this.value = value;
  }

  /** The value Kubernetes expects, e.g. {@code IfNotPresent}. */
  @JsonValue
  public String value() {
    return value;
  }
}
