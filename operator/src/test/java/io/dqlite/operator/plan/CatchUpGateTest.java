package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.plan.CatchUpGate.Reading;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatchUpGateTest {

  private static final Reading UNREPORTED = new Reading.Unreported();

  private static Reading at(long i) {
    return new Reading.At(i);
  }

  private static Reading unknown(String why) {
    return new Reading.Unknown(why);
  }

  /**
   * Rows: name, the leader's reading, the restarted members' readings, go?, words of the reason.
   */
  static Stream<Arguments> rows() {
    return Stream.of(
        row("first pod of a rollout: nobody to wait for", at(90), map(), true, "no restarted"),
        row(
            "member at the leader's index",
            at(90),
            map("p-2", at(90)),
            true,
            "caught up with the raft index 90"),
        row("member past it (the leader moved on)", at(90), map("p-2", at(95)), true, "caught up"),
        row(
            "member one entry behind",
            at(90),
            map("p-2", at(89)),
            false,
            "p-2 at 89: behind the raft index 90"),
        row("fresh member, empty log", at(90), map("p-2", at(0)), false, "p-2 at 0"),
        row("one of two behind", at(90), map("p-2", at(90), "p-1", at(12)), false, "p-1 at 12"),
        row("both caught up", at(90), map("p-2", at(91), "p-1", at(90)), true, "caught up"),
        row(
            "leader unreachable",
            unknown("timed out"),
            map("p-2", at(90)),
            false,
            "leader's raft index is unknown (p-0: timed out)"),
        row(
            "leader cannot read its log",
            unknown("could not read"),
            map("p-2", at(90)),
            false,
            "unknown"),
        row(
            "older leader sidecar: Ready only",
            UNREPORTED,
            map("p-2", at(3)),
            true,
            "older sidecar"),
        row(
            "member unreachable",
            at(90),
            map("p-2", unknown("connection refused")),
            false,
            "p-2 is unknown (connection refused)"),
        row(
            "older member sidecar: Ready only",
            at(90),
            map("p-2", UNREPORTED),
            true,
            "p-2 report no position"),
        row(
            "unknown member wins over a behind one",
            at(90),
            map("p-1", at(2), "p-2", unknown("x")),
            false,
            "p-2 is unknown"));
  }

  private static Map<String, Reading> map(Object... kv) {
    Map<String, Reading> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Reading) kv[i + 1]);
    }
    return m;
  }

  private static Arguments row(
      String name, Reading leader, Map<String, Reading> members, boolean go, String words) {
    return Arguments.of(name, leader, members, go, words);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(
      String name, Reading leader, Map<String, Reading> members, boolean go, String words) {
    CatchUpGate.Verdict v = CatchUpGate.decide("p-0", leader, members);
    assertThat(v.caughtUp()).as(v.reason()).isEqualTo(go);
    assertThat(v.reason()).contains(words);
  }
}
