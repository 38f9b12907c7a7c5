package io.dqlite.operator.status;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.membership.RaftMember;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether raft's voters are spread over the zones the cluster's pods run in, judged by the failure
 * domains the nodes themselves report (what the sidecars' role algorithm spreads voters by), not by
 * the zones the operator reads from Nodes. Pure.
 *
 * <p>The pods span the zones of the Nodes they run on (when the operator may list Nodes), else the
 * zone labels on the pods themselves. The voters should sit in as many distinct failure domains as
 * that, capped at the number of voters.
 */
public final class VoterTopology {

  private VoterTopology() {}

  /** A condition's status, reason and message. */
  public record Verdict(String status, String reason, String message) {}

  /**
   * A voter as the topology check sees it.
   *
   * @param name its pod (or address)
   * @param failureDomain what it reports; null when it did not answer
   * @param zone the zone it reports about itself, or null
   */
  public record Voter(String name, Long failureDomain, String zone) {}

  /**
   * The verdict.
   *
   * @param leader whether the membership could be read (from a leader)
   * @param voters the online voters
   * @param podZones each live pod's zone, null when unknown
   */
  public static Verdict decide(boolean leader, List<Voter> voters, Map<String, String> podZones) {
    if (!leader) {
      return new Verdict(
          Conditions.UNKNOWN, "MembershipUnknown", "no raft leader found to read the voters from");
    }
    Set<String> spanned =
        podZones.values().stream()
            .filter(z -> z != null && !z.isBlank())
            .collect(Collectors.toCollection(TreeSet::new));
    if (spanned.isEmpty()) {
      return new Verdict(
          Conditions.UNKNOWN,
          "PodZonesUnknown",
          "no zone is known for the pods: neither the pods nor their Nodes (if the operator may"
              + " read them) carry the zone label");
    }
    List<Voter> reporting = voters.stream().filter(v -> v.failureDomain() != null).toList();
    Set<Long> domains =
        reporting.stream().map(Voter::failureDomain).collect(Collectors.toCollection(TreeSet::new));
    int wanted = Math.min(spanned.size(), voters.size());
    String span =
        "pods span "
            + spanned.size()
            + (spanned.size() == 1 ? " zone (" : " zones (")
            + String.join(", ", spanned)
            + ")";
    if (domains.size() >= wanted) {
      return new Verdict(
          Conditions.TRUE,
          "VotersSpread",
          voters.size() + " voter(s) in " + domains.size() + " failure domain(s); " + span);
    }
    return new Verdict(
        Conditions.FALSE,
        "VotersNotSpread",
        voters.size()
            + " voter(s) in "
            + domains.size()
            + " failure domain(s), "
            + wanted
            + " wanted: "
            + span
            + ", voters report "
            + reporting.stream()
                .map(
                    v ->
                        v.name()
                            + " zone "
                            + (v.zone() == null || v.zone().isBlank() ? "none" : v.zone())
                            + " domain "
                            + v.failureDomain())
                .collect(Collectors.joining(", ")));
  }

  /**
   * The Degraded issue when every member reports failure domain 0 (no zone) while the Nodes their
   * pods run on carry the zone label: the sidecars do not see what the cluster knows.
   *
   * @param domains the failure domains the online members report
   * @param nodeZones each pod's zone read from its Node (only Nodes the operator could read)
   * @param label {@code spec.zoneLabel}
   */
  public static Optional<DegradedCheck.Issue> zonesNotSeen(
      List<Long> domains, Map<String, String> nodeZones, String label) {
    Set<String> zones =
        nodeZones.values().stream()
            .filter(z -> z != null && !z.isBlank())
            .collect(Collectors.toCollection(TreeSet::new));
    if (domains.isEmpty() || zones.isEmpty() || domains.stream().anyMatch(d -> d != 0L)) {
      return Optional.empty();
    }
    return Optional.of(
        new DegradedCheck.Issue(
            "ZonesNotSeenByNodes",
            "every member reports failure domain 0 while the Nodes of its pods carry "
                + label
                + " ("
                + String.join(", ", zones)
                + "): the sidecars see no zone, so raft cannot spread voters over zones. Let the"
                + " pods carry their Node's zone label (the PodTopologyLabels admission plugin,"
                + " on by default from Kubernetes 1.36), or set spec.zones.readNodeLabels: true"
                + " and grant the pods' ServiceAccount get on nodes (docs/operator.md, Zones)"));
  }

  /** The verdict for an observation. */
  public static Verdict of(Observation o) {
    List<Voter> voters =
        o.membership().members().stream()
            .filter(m -> m.role() == NodeRole.VOTER && m.online())
            .map(
                m ->
                    new Voter(
                        Optional.ofNullable(podName(o, m.address())).orElse(m.address()),
                        m.failureDomain(),
                        selfZone(o, podName(o, m.address()), m)))
            .toList();
    return decide(o.membership().hasLeader(), voters, podZones(o, true));
  }

  /** The Degraded issue for an observation; see {@link #zonesNotSeen}. */
  public static Optional<DegradedCheck.Issue> zonesNotSeen(Observation o) {
    if (!o.nodes().known() || !o.membership().hasLeader()) {
      return Optional.empty();
    }
    List<Long> domains =
        o.membership().members().stream()
            .filter(RaftMember::online)
            .map(RaftMember::failureDomain)
            .filter(d -> d != null)
            .toList();
    return zonesNotSeen(domains, podZones(o, false), o.cr().getSpec().getZoneLabel());
  }

  /**
   * Each live pod's zone: its Node's label when the Nodes are known, else (if {@code podLabels})
   * the pod's own label.
   */
  static Map<String, String> podZones(Observation o, boolean podLabels) {
    String label = o.cr().getSpec().getZoneLabel();
    Map<String, Map<String, String>> nodes = o.nodes().labelsByName();
    Map<String, String> zones = new LinkedHashMap<>();
    for (Pod pod : o.livePods()) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      String zone = node == null || !nodes.containsKey(node) ? null : nodes.get(node).get(label);
      if ((zone == null || zone.isBlank()) && podLabels && pod.getMetadata().getLabels() != null) {
        zone = pod.getMetadata().getLabels().get(label);
      }
      zones.put(pod.getMetadata().getName(), zone);
    }
    return zones;
  }

  private static String podName(Observation o, String address) {
    OptionalInt ordinal = ClusterNames.ordinalOf(o.cr(), address, o.clusterDomain());
    return ordinal.isPresent() ? ClusterNames.podName(o.cr(), ordinal.getAsInt()) : null;
  }

  private static String selfZone(Observation o, String pod, RaftMember m) {
    var self = pod == null ? null : o.membership().selves().get(pod);
    return self != null && m.hexId().equals(self.id()) ? self.zone() : m.zone();
  }
}
