package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DqlitePropertyTest {

  @Test
  void everyPropertyHasAUniqueKeyADescriptionAndAValidDefault() throws SQLException {
    assertThat(Arrays.stream(DqliteProperty.values()).map(DqliteProperty::key))
        .doesNotHaveDuplicates();
    Properties defaults = new Properties();
    defaults.setProperty("database", "d");
    for (DqliteProperty p : DqliteProperty.values()) {
      assertThat(p.description()).as(p.key()).isNotBlank();
      p.validate(defaults);
    }
  }

  @Test
  void choicesAreCaseInsensitiveAndNormalised() throws SQLException {
    Properties props = new Properties();
    props.setProperty("transactionMode", " immediate ");

    assertThat(DqliteProperty.TRANSACTION_MODE.getChoice(props)).isEqualTo("IMMEDIATE");
  }

  @Test
  void durationsAreMilliseconds() throws SQLException {
    Properties props = new Properties();
    props.setProperty("requestTimeout", "1500");

    assertThat(DqliteProperty.REQUEST_TIMEOUT.getMillis(props)).isEqualTo(Duration.ofMillis(1500));
    assertThat(DqliteProperty.LEADER_TIMEOUT.getMillis(new Properties()))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void invalidValuesNameTheProperty() {
    Properties props = new Properties();
    props.setProperty("connectTimeout", "5s");

    assertThatThrownBy(() -> DqliteProperty.CONNECT_TIMEOUT.getInt(props))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("connectTimeout")
        .hasMessageContaining("'5s'");
  }

  @Test
  void propertyInfoCarriesValueDescriptionAndChoices() {
    Properties props = new Properties();
    props.setProperty("tracing", "INFO");

    DriverPropertyInfo info = DqliteProperty.TRACING.toPropertyInfo(props);

    assertThat(info.name).isEqualTo("tracing");
    assertThat(info.value).isEqualTo("INFO");
    assertThat(info.description).contains("SLF4J");
    assertThat(info.choices).containsExactly("OFF", "DEBUG", "INFO");
    assertThat(DqliteProperty.BUSY_TIMEOUT.toPropertyInfo(new Properties()).value)
        .isEqualTo("5000");
    assertThat(DqliteProperty.DATABASE.toPropertyInfo(new Properties()).required).isTrue();
  }

  @Test
  void lookupByKeyIsExact() {
    assertThat(DqliteProperty.forKey("busyTimeout")).contains(DqliteProperty.BUSY_TIMEOUT);
    assertThat(DqliteProperty.forKey("BUSYTIMEOUT")).isEmpty();
  }
}
