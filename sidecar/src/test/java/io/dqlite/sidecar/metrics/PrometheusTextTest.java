package io.dqlite.sidecar.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser must be able to fail, or "parses as Prometheus text" would mean nothing. */
class PrometheusTextTest {

  @Test
  void parsesValidText() {
    PrometheusText t =
        PrometheusText.parse(
            "# HELP a_total things\n# TYPE a_total counter\na_total{k=\"v\\\"q\"} 3.0\n"
                + "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0.5\n"
                + "# TYPE h_max gauge\nh_max 0.5\nuntyped_thing 1e3 1700000000000\n");
    assertThat(t.value("a_total", Map.of("k", "v\"q"))).contains(3.0);
    assertThat(t.value("h_bucket", Map.of("le", "+Inf"))).contains(1.0);
    assertThat(t.value("untyped_thing", Map.of())).contains(1000.0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1bad 1\n",
        "a{1k=\"v\"} 1\n",
        "a{k=v} 1\n",
        "a{k=\"v\\x\"} 1\n",
        "a one\n",
        "a 1 2 3\n",
        "a{k=\"v\"\n",
        "# TYPE a gauge\na_bucket 1\n",
        "# TYPE a sometype\na 1\n",
        "a 1\n# TYPE a gauge\n",
        "a 1\na 2\n"
      })
  void rejectsInvalidText(String text) {
    assertThatThrownBy(() -> PrometheusText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line");
  }
}
