package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MemberIdsTest {

  @ParameterizedTest
  @CsvSource({
    "3297041220608546238, 0x2dc171858c3155be", // go-dqlite's bootstrap id
    "1, 0x1",
    "-1, 0xffffffffffffffff", // generated ids use all 64 bits
  })
  void hexRoundTrip(long id, String hex) {
    assertThat(MemberIds.hex(id)).isEqualTo(hex);
    assertThat(MemberIds.parse(hex)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2dc1", "0x", "0x1ffffffffffffffff", "0xzz"})
  void rejectsOtherForms(String text) {
    assertThatThrownBy(() -> MemberIds.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid raft node id");
  }
}
