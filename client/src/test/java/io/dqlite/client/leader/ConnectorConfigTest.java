package io.dqlite.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.net.DefaultDialer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {

  @Test
  void defaultsAreGoDqlites() {
    ConnectorConfig c = ConnectorConfig.defaults();
    assertThat(c.dialer()).isSameAs(DefaultDialer.INSTANCE);
    assertThat(c.dialTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.attemptTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.backoffFactor()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.backoffCap()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.retryLimit()).isZero();
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.clientId()).isZero();
  }

  @Test
  void toBuilderKeepsEveryValue() {
    ConnectorConfig c =
        ConnectorConfig.builder().retryLimit(3).requestTimeout(Duration.ofSeconds(2)).build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void refusesNonPositiveDurations() {
    assertThatThrownBy(() -> ConnectorConfig.builder().dialTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dialTimeout");
    assertThatThrownBy(() -> ConnectorConfig.builder().retryLimit(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
