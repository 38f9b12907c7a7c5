package io.dqlite.operator.dependents;

import java.util.Map;
import java.util.Objects;

/**
 * The operator's own pods, as each cluster's NetworkPolicy admits them: the operator dials the
 * sidecars' admin port and, to read the membership or remove members, their raft port.
 *
 * @param namespace the operator's namespace
 * @param podLabels labels every operator pod carries
 */
public record OperatorPeer(String namespace, Map<String, String> podLabels) {

  public OperatorPeer {
    Objects.requireNonNull(namespace, "namespace");
    podLabels = Map.copyOf(podLabels);
    if (podLabels.isEmpty()) {
      throw new IllegalArgumentException("operator pod labels: none given");
    }
  }
}
