package io.dqlite.sidecar.zone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FailureDomainsTest {

  /**
   * Golden values, computed independently (FNV-1a 64, offset 0xcbf29ce484222325, prime
   * 0x100000001b3, masked to 63 bits). "a" hashes to the published FNV-1a test vector
   * 0xaf63dc4c8601ec8c before masking. Changing any of these changes every node's domain.
   */
  @ParameterizedTest
  @CsvSource({
    "a, 3414815163700866188",
    "zone-a, 3552967045029796717",
    "zone-b, 3552963746494912084",
    "zone-c, 3552964846006540295",
    "us-east-1a, 1104460210789469010",
    "europe-west4-b, 5047212103456416240",
    "zürich-1, 1105213916635301394"
  })
  void goldenValues(String zone, long expected) {
    assertThat(FailureDomains.of(zone)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t"})
  void unknownZoneIsDomainZero(String zone) {
    assertThat(FailureDomains.of(zone)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"zone-a", "x", "eu-central-1c", "0"})
  void aKnownZoneIsPositiveAndStable(String zone) {
    long first = FailureDomains.of(zone);
    assertThat(first).isPositive();
    assertThat(FailureDomains.of(zone)).isEqualTo(first);
    assertThat(FailureDomains.of(" " + zone + " "))
        .as("surrounding blanks ignored")
        .isEqualTo(first);
  }

  @ParameterizedTest
  @CsvSource({"zone-a, zone-b", "a, b", "us-east-1a, us-east-1b"})
  void differentZonesDiffer(String one, String other) {
    assertThat(FailureDomains.of(one)).isNotEqualTo(FailureDomains.of(other));
  }
}
