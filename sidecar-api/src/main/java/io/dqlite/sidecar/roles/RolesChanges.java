package io.dqlite.sidecar.roles;

import static io.dqlite.client.model.NodeRole.SPARE;
import static io.dqlite.client.model.NodeRole.STANDBY;
import static io.dqlite.client.model.NodeRole.VOTER;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.roles.RoleChange.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decides which node should have which role: a port of go-dqlite v1.11.9's {@code
 * app.RolesChanges}, with v1.21.0's failure-domain rebalance and demotion order as options of
 * {@link RolesConfig}.
 *
 * <p>An immutable snapshot: the members as the leader's cluster request listed them, and for each
 * member that answered its probe, a {@link ProbeResult}. A member without one is offline. The
 * decisions are pure; probing and assigning roles are the caller's.
 *
 * <p>Candidates are preferred in go-dqlite's order: online only, then a failure domain not yet
 * represented among the relevant peers, then the lower weight; a candidate whose weight is at least
 * {@link #UNFIT_WEIGHT} comes after all others (not in go-dqlite). Unlike go-dqlite, every list
 * follows the members' listing order and the sort is stable, so ties keep stand-bys before spares
 * and then listing order, and equal inputs always give equal answers.
 */
public final class RolesChanges {

  /** Below this many members only the leader votes (go-dqlite's {@code minVoters}). */
  public static final int MIN_VOTERS = 3;

  /**
   * The weight a node gives itself while it cannot do a voter's work (e.g. its disk is nearly
   * full), and at or above which a candidate is <em>unfit</em>: it comes after every fit candidate,
   * whatever its failure domain, and last as a transfer target ({@link TransferTargets}). A
   * go-dqlite peer, which knows nothing of it, still sorts such a node last within its domain
   * class. Compared unsigned, like every weight.
   */
  public static final long UNFIT_WEIGHT = Long.MAX_VALUE;

  private final RolesConfig config;
  private final List<NodeInfo> members;
  private final Map<Long, ProbeResult> probes;

  /**
   * @param config the targets and options
   * @param members the cluster's members in listing order; ids must be distinct
   * @param probes the probe result of each online member, by node id; only members' ids
   */
  public RolesChanges(RolesConfig config, List<NodeInfo> members, Map<Long, ProbeResult> probes) {
    this.config = Objects.requireNonNull(config, "config");
    this.members = List.copyOf(members);
    this.probes = Map.copyOf(probes);
    Set<Long> ids = new HashSet<>();
    for (NodeInfo member : this.members) {
      if (!ids.add(member.id())) {
        throw new IllegalArgumentException(
            "node id " + member.hexId() + " is listed twice in the members " + this.members);
      }
    }
    for (long id : this.probes.keySet()) {
      if (!ids.contains(id)) {
        throw new IllegalArgumentException(
            "probe result for node 0x" + Long.toHexString(id) + ", which is not a member");
      }
    }
  }

  public RolesConfig config() {
    return config;
  }

  /** The members in listing order. */
  public List<NodeInfo> members() {
    return members;
  }

  /** The probe result of a member, empty when it is offline or not a member. */
  public Optional<ProbeResult> probe(long id) {
    return Optional.ofNullable(probes.get(id));
  }

  /** Whether a member answered its probe. */
  public boolean isOnline(long id) {
    return probes.containsKey(id);
  }

  /** How many members have the role and are online (or offline). */
  public int count(NodeRole role, boolean online) {
    return list(role, online).size();
  }

  /**
   * Whether the node itself should take the voter or stand-by role at start-up because there are
   * too few of them.
   *
   * <ol>
   *   <li>fewer than 3 members: no;
   *   <li>not a member (removed): no;
   *   <li>already a voter or a stand-by: no;
   *   <li>enough online voters and stand-bys: no;
   *   <li>otherwise voter if online voters are short, else stand-by.
   * </ol>
   */
  public Optional<NodeRole> assume(long id) {
    if (members.size() < MIN_VOTERS) {
      return Optional.empty();
    }
    Optional<NodeInfo> node = find(id);
    if (node.isEmpty() || node.get().role() == VOTER || node.get().role() == STANDBY) {
      return Optional.empty();
    }
    int onlineVoters = count(VOTER, true);
    if (onlineVoters >= config.voters() && count(STANDBY, true) >= config.standBys()) {
      return Optional.empty();
    }
    return Optional.of(onlineVoters < config.voters() ? VOTER : STANDBY);
  }

  /**
   * After the node took the role {@link #assume} gave it, whether it should also promote another
   * node to voter: when it became a voter beside exactly one online voter, so that the cluster goes
   * from 1 voter to 3 at once (go-dqlite's {@code maybePromoteOurselves}). Call it on the same
   * snapshot as {@code assume}.
   *
   * <p>Candidates are the other non-voters: the online ones in the usual preference order against
   * the domains of the existing voter and of this node, then the offline ones in listing order
   * (go-dqlite tries every non-voter, in random order).
   */
  public Optional<RoleChange> promoteAlongside(long selfId) {
    List<NodeInfo> onlineVoters = list(VOTER, true);
    if (assume(selfId).orElse(null) != VOTER || onlineVoters.size() != 1) {
      return Optional.empty();
    }
    Set<Long> represented = domainsOf(onlineVoters);
    probe(selfId).ifPresent(p -> represented.add(p.failureDomain()));
    List<NodeInfo> online =
        concat(list(STANDBY, true), list(SPARE, true)).stream()
            .filter(n -> n.id() != selfId)
            .toList();
    List<NodeInfo> offline =
        concat(list(STANDBY, false), list(SPARE, false)).stream()
            .filter(n -> n.id() != selfId)
            .toList();
    return change(
        VOTER, concat(preferNewDomains(online, represented), offline), Reason.PROMOTE_ALONGSIDE);
  }

  /**
   * What the leader should change next, if anything. The first rule that applies decides:
   *
   * <ol>
   *   <li>a single member: nothing;
   *   <li>fewer than 3 members: demote the first voter that is not the leader to spare, else
   *       nothing;
   *   <li>if {@link RolesConfig#rebalanceDomains()}: when fewer domains hold online voters than
   *       domains hold online members, and some domain holds two or more online voters, promote an
   *       online stand-by or spare of a voterless domain to voter (lower weight first; never an
   *       unfit one, {@link #UNFIT_WEIGHT});
   *   <li>exactly the target online voters and stand-bys, none offline: nothing;
   *   <li>online voters short: promote an online stand-by or spare to voter, preferring domains
   *       without an online voter; none available: nothing (stand-bys are not balanced then);
   *   <li>online voters in excess: demote an online voter other than the leader to spare (crowded
   *       domains first if {@link RolesConfig#demoteFromCrowdedDomains()});
   *   <li>offline voters: demote one to spare;
   *   <li>online stand-bys short: promote an online spare, preferring domains without an online
   *       stand-by; none available: nothing;
   *   <li>online stand-bys in excess: demote one other than the leader to spare;
   *   <li>offline stand-bys: demote one to spare;
   *   <li>otherwise nothing.
   * </ol>
   *
   * The leader is never a demotion candidate.
   */
  public Optional<RoleChange> adjust(long leaderId) {
    if (members.size() == 1) {
      return Optional.empty();
    }
    if (members.size() < MIN_VOTERS) {
      return members.stream()
          .filter(n -> n.id() != leaderId && n.role() == VOTER)
          .findFirst()
          .flatMap(n -> change(SPARE, List.of(n), Reason.SMALL_CLUSTER));
    }
    List<NodeInfo> onlineVoters = list(VOTER, true);
    List<NodeInfo> offlineVoters = list(VOTER, false);
    List<NodeInfo> onlineStandBys = list(STANDBY, true);
    List<NodeInfo> offlineStandBys = list(STANDBY, false);

    if (config.rebalanceDomains()) {
      Optional<RoleChange> rebalance = rebalanceDomains(onlineVoters);
      if (rebalance.isPresent()) {
        return rebalance;
      }
    }
    if (offlineVoters.isEmpty()
        && onlineVoters.size() == config.voters()
        && offlineStandBys.isEmpty()
        && onlineStandBys.size() == config.standBys()) {
      return Optional.empty();
    }
    if (onlineVoters.size() < config.voters()) {
      List<NodeInfo> candidates = concat(onlineStandBys, list(SPARE, true));
      return change(
          VOTER, preferNewDomains(candidates, domainsOf(onlineVoters)), Reason.VOTERS_SHORT);
    }
    if (onlineVoters.size() > config.voters()) {
      List<NodeInfo> candidates = without(onlineVoters, leaderId);
      if (config.demoteFromCrowdedDomains()) {
        candidates = crowdedDomainsFirst(candidates, onlineVoters);
      }
      return change(SPARE, candidates, Reason.VOTERS_EXCESS);
    }
    if (!offlineVoters.isEmpty()) {
      return change(SPARE, offlineVoters, Reason.VOTER_OFFLINE);
    }
    if (onlineStandBys.size() < config.standBys()) {
      List<NodeInfo> candidates = list(SPARE, true);
      return change(
          STANDBY, preferNewDomains(candidates, domainsOf(onlineStandBys)), Reason.STANDBYS_SHORT);
    }
    if (onlineStandBys.size() > config.standBys()) {
      return change(SPARE, without(onlineStandBys, leaderId), Reason.STANDBYS_EXCESS);
    }
    if (!offlineStandBys.isEmpty()) {
      return change(SPARE, offlineStandBys, Reason.STANDBY_OFFLINE);
    }
    return Optional.empty();
  }

  /**
   * Whether a node about to stop should hand its role to another node, and to which.
   *
   * <ol>
   *   <li>not a member: no;
   *   <li>not a voter or stand-by: no;
   *   <li>its peers are the other online nodes of its role;
   *   <li>candidates are the online spares, after the online stand-bys for a voter;
   *   <li>no candidate: no;
   *   <li>otherwise its role, candidates preferring domains its peers do not cover, then lower
   *       weight.
   * </ol>
   */
  public Optional<RoleChange> handover(long id) {
    Optional<NodeInfo> found = find(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    NodeRole role = found.get().role();
    if (role != VOTER && role != STANDBY) {
      return Optional.empty();
    }
    List<NodeInfo> peers = without(list(role, true), id);
    List<NodeInfo> candidates =
        role == VOTER ? concat(list(STANDBY, true), list(SPARE, true)) : list(SPARE, true);
    return change(role, preferNewDomains(candidates, domainsOf(peers)), Reason.HANDOVER);
  }

  private Optional<RoleChange> rebalanceDomains(List<NodeInfo> onlineVoters) {
    Set<Long> withVoters = domainsOf(onlineVoters);
    Set<Long> withOnlineNodes = domainsOf(members);
    if (withVoters.size() >= withOnlineNodes.size() || withVoters.size() >= onlineVoters.size()) {
      return Optional.empty();
    }
    // An unfit node is no rebalance candidate: its domain stays without a voter until it is fit
    // (else the rebalance gives back at once the vote the node has just handed over).
    List<NodeInfo> candidates =
        concat(list(STANDBY, true), list(SPARE, true)).stream()
            .filter(n -> !withVoters.contains(domain(n)))
            .filter(n -> !isUnfit(probes.get(n.id()).weight()))
            .sorted(byWeight())
            .toList();
    return change(VOTER, candidates, Reason.REBALANCE_DOMAINS);
  }

  /**
   * Stable sort: fit candidates first, then unrepresented domains, then lower weight (go-dqlite's
   * sortCandidates, after the fitness).
   */
  private List<NodeInfo> preferNewDomains(List<NodeInfo> candidates, Set<Long> represented) {
    Comparator<NodeInfo> order =
        Comparator.comparing((NodeInfo n) -> isUnfit(probes.get(n.id()).weight()))
            .thenComparing(n -> represented.contains(domain(n)))
            .thenComparing(byWeight());
    return candidates.stream().sorted(order).toList();
  }

  /**
   * Stable sort for demoting voters: the domain with most online voters (the leader included)
   * first, a domain's candidates together, higher weight first within it.
   */
  private List<NodeInfo> crowdedDomainsFirst(List<NodeInfo> candidates, List<NodeInfo> voters) {
    Map<Long, Integer> votersPerDomain = new HashMap<>();
    voters.forEach(n -> votersPerDomain.merge(domain(n), 1, Integer::sum));
    Map<Long, Integer> firstSeen = new LinkedHashMap<>();
    candidates.forEach(n -> firstSeen.putIfAbsent(domain(n), firstSeen.size()));
    Comparator<NodeInfo> order =
        Comparator.comparing((NodeInfo n) -> -votersPerDomain.get(domain(n)))
            .thenComparing(n -> firstSeen.get(domain(n)))
            .thenComparing(byWeight().reversed());
    return candidates.stream().sorted(order).toList();
  }

  /** Whether a node's weight says it cannot do a voter's work now ({@link #UNFIT_WEIGHT}). */
  public static boolean isUnfit(long weight) {
    return Long.compareUnsigned(weight, UNFIT_WEIGHT) >= 0;
  }

  private Comparator<NodeInfo> byWeight() {
    return (a, b) -> Long.compareUnsigned(probes.get(a.id()).weight(), probes.get(b.id()).weight());
  }

  /** The failure domain of an online node. */
  private long domain(NodeInfo node) {
    return probes.get(node.id()).failureDomain();
  }

  /** The domains of the online nodes among the given ones. */
  private Set<Long> domainsOf(List<NodeInfo> nodes) {
    Set<Long> domains = new HashSet<>();
    for (NodeInfo node : nodes) {
      probe(node.id()).ifPresent(p -> domains.add(p.failureDomain()));
    }
    return domains;
  }

  private List<NodeInfo> list(NodeRole role, boolean online) {
    return members.stream().filter(n -> n.role() == role && isOnline(n.id()) == online).toList();
  }

  private Optional<NodeInfo> find(long id) {
    return members.stream().filter(n -> n.id() == id).findFirst();
  }

  private static List<NodeInfo> without(List<NodeInfo> nodes, long id) {
    return nodes.stream().filter(n -> n.id() != id).toList();
  }

  private static List<NodeInfo> concat(List<NodeInfo> first, List<NodeInfo> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  private static Optional<RoleChange> change(
      NodeRole role, List<NodeInfo> candidates, Reason reason) {
    return candidates.isEmpty()
        ? Optional.empty()
        : Optional.of(new RoleChange(role, candidates, reason));
  }

  @Override
  public String toString() {
    List<String> nodes = new ArrayList<>();
    for (NodeInfo n : members) {
      ProbeResult p = probes.get(n.id());
      nodes.add(
          n.hexId()
              + " "
              + n.role()
              + (p == null
                  ? " offline"
                  : " domain=" + p.failureDomain() + " weight=" + p.weight()));
    }
    return "RolesChanges" + nodes + " " + config;
  }
}
