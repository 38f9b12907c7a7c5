package io.dqlite.sidecar.proxy;

import static io.dqlite.sidecar.proxy.ProxyLimits.MAX_CONNECTIONS;
import static io.dqlite.sidecar.proxy.ProxyLimits.MAX_HANDSHAKES;
import static io.dqlite.sidecar.proxy.ProxyLimits.MAX_HANDSHAKES_PER_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.proxy.ProxyLimits.Admission;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The admission decision, limit by limit; the connection limit is checked first. */
class ProxyLimitsTest {

  @ParameterizedTest(name = "{0} connections, {1} handshakes, {2} from the source: {3}")
  @CsvSource({
    "0, 0, 0, ADMIT",
    "1023, 63, 31, ADMIT",
    "1024, 0, 0, TOO_MANY_CONNECTIONS",
    "1024, 64, 32, TOO_MANY_CONNECTIONS",
    "100, 64, 0, TOO_MANY_HANDSHAKES",
    "100, 64, 32, TOO_MANY_HANDSHAKES",
    "100, 40, 32, TOO_MANY_FROM_SOURCE",
    "100, 63, 31, ADMIT",
  })
  void admits(int connections, int handshakes, int fromSource, Admission expected) {
    assertThat(ProxyLimits.admit(connections, handshakes, fromSource)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "the table above assumes {0} = {1}")
  @CsvSource({"MAX_CONNECTIONS, 1024", "MAX_HANDSHAKES, 64", "MAX_HANDSHAKES_PER_SOURCE, 32"})
  void limits(String name, int value) {
    int actual =
        switch (name) {
          case "MAX_CONNECTIONS" -> MAX_CONNECTIONS;
          case "MAX_HANDSHAKES" -> MAX_HANDSHAKES;
          default -> MAX_HANDSHAKES_PER_SOURCE;
        };
    assertThat(actual).isEqualTo(value);
  }
}
