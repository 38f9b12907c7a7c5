package io.dqlite.operator.membership;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeMetadata;
import io.dqlite.client.net.Dialer;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.plan.MemberIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@link RaftProtocol} with the project's client. Every dial, request and probe is bounded by
 * {@link #TIMEOUT}, go-dqlite's probe timeout in its role algorithm.
 */
public final class DqliteRaftProtocol implements RaftProtocol {

  public static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Function<DqliteCluster, Dialer> dialers;

  /**
   * @param dialers the dialer for a cluster: plain TCP, or TLS with the cluster's certificate
   */
  public DqliteRaftProtocol(Function<DqliteCluster, Dialer> dialers) {
    this.dialers = dialers;
  }

  @Override
  public Membership read(DqliteCluster cr, Map<String, String> dialAddresses) {
    ConnectorConfig config;
    try {
      config = config(cr);
    } catch (RuntimeException e) {
      return Membership.unknown(Map.of(), List.of("dial the nodes: " + e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    Optional<NodeInfo> leader = Optional.empty();
    for (String seed : new TreeSet<>(dialAddresses.values())) {
      try (Client c = Client.connect(seed, config)) {
        leader = c.leader();
        if (leader.isPresent()) {
          break;
        }
        problems.add(seed + " knows no leader");
      } catch (DqliteException e) {
        problems.add("ask " + seed + " for the leader: " + e.getMessage());
      }
    }
    if (leader.isEmpty()) {
      return Membership.unknown(Map.of(), problems);
    }
    String leaderDial = PodEndpoints.dial(leader.get().address(), dialAddresses);
    List<NodeInfo> nodes;
    try (Client c = Client.connect(leaderDial, config)) {
      nodes = c.cluster();
    } catch (DqliteException e) {
      problems.add("read the configuration from leader " + leaderDial + ": " + e.getMessage());
      return Membership.unknown(Map.of(), problems);
    }
    List<RaftMember> members = new ArrayList<>();
    for (NodeInfo node : nodes) {
      NodeMetadata meta = null;
      String dial = PodEndpoints.dial(node.address(), dialAddresses);
      try (Client c = Client.connect(dial, config)) {
        meta = c.describe();
      } catch (DqliteException e) {
        problems.add("probe " + node.hexId() + " at " + dial + ": " + e.getMessage());
      }
      members.add(
          new RaftMember(
              node.id(),
              node.address(),
              node.role(),
              meta != null,
              meta == null ? null : meta.failureDomain(),
              null));
    }
    return new Membership(
        Membership.Source.PROTOCOL,
        Optional.of(new Membership.Leader(leader.get().id(), leader.get().address())),
        members,
        Map.of(),
        problems);
  }

  @Override
  public void remove(DqliteCluster cr, String leaderDialAddress, long id) throws DqliteException {
    ConnectorConfig config;
    try {
      config = config(cr);
    } catch (RuntimeException e) {
      throw new DqliteException(
          0, "remove " + MemberIds.hex(id) + ": " + e.getMessage(), leaderDialAddress, e);
    }
    try (Client c = Client.connect(leaderDialAddress, config)) {
      c.remove(id);
    }
  }

  private ConnectorConfig config(DqliteCluster cr) {
    return ConnectorConfig.builder()
        .dialer(dialers.apply(cr))
        .dialTimeout(TIMEOUT)
        .attemptTimeout(TIMEOUT)
        .requestTimeout(TIMEOUT)
        .connectTimeout(TIMEOUT)
        .build();
  }
}
