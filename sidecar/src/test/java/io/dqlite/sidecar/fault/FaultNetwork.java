package io.dqlite.sidecar.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One network namespace per node, each joined by a veth pair to a bridge this class creates, on a
 * /24 of 10.213.0.0/16 that no interface of the host uses. The bridge has no other port and the
 * namespaces have no default route, so nothing leaves the machine; the host side gets {@code .254}
 * so that the test JVM reaches every node's ports. Every name carries the owning JVM's pid ({@code
 * dqf<pid>n<i>}, {@code dqf<pid>v<i>}, {@code dqf<pid>br}), which is how {@link #sweep()} tells the
 * leftovers of a dead run from a live one's. A partition sets a node's veth down: its packets are
 * dropped, not refused, as on a real partition.
 */
final class FaultNetwork implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FaultNetwork.class);
  static final String PREFIX = "dqf";
  private static final Pattern OWNED = Pattern.compile("^" + PREFIX + "(\\d+)(?:n|v|br)\\d*$");

  private final String tag = PREFIX + ProcessHandle.current().pid();
  private final int subnet;
  private final int nodes;
  private final List<Runnable> undo = new ArrayList<>();
  private boolean closed;

  private FaultNetwork(int subnet, int nodes) {
    this.subnet = subnet;
    this.nodes = nodes;
  }

  /** Sweeps what dead runs left, then creates the bridge and {@code nodes} namespaces. */
  static FaultNetwork create(int nodes) {
    sweep();
    FaultNetwork net = new FaultNetwork(freeSubnet(Cmd.run("ip", "-4", "-o", "addr")), nodes);
    try {
      net.build();
      return net;
    } catch (RuntimeException | Error e) {
      net.close();
      throw e;
    }
  }

  private void build() {
    String bridge = bridge();
    Cmd.run("ip", "link", "add", bridge, "type", "bridge");
    undo.add(() -> Cmd.attempt("ip", "link", "del", bridge));
    Cmd.run("ip", "addr", "add", "10.213." + subnet + ".254/24", "dev", bridge);
    Cmd.run("ip", "link", "set", bridge, "up");
    for (int i = 0; i < nodes; i++) {
      String ns = namespace(i);
      Cmd.run("ip", "netns", "add", ns);
      undo.add(() -> Cmd.attempt("ip", "netns", "del", ns));
      // The peer is created inside the namespace, so deleting the namespace deletes the pair.
      Cmd.run("ip", "link", "add", veth(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
      Cmd.run("ip", "link", "set", veth(i), "master", bridge, "up");
      Cmd.run("ip", "netns", "exec", ns, "ip", "addr", "add", ip(i) + "/24", "dev", "eth0");
      Cmd.run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
      Cmd.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
    }
    LOG.info(
        "fault network {}: bridge {}, 10.213.{}.0/24, {} namespaces", tag, bridge, subnet, nodes);
  }

  /** The first 10.213.x.0/24 that no address of the host falls in. */
  static int freeSubnet(String ipAddrOutput) {
    for (int x = 0; x < 255; x++) {
      if (!ipAddrOutput.contains(" 10.213." + x + ".")) {
        return x;
      }
    }
    throw new IllegalStateException("every 10.213.x.0/24 is in use on this host: " + ipAddrOutput);
  }

  String namespace(int i) {
    return tag + "n" + i;
  }

  String veth(int i) {
    return tag + "v" + i;
  }

  String bridge() {
    return tag + "br";
  }

  /** Node {@code i}'s address inside its namespace. */
  String ip(int i) {
    return "10.213." + subnet + "." + (i + 1);
  }

  /** The command prefix that runs a program inside node {@code i}'s namespace. */
  List<String> exec(int i) {
    return List.of("ip", "netns", "exec", namespace(i));
  }

  /** Cuts node {@code i} off the bridge (its veth down): its packets are dropped both ways. */
  void cut(int i) {
    Cmd.run("ip", "link", "set", veth(i), "down");
  }

  /** Undoes {@link #cut(int)}. */
  void heal(int i) {
    Cmd.run("ip", "link", "set", veth(i), "up");
  }

  /**
   * Deletes namespaces and links named {@code dqf<pid>...} whose pid is not a live process (a run
   * that died before its cleanup), killing whatever still runs inside those namespaces first.
   */
  static void sweep() {
    for (String line : Cmd.run("ip", "netns", "list").lines().toList()) {
      String ns = line.split("\\s+")[0];
      if (isLeftover(ns)) {
        for (String pid : Cmd.attempt("ip", "netns", "pids", ns).output().lines().toList()) {
          if (!pid.isBlank()) {
            Cmd.attempt("kill", "-9", pid.strip());
          }
        }
        Cmd.attempt("ip", "netns", "del", ns);
        LOG.info("swept the leftover namespace {}", ns);
      }
    }
    for (String line : Cmd.run("ip", "-o", "link", "show").lines().toList()) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        String name = parts[1].split("@")[0];
        if (isLeftover(name)) {
          Cmd.attempt("ip", "link", "del", name);
          LOG.info("swept the leftover link {}", name);
        }
      }
    }
  }

  /** Whether a namespace or link name is this suite's and its owner is no longer running. */
  static boolean isLeftover(String name) {
    Matcher m = OWNED.matcher(name);
    return m.matches()
        && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = undo.size() - 1; i >= 0; i--) {
      undo.get(i).run();
    }
  }

  @Override
  public String toString() {
    return "fault network " + tag + " (10.213." + subnet + ".0/24)";
  }
}
