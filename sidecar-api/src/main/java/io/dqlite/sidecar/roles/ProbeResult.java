package io.dqlite.sidecar.roles;

/**
 * What probing a node (dqlite's describe request) told about it. A node with a result is online; a
 * node without one (probe failed or timed out) is offline, as in go-dqlite's {@code
 * RolesChanges.State}.
 *
 * @param failureDomain the node's failure domain (for Kubernetes, its zone mapped to a number);
 *     only compared for equality, so every value is valid
 * @param weight the node's weight; a lower weight is preferred for promotion. Compared as an
 *     unsigned 64-bit number, as go-dqlite's {@code uint64}
 * @param answerMillis how long the node took to answer (dial included): a node busy applying a
 *     backlog of entries answers late, and makes a poor leader for a while ({@link
 *     TransferTargets})
 */
public record ProbeResult(long failureDomain, long weight, long answerMillis) {

  /** A result whose answer time does not matter. */
  public ProbeResult(long failureDomain, long weight) {
    this(failureDomain, weight, 0);
  }
}
