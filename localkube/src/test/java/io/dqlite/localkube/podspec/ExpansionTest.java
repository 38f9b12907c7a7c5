package io.dqlite.localkube.podspec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpansionTest {
  private static final Map<String, String> VARS = Map.of("A", "1", "POD_IP", "127.1.0.3");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$(A)|1",
        "--bind=$(POD_IP):9001|--bind=127.1.0.3:9001",
        "$(UNDEFINED)|$(UNDEFINED)",
        "$$(A)|$(A)",
        "$$$(A)|$1",
        "cost $5|cost $5",
        "$(A|$(A",
        "a$|a$",
      })
  void expandsLikeKubernetes(String input, String expected) {
    assertThat(Expansion.expand(input, VARS)).isEqualTo(expected);
  }
}
