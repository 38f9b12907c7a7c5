package io.dqlite.operator.status;

/**
 * A Kubernetes Event to record on a DqliteCluster.
 *
 * @param warning Warning rather than Normal
 * @param reason why, in UpperCamelCase (e.g. {@code MemberJoined})
 * @param action what was observed or done, in UpperCamelCase (e.g. {@code Observe}, {@code
 *     Handover})
 * @param note the human-readable detail
 */
public record ClusterEvent(boolean warning, String reason, String action, String note) {

  public static ClusterEvent normal(String reason, String action, String note) {
    return new ClusterEvent(false, reason, action, note);
  }

  public static ClusterEvent warning(String reason, String action, String note) {
    return new ClusterEvent(true, reason, action, note);
  }
}
