package io.dqlite.localkube.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One simulated node: its name, its address (reported as InternalIP and as its pods' hostIP) and
 * its labels, including {@code topology.kubernetes.io/zone}.
 */
public record NodeSpec(String name, String ip, String zone, Map<String, String> labels) {
  /** The zone label key; the scheduler spreads by it, PodTopologyLabels copies it onto pods. */
  public static final String ZONE = "topology.kubernetes.io/zone";

  /** The region label key. */
  public static final String REGION = "topology.kubernetes.io/region";

  /**
   * {@code count} nodes {@code prefix-1…prefix-N} on 127.0.2.1…N, zones assigned round robin from
   * {@code zones}.
   */
  public static List<NodeSpec> of(String prefix, int count, List<String> zones) {
    if (count < 1 || count > 254) {
      throw new IllegalArgumentException("node count must be 1..254, not " + count);
    }
    if (zones.isEmpty()) {
      throw new IllegalArgumentException("at least one zone is needed");
    }
    List<NodeSpec> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = prefix + "-" + i;
      String zone = zones.get((i - 1) % zones.size());
      out.add(
          new NodeSpec(
              name,
              "127.0.2." + i,
              zone,
              Map.of(
                  "kubernetes.io/hostname",
                  name,
                  "kubernetes.io/os",
                  "linux",
                  "kubernetes.io/arch",
                  "amd64",
                  ZONE,
                  zone,
                  REGION,
                  "local")));
    }
    return out;
  }
}
