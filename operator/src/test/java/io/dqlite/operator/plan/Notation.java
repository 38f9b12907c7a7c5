package io.dqlite.operator.plan;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.crd.ScaleDownStatus.Removal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A compact notation for the plan tables.
 *
 * <ul>
 *   <li>Members: {@code v0* s3! p4@204 vx}: role (v voter, s stand-by, p spare), pod ordinal (or
 *       {@code x}: a node that is not one of the pods), {@code *} leader, {@code !} offline, {@code
 *       @hex} id (default 0x100 + ordinal).
 *   <li>Pods: {@code 0a 1b! 2ax}: ordinal, revision letter, {@code !} not ready, {@code x}
 *       terminating, {@code ~} its containers do not run (pending, crash-looping).
 *   <li>Bookkeeping: {@code 4:0x104 3:0x103+r}: ordinal, id, {@code +r} recycled.
 * </ul>
 */
final class Notation {

  private static final Pattern MEMBER =
      Pattern.compile("([vsp])(\\d+|x)(\\*)?(!)?(?:@([0-9a-f]+))?");
  private static final Pattern POD = Pattern.compile("(\\d+)([a-z])(!)?(x)?(~)?");

  private Notation() {}

  static List<Member> members(String text) {
    List<Member> members = new ArrayList<>();
    int foreign = 0;
    for (String token : tokens(text)) {
      Matcher m = MEMBER.matcher(token);
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
      String address = pod ? "db-" + ordinal + ".db-headless:9001" : "10.0.0." + id + ":9001";
      members.add(
          new Member(
              id,
              address,
              pod ? OptionalInt.of(ordinal) : OptionalInt.empty(),
              role,
              m.group(4) == null,
              m.group(3) != null));
    }
    return members;
  }

  static List<PodState> pods(String text) {
    List<PodState> pods = new ArrayList<>();
    for (String token : tokens(text)) {
      Matcher m = POD.matcher(token);
      if (!m.matches()) {
        throw new IllegalArgumentException("bad pod " + token);
      }
      pods.add(
          new PodState(
              Integer.parseInt(m.group(1)),
              m.group(2),
              m.group(3) == null,
              m.group(4) != null,
              m.group(5) == null));
    }
    return pods;
  }

  static ScaleDownStatus bookkeeping(int replicas, String text) {
    if (tokens(text).isEmpty()) {
      return null;
    }
    List<Removal> removals = new ArrayList<>();
    for (String token : tokens(text)) {
      String[] parts = token.replace("+r", "").split(":");
      Removal r = new Removal(Integer.parseInt(parts[0]), parts[1]);
      if (token.endsWith("+r")) {
        r.setRecycled(true);
      }
      removals.add(r);
    }
    return new ScaleDownStatus(replicas, removals);
  }

  static String bookkeeping(ScaleDownStatus status) {
    if (status == null) {
      return "";
    }
    return status.getRemovals().stream()
        .map(
            r ->
                r.getOrdinal()
                    + ":"
                    + r.getId()
                    + (Boolean.TRUE.equals(r.getRecycled()) ? "+r" : ""))
        .collect(Collectors.joining(" "));
  }

  static String step(ScaleStep step) {
    if (step instanceof ScaleStep.Drain d) {
      return "drain " + d.ordinal();
    } else if (step instanceof ScaleStep.Remove r) {
      return "remove " + r.ordinal();
    } else if (step instanceof ScaleStep.Replace r) {
      return "replace " + r.ordinal();
    } else if (step instanceof ScaleStep.Shrink s) {
      return "shrink " + s.replicas();
    } else if (step instanceof ScaleStep.Recycle r) {
      return "recycle " + r.ordinal();
    } else if (step instanceof ScaleStep.Grow g) {
      return "grow " + g.replicas();
    } else if (step instanceof ScaleStep.Wait) {
      return "wait";
    }
    return "done";
  }

  static String decision(RollDecision decision) {
    if (decision instanceof RollDecision.Restart r) {
      return "restart " + r.ordinal();
    } else if (decision instanceof RollDecision.Wait) {
      return "wait";
    }
    return "done";
  }

  private static List<String> tokens(String text) {
    return text == null || text.isBlank()
        ? List.of()
        : Arrays.stream(text.trim().split("\\s+")).toList();
  }
}
