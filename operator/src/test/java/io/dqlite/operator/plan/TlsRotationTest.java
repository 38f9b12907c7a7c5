package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.plan.TlsRotation.Cert;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When generated certificates are renewed, case by case. Times are days from an epoch; a
 * certificate is written {@code ID:FROM-TO}; the node certificate {@code ISSUER FROM-TO} ({@code -}
 * when no trusted CA signed it).
 */
class TlsRotationTest {

  static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                        | node       | trusted                   | signer      | rolled out | now  | action            | reason contains
          fresh                                         | A 0-365    | A:0-3650                  | A:0-3650    | true       | 10   | Keep              | valid until
          two thirds of the node's life: still fine     | A 0-365    | A:0-3650                  | A:0-3650    | true       | 243  | Keep              |
          one third left: renew from the same CA        | A 0-365    | A:0-3650                  | A:0-3650    | true       | 244  | RenewNode         | node certificate expires
          renewal does not wait for a rollout           | A 0-365    | A:0-3650                  | A:0-3650    | false      | 300  | RenewNode         |
          expired node certificate: renew               | A 0-365    | A:0-3650                  | A:0-3650    | true       | 400  | RenewNode         |
          no CA key kept, node fresh: nothing to do     | A 0-365    | A:0-3650                  | -           | true       | 10   | Keep              |
          no CA key kept, node due: a new CA            | A 0-365    | A:0-3650                  | -           | true       | 300  | AddAuthority      | no key
          CA due: a new CA                              | A 0-365    | A:0-3650                  | A:0-3650    | true       | 2434 | AddAuthority      | the CA expires
          CA due is checked before the node             | A 2400-2765| A:0-3650                  | A:0-3650    | false      | 2700 | AddAuthority      |
          new CA trusted, pods not all restarted: wait  | A 0-365    | B:300-3950 A:0-3650       | B:300-3950  | false      | 300  | Wait              | distributed
          new CA trusted everywhere: switch the node    | A 0-365    | B:300-3950 A:0-3650       | B:300-3950  | true       | 300  | SwitchNode        |
          switched, pods not all restarted: wait        | B 300-665  | B:300-3950 A:0-3650       | B:300-3950  | false      | 301  | Wait              | restarting
          switched and restarted: retire the old CA     | B 300-665  | B:300-3950 A:0-3650       | B:300-3950  | true       | 301  | RetireAuthorities |
          done: one CA again                            | B 300-665  | B:300-3950                | B:300-3950  | true       | 302  | Keep              |
          CA written but not yet trusted (crash): keep  | A 0-365    | A:0-3650                  | C:100-3750  | true       | 150  | Keep              |
          CA written but not trusted, node due: new CA  | A 0-365    | A:0-3650                  | C:100-3750  | true       | 300  | AddAuthority      |
          node signed by no trusted CA: reissue         | - 0-365    | A:0-3650                  | A:0-3650    | true       | 300  | SwitchNode        |
          """)
  void decide(
      String description,
      String node,
      String trusted,
      String signer,
      boolean rolledOut,
      int now,
      String action,
      String reason) {
    String[] n = node.split(" ");
    TlsRotation.Facts facts =
        new TlsRotation.Facts(
            cert("node:" + n[1]),
            n[0].equals("-") ? Optional.empty() : Optional.of(n[0]),
            Arrays.stream(trusted.trim().split("\\s+")).map(TlsRotationTest::cert).toList(),
            signer.equals("-") ? Optional.empty() : Optional.of(cert(signer)),
            rolledOut);
    TlsRotation.Action decided = TlsRotation.decide(facts, day(now));
    assertThat(decided.getClass().getSimpleName()).isEqualTo(action);
    if (reason != null) {
      assertThat(decided.reason()).contains(reason);
    }
  }

  @ParameterizedTest(name = "{0} of {1} days left: due {2}")
  @CsvSource({"0-365, 122, false", "0-365, 121, true", "0-3, 0, true", "0-300, 200, false"})
  void dueWithAThirdOfTheLifetimeLeft(String validity, int daysLeft, boolean due) {
    Cert c = cert("x:" + validity);
    Instant now = c.notAfter().minus(Duration.ofDays(daysLeft));
    assertThat(c.due(now)).isEqualTo(due);
  }

  static Cert cert(String text) {
    String[] idAndDays = text.split(":");
    List<Integer> days =
        Arrays.stream(idAndDays[1].split("-")).map(String::trim).map(Integer::valueOf).toList();
    return new Cert(idAndDays[0], day(days.get(0)), day(days.get(1)));
  }

  static Instant day(int day) {
    return EPOCH.plus(Duration.ofDays(day));
  }
}
