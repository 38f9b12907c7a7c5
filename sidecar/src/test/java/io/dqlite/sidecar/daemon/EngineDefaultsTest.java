package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.node.EngineFeatures;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineDefaultsTest {

  private static final EngineFeatures V1_11 =
      EngineFeatures.detect("1.10.0", "/usr/lib/libdqlite.so.0", symbol -> false);
  private static final EngineFeatures V1_18 =
      EngineFeatures.detect("1.18.0", "/usr/lib/libdqlite.so.0", symbol -> true);

  /**
   * The default applied depends on the engine: on 1.18 an unset --snapshot-compression becomes off;
   * on 1.11.1 nothing is passed (the library has no such call); a value set always wins (on 1.11.1
   * it then fails at create, naming the call). Columns: engine, flag (empty: unset), what is passed
   * to libdqlite (empty: nothing).
   */
  @ParameterizedTest(name = "{0}, --snapshot-compression {1}: {2}")
  @CsvSource({
    "1.18, , false",
    "1.18, true, true",
    "1.18, false, false",
    "1.11, , ",
    "1.11, true, true",
    "1.11, false, false",
  })
  void snapshotCompressionDefaultDependsOnTheEngine(String engine, Boolean flag, Boolean expected) {
    EngineFeatures features = engine.equals("1.18") ? V1_18 : V1_11;
    assertThat(EngineDefaults.snapshotCompression(features, Optional.ofNullable(flag)))
        .isEqualTo(Optional.ofNullable(expected));
  }
}
