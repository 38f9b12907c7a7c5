package io.dqlite.operator.testing;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.membership.AdminToken;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.RaftMember;
import io.dqlite.sidecar.api.SidecarView;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Shared fixtures: cluster {@code db} in namespace {@code shop}, its pods ({@code
 * 10.0.0.<ordinal>}), and memberships in a compact notation, e.g. {@code "v0* v1 s2! p3@1f3"}: role
 * (v voter, s stand-by, p spare), pod ordinal or {@code x} (a node outside the pods), {@code *}
 * leader, {@code !} offline, {@code @hex} id (default 0x100 + ordinal).
 */
public final class Fixtures {

  /** The admin token the fakes are called with. */
  public static final AdminToken TOKEN = AdminToken.of("test-admin-token");

  public static final String DOMAIN = "cluster.local";

  private Fixtures() {}

  public static DqliteCluster cluster() {
    return cluster(spec -> {});
  }

  public static DqliteCluster cluster(Consumer<DqliteClusterSpec> change) {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(
        new ObjectMetaBuilder()
            .withName("db")
            .withNamespace("shop")
            .withGeneration(1L)
            .withUid("uid-db")
            .build());
    DqliteClusterSpec spec = new DqliteClusterSpec();
    change.accept(spec);
    cr.setSpec(spec);
    return cr;
  }

  public static String ip(int ordinal) {
    return "10.0.0." + (ordinal + 10);
  }

  public static String address(int ordinal) {
    return ClusterNames.podAddress(cluster(), ordinal, DOMAIN);
  }

  /** A running, ready pod with an IP. */
  public static Pod pod(int ordinal) {
    return pod(ordinal, true);
  }

  public static Pod pod(int ordinal, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("db-" + ordinal)
        .withNamespace("shop")
        .withUid("uid-db-" + ordinal)
        .withLabels(new HashMap<>(ClusterNames.labels(cluster())))
        .addToLabels("controller-revision-hash", "db-rev1")
        .withCreationTimestamp("2026-11-25T10:00:00Z")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-" + ordinal)
        .endSpec()
        .withNewStatus()
        .withPodIP(ip(ordinal))
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .withLastTransitionTime("2026-11-25T10:00:10Z")
        .endCondition()
        .endStatus()
        .build();
  }

  public static List<Pod> pods(int count) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pods.add(pod(i));
    }
    return pods;
  }

  /** A membership read from a sidecar, in the notation above. */
  public static Membership membership(String notation) {
    List<RaftMember> members = new ArrayList<>();
    Optional<Membership.Leader> leader = Optional.empty();
    int foreign = 0;
    for (String token : notation.trim().split("\\s+")) {
      if (token.isEmpty()) {
        continue;
      }
      var m =
          java.util.regex.Pattern.compile("([vsp])(\\d+|x)(\\*)?(!)?(?:@([0-9a-f]+))?")
              .matcher(token);
      if (!m.matches()) {
        throw new IllegalArgumentException("bad member " + token);
      }
      NodeRole role =
          switch (m.group(1)) {
            case "v" -> NodeRole.VOTER;
            case "s" -> NodeRole.STANDBY;
            default -> NodeRole.SPARE;
          };
      boolean pod = !m.group(2).equals("x");
      int ordinal = pod ? Integer.parseInt(m.group(2)) : -1;
      long id =
          m.group(5) != null
              ? Long.parseLong(m.group(5), 16)
              : pod ? 0x100 + ordinal : 0xf00 + foreign++;
      String address = pod ? address(ordinal) : "10.9.9." + foreign + ":9001";
      boolean online = m.group(4) == null;
      members.add(new RaftMember(id, address, role, online, online ? 1L : null, null));
      if (m.group(3) != null) {
        leader = Optional.of(new Membership.Leader(id, address));
      }
    }
    if (leader.isEmpty()) {
      return Membership.unknown(Map.of(), List.of("no leader"));
    }
    return new Membership(Membership.Source.SIDECAR, leader, members, Map.of(), List.of());
  }

  /** A sidecar's /cluster view of a membership, as the pod of {@code selfOrdinal} answers. */
  public static SidecarView view(Membership membership, int selfOrdinal, String zone) {
    List<SidecarView.MemberView> members = new ArrayList<>();
    String selfAddress = address(selfOrdinal);
    SidecarView.Self self = null;
    for (RaftMember m : membership.members()) {
      boolean isSelf = m.address().equals(selfAddress);
      String role = m.role() == NodeRole.STANDBY ? "standby" : m.role().toString();
      members.add(
          new SidecarView.MemberView(
              m.hexId(),
              m.address(),
              role,
              m.online(),
              m.online() ? 1L : 0L,
              0L,
              isSelf ? zone : null));
      if (isSelf) {
        self =
            new SidecarView.Self(
                m.hexId(),
                m.address(),
                role,
                zone,
                "downward",
                1L,
                true,
                membership.leader().map(l -> l.id() == m.id()).orElse(false));
      }
    }
    SidecarView.NodeRef leader =
        membership
            .leader()
            .map(l -> new SidecarView.NodeRef("0x" + Long.toHexString(l.id()), l.address()))
            .orElse(null);
    return new SidecarView(self, leader, members, "2026-11-25T10:00:00Z", null);
  }
}
