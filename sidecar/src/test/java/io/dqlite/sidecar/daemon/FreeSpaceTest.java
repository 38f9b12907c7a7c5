package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link FreeSpace}: the threshold with its hysteresis, and a real look at a directory. */
class FreeSpaceTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          plenty                              | false | 1000 | 100 | false
          just at the minimum: fine           | false | 100  | 100 | false
          below the minimum: low              | false | 99   | 100 | true
          full                                | false | 0    | 100 | true
          low, back at the minimum: still low | true  | 100  | 100 | true
          low, just under 125%: still low     | true  | 124  | 100 | true
          low, back at 125%: fine             | true  | 125  | 100 | false
          minimum 0: never low                | false | 0    | 0   | false
          minimum 0, was low: fine            | true  | 0    | 0   | false
          """)
  void isLow(String name, boolean wasLow, long free, long min, boolean expected) {
    assertThat(FreeSpace.isLow(wasLow, free, min)).isEqualTo(expected);
  }

  @Test
  void aDirectoryWithRoomIsFitAndAnImpossibleMinimumIsNot(@TempDir Path dir) {
    assertThat(new FreeSpace(dir, 1).problem()).isEmpty();
    assertThat(new FreeSpace(dir, 0).problem()).isEmpty();
    assertThat(new FreeSpace(dir, Long.MAX_VALUE).problem())
        .hasValueSatisfying(
            p -> assertThat(p).contains(dir.toString()).contains("below --min-free-disk"));
  }
}
