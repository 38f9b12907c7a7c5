package io.dqlite.localkube.podspec;

/**
 * The container cannot be configured yet (a missing ConfigMap, Secret or key, an unknown image):
 * reported as the container's Waiting reason, retried on the next sync, as the kubelet does.
 */
public final class ContainerConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  /**
   * {@code reason} is the Waiting reason shown in the pod status (e.g. CreateContainerConfigError).
   */
  public ContainerConfigException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The Waiting reason. */
  public String reason() {
    return reason;
  }
}
