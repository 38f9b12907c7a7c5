package io.dqlite.sidecar.daemon;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a node enters a cluster, decided from {@code --join} as go-dqlite decides it, plus one
 * convenience (dropping the node's own address), which is the contract the operator's join seeds
 * rely on:
 *
 * <ul>
 *   <li>the node has data (info.yaml exists): {@link Kind#RESTART}, {@code --join} is ignored (the
 *       App reads cluster.yaml);
 *   <li>the seeds, {@code --join} minus this node's own address, are empty: {@link Kind#BOOTSTRAP},
 *       a new cluster;
 *   <li>otherwise: {@link Kind#JOIN} through the seeds (the App retries until it succeeds).
 * </ul>
 *
 * So the same list can be given to every pod while only the first pod should bootstrap: give all of
 * them the first pod's address alone; once the cluster exists, give all of them every address (a
 * pod restarting on an empty volume then joins instead of bootstrapping a second cluster).
 *
 * <p>A seed {@code dns:NAME[:port]} stands for every address NAME resolves to (e.g. a headless
 * Service), each with the port (default 9001); resolution happens once, at start, and a name that
 * does not resolve stops the start (Kubernetes restarts the container). Such seeds are IP
 * addresses: the leader search follows each node's answer to the leader's own stable address, so
 * they only need to reach some member; a node's own IP among them is harmless.
 *
 * @param kind what to do
 * @param seeds the addresses to join through (empty unless joining)
 */
public record JoinPlan(Kind kind, List<String> seeds) {

  /** The decision. */
  public enum Kind {
    RESTART,
    BOOTSTRAP,
    JOIN
  }

  public JoinPlan {
    seeds = List.copyOf(seeds);
  }

  /**
   * Decides.
   *
   * @param self this node's address
   * @param join the {@code --join} entries with {@code dns:} entries already expanded
   * @param hasData whether the data directory holds an identity (info.yaml)
   */
  public static JoinPlan decide(String self, List<String> join, boolean hasData) {
    if (hasData) {
      return new JoinPlan(Kind.RESTART, List.of());
    }
    Set<String> seeds = new LinkedHashSet<>(join);
    seeds.remove(self);
    if (seeds.isEmpty()) {
      return new JoinPlan(Kind.BOOTSTRAP, List.of());
    }
    return new JoinPlan(Kind.JOIN, new ArrayList<>(seeds));
  }

  /** Resolves a host name to all its addresses. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * Expands {@code dns:NAME[:port]} entries; other entries are kept as given.
   *
   * @throws IllegalArgumentException for a malformed entry, or a name that resolves to nothing
   */
  public static List<String> expand(List<String> join, int defaultPort, Resolver resolver) {
    List<String> out = new ArrayList<>();
    for (String entry : join) {
      String e = entry.strip();
      if (e.isEmpty()) {
        continue;
      }
      if (!e.startsWith("dns:")) {
        out.add(e);
        continue;
      }
      String spec = e.substring(4);
      String host = spec;
      int port = defaultPort;
      int colon = spec.lastIndexOf(':');
      if (colon >= 0) {
        host = spec.substring(0, colon);
        try {
          port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("--join " + e + ": the port must be a number");
        }
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("--join " + e + ": expected dns:NAME[:port]");
      }
      InetAddress[] addresses;
      try {
        addresses = resolver.resolve(host);
      } catch (UnknownHostException ex) {
        throw new IllegalArgumentException(
            "--join "
                + e
                + ": "
                + host
                + " does not resolve ("
                + ex.getMessage()
                + "); is the"
                + " Service there, with publishNotReadyAddresses: true?");
      }
      for (InetAddress a : addresses) {
        String ip = a.getHostAddress();
        out.add((a instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + port);
      }
    }
    return out;
  }
}
