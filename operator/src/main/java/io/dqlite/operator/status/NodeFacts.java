package io.dqlite.operator.status;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Kubernetes nodes as the operator last listed them, or unknown (listing nodes is forbidden, or
 * failed): checks that need them are then skipped, never guessed.
 *
 * @param known whether the list could be read
 * @param nodes every node
 */
public record NodeFacts(boolean known, List<KubeNode> nodes) {

  /**
   * One node.
   *
   * @param name its name
   * @param labels its labels
   * @param schedulable Ready, and neither cordoned nor tainted NoSchedule/NoExecute
   */
  public record KubeNode(String name, Map<String, String> labels, boolean schedulable) {
    public KubeNode {
      Objects.requireNonNull(name, "name");
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
  }

  public NodeFacts {
    nodes = List.copyOf(nodes);
  }

  public static NodeFacts unknown() {
    return new NodeFacts(false, List.of());
  }

  /** The labels of every node, by name: the zones the pods span ({@link VoterTopology}). */
  public Map<String, Map<String, String>> labelsByName() {
    return nodes.stream().collect(Collectors.toMap(KubeNode::name, KubeNode::labels, (a, b) -> a));
  }

  public int schedulable() {
    return (int) nodes.stream().filter(KubeNode::schedulable).count();
  }

  /** The distinct values of {@code label} on schedulable nodes. */
  public Set<String> zones(String label) {
    return nodes.stream()
        .filter(KubeNode::schedulable)
        .map(n -> n.labels().get(label))
        .filter(z -> z != null && !z.isBlank())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
