package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which stale member is replaced, and when it is safe. Members in {@link Notation}'s notation (the
 * stale member as the operator sees it: offline); stale entries {@code 1:0x101>0x201}: pod 1 lists
 * member 0x101 and runs node 0x201.
 */
class ReplacementTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                    | want | members              | stale                       | next        | reason contains
          nothing stale                             | 3    | v0* v1 v2            |                             | none        |
          a lost follower voter is replaced         | 3    | v0* v1! v2           | 1:0x101>0x201               | replace 1   | pod 1 runs node 0x201, not member 0x101
          a lost stand-by is replaced               | 5    | v0* v1 v2 s3! s4     | 3:0x103>0x203               | replace 3   | stand-by
          a lost spare is replaced, whatever quorum | 4    | v0* v1! v2! p3!      | 3:0x103>0x203               | replace 3   | spare
          no leader: membership unknown             | 3    | v0 v1! v2            | 1:0x101>0x201               | none        |
          removal would leave no quorum             | 3    | v0* v1! v2!          | 1:0x101>0x201               | wait        | 1 of 2 voters online, short of a quorum
          five voters, two lost: one at a time      | 5    | v0* v1! v2! v3 v4    | 2:0x102>0x202 1:0x101>0x201 | replace 1   | pod 1
          second of two, after the first            | 5    | v0* v2! v3 v4        | 2:0x102>0x202               | replace 2   | pod 2
          the new node already joined: not stale    | 3    | v0* v1 v2 p1@201     | 1:0x101>0x201               | none        |
          the member is gone already                | 3    | v0* v2               | 1:0x101>0x201               | none        |
          above spec.replicas: the scale-down's job | 2    | v0* v1 v2!           | 2:0x102>0x202               | none        |
          the stale member leads: wait              | 3    | v0 v1*! v2           | 1:0x101>0x201               | wait        | leads
          """)
  void next(
      String description,
      int desired,
      String members,
      String stale,
      String expected,
      String reasonFragment) {
    Optional<ScaleStep> step = Replacement.next(desired, Notation.members(members), stale(stale));
    if (expected.equals("none")) {
      assertThat(step).isEmpty();
      return;
    }
    assertThat(step).isPresent();
    String[] words = expected.split(" ");
    switch (words[0]) {
      case "replace" -> {
        assertThat(step.get()).isInstanceOf(ScaleStep.Replace.class);
        ScaleStep.Replace r = (ScaleStep.Replace) step.get();
        assertThat(r.ordinal()).isEqualTo(Integer.parseInt(words[1]));
        Replacement.Stale s =
            stale(stale).stream().filter(x -> x.ordinal() == r.ordinal()).findFirst().orElseThrow();
        assertThat(r.staleId()).isEqualTo(s.memberId());
        assertThat(r.nodeId()).isEqualTo(s.nodeId());
      }
      case "wait" -> assertThat(step.get()).isInstanceOf(ScaleStep.Wait.class);
      default -> throw new IllegalArgumentException(expected);
    }
    if (reasonFragment != null) {
      assertThat(step.get().reason()).contains(reasonFragment);
    }
  }

  private static List<Replacement.Stale> stale(String text) {
    List<Replacement.Stale> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String token :
        Arrays.stream(text.trim().split("\\s+")).filter(t -> !t.isEmpty()).toList()) {
      String[] parts = token.split("[:>]");
      out.add(
          new Replacement.Stale(
              Integer.parseInt(parts[0]), MemberIds.parse(parts[1]), MemberIds.parse(parts[2])));
    }
    return out;
  }
}
