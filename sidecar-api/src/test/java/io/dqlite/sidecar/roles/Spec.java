package io.dqlite.sidecar.roles;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The small notation the role tables use.
 *
 * <p>A cluster is nodes separated by spaces, in listing order: {@code
 * <id><role>[@domain][w<weight>][t<answer ms>]} for an online node (weight unsigned), {@code
 * <id><role>!} for an offline one. Roles: {@code V} voter, {@code SB} stand-by, {@code SP} spare.
 * Domain and weight default to 0. Example: {@code "1V@1 2SB@2w5 3SP!"}.
 *
 * <p>A config is {@code voters/standBys} with this project's defaults, followed by {@code go} for
 * go-dqlite v1.11.9 exactly, or {@code crowded} for crowded-domain demotion without rebalance.
 *
 * <p>A change prints as {@code <role> <ids,...> <REASON>}, e.g. {@code "V 4,3 VOTERS_SHORT"}, or
 * {@code none}.
 */
public final class Spec {

  private static final Pattern NODE =
      Pattern.compile("(\\d+)(V|SB|SP)(?:@(\\d+))?(?:w(\\d+))?(?:t(\\d+))?(!)?");

  private Spec() {}

  static RolesConfig config(String text) {
    String[] parts = text.trim().split("\\s+");
    String[] counts = parts[0].split("/");
    int voters = Integer.parseInt(counts[0]);
    int standBys = Integer.parseInt(counts[1]);
    String mode = parts.length > 1 ? parts[1] : "default";
    return switch (mode) {
      case "default" -> RolesConfig.of(voters, standBys);
      case "go" -> RolesConfig.goDqlite1119(voters, standBys);
      case "crowded" -> new RolesConfig(voters, standBys, false, true);
      default -> throw new IllegalArgumentException("unknown config mode " + mode);
    };
  }

  public static RolesChanges changes(String config, String cluster) {
    List<NodeInfo> members = new ArrayList<>();
    Map<Long, ProbeResult> probes = new LinkedHashMap<>();
    for (String token : cluster.trim().split("\\s+")) {
      Matcher m = NODE.matcher(token);
      if (!m.matches()) {
        throw new IllegalArgumentException("bad node " + token + " in " + cluster);
      }
      long id = Long.parseLong(m.group(1));
      members.add(new NodeInfo(id, "127.0.4." + id + ":9001", role(m.group(2))));
      if (m.group(6) == null) {
        long domain = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        long weight = m.group(4) == null ? 0 : Long.parseUnsignedLong(m.group(4));
        long answer = m.group(5) == null ? 0 : Long.parseLong(m.group(5));
        probes.put(id, new ProbeResult(domain, weight, answer));
      }
    }
    return new RolesChanges(config(config), members, probes);
  }

  static NodeRole role(String code) {
    return switch (code) {
      case "V" -> NodeRole.VOTER;
      case "SB" -> NodeRole.STANDBY;
      case "SP" -> NodeRole.SPARE;
      default -> throw new IllegalArgumentException("unknown role " + code);
    };
  }

  static String code(NodeRole role) {
    return switch (role) {
      case VOTER -> "V";
      case STANDBY -> "SB";
      case SPARE -> "SP";
    };
  }

  static String print(Optional<RoleChange> change) {
    return change
        .map(
            c ->
                code(c.role())
                    + " "
                    + c.candidates().stream()
                        .map(n -> Long.toString(n.id()))
                        .collect(Collectors.joining(","))
                    + " "
                    + c.reason())
        .orElse("none");
  }

  static String printRole(Optional<NodeRole> role) {
    return role.map(Spec::code).orElse("none");
  }

  static List<String> tokens(String cluster) {
    return Arrays.asList(cluster.trim().split("\\s+"));
  }
}
