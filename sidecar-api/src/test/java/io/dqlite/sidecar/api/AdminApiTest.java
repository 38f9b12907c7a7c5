package io.dqlite.sidecar.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminApiTest {

  @ParameterizedTest(name = "{0} carries s3cret: {1}")
  @CsvSource(
      delimiter = ';',
      nullValues = "null",
      value = {
        "Bearer s3cret; true",
        "bearer s3cret; true",
        "  Bearer   s3cret  ; true",
        "Bearer s3cret2; false",
        "Bearer s3cre; false",
        "Bearer ; false",
        "Basic s3cret; false",
        "s3cret; false",
        "null; false",
      })
  void bearerTokens(String header, boolean matches) {
    assertThat(AdminApi.carriesToken(Optional.ofNullable(header), "s3cret")).isEqualTo(matches);
  }

  @Test
  void anEmptyExpectedTokenMatchesNothing() {
    assertThat(AdminApi.carriesToken(Optional.of("Bearer "), "")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "0x2a, 42",
        "0X2A, 42",
        "42, 42",
        "0xffffffffffffffff, -1",
        "18446744073709551615, -1",
        "0x, null",
        "0x1ffffffffffffffff, null",
        "18446744073709551616, null",
        "-1, null",
        "banana, null",
        "'', null",
      })
  void nodeIds(String text, Long id) {
    assertThat(AdminApi.parseId(text))
        .isEqualTo(id == null ? OptionalLong.empty() : OptionalLong.of(id));
  }

  @Test
  void handoverPathNamesTheNodeAsClusterPrintsIt() {
    assertThat(AdminApi.handoverPath(42)).isEqualTo("/handover?node=0x2a");
    assertThat(AdminApi.parseId(AdminApi.hexId(-5))).isEqualTo(OptionalLong.of(-5));
  }
}
