package io.dqlite.sidecar.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SidecarSettingTest {

  @Test
  void variablesFollowTheFlagsExceptNodeName() {
    assertThat(SidecarSetting.DIR.env()).isEqualTo("DQLITE_DIR");
    assertThat(SidecarSetting.TLS_CA.env()).isEqualTo("DQLITE_TLS_CA");
    assertThat(SidecarSetting.ROLES_ADJUSTMENT_FREQUENCY.env())
        .isEqualTo("DQLITE_ROLES_ADJUSTMENT_FREQUENCY");
    assertThat(SidecarSetting.NODE_NAME.env()).isEqualTo("NODE_NAME");
  }

  @Test
  void flagsAndVariablesAreUnique() {
    List<SidecarSetting> all = List.of(SidecarSetting.values());
    assertThat(all.stream().map(SidecarSetting::flag).collect(Collectors.toSet()))
        .hasSize(all.size());
    assertThat(all.stream().map(SidecarSetting::env).collect(Collectors.toSet()))
        .hasSize(all.size());
    for (SidecarSetting s : all) {
      assertThat(s.flag()).matches("--[a-z][a-z-]*[a-z]");
      assertThat(SidecarSetting.forFlag(s.flag())).contains(s);
      assertThat(s.description()).as(s.flag()).isNotBlank();
    }
    assertThat(SidecarSetting.forFlag("--bogus")).isEmpty();
  }

  /** Every default parses and obeys its own rule. */
  @Test
  void everyDefaultIsValid() {
    for (SidecarSetting s : SidecarSetting.values()) {
      assertThat(s.check(s.defaultParsed())).as(s.flag()).isEqualTo(s.defaultParsed());
    }
  }

  @Test
  void typedValues() {
    assertThat(SidecarSetting.VOTERS.defaultParsed()).isEqualTo(3);
    assertThat(SidecarSetting.DIR.defaultParsed()).isEqualTo(Path.of("/var/lib/dqlite"));
    assertThat(SidecarSetting.ADMIN_ADDRESS.defaultParsed()).isEqualTo("0.0.0.0:8081");
    assertThat(SidecarSetting.APP_SOCKET_MAX_REQUEST.defaultParsed()).isEqualTo(64L << 20);
    assertThat(SidecarSetting.APP_SOCKET_MAX_REQUEST.parse("512KiB")).isEqualTo(512L * 1024);
    assertThat(SidecarSetting.APP_SOCKET_MAX_REQUEST.parse("1048576")).isEqualTo(1L << 20);
    assertThat(SidecarSetting.APP_SOCKET_MAX_REQUEST.parse("1GiB")).isEqualTo(1L << 30);
    assertThat(SidecarSetting.NETWORK_LATENCY.defaultParsed()).isEqualTo(Duration.ZERO);
    assertThat(SidecarSetting.HANDOVER_TIMEOUT.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(SidecarSetting.JOIN.parse("a:1, b:2,,")).isEqualTo(List.of("a:1", "b:2"));
    assertThat(SidecarSetting.LOG_FORMAT.parse("JSON")).isEqualTo("json");
    assertThat(SidecarSetting.FAILURE_DOMAIN.defaultParsed()).isNull();
    assertThat(SidecarSetting.FAILURE_DOMAIN.check((Object) null)).isNull();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "--voters; 4; --voters 4: must be an odd number greater than 1 (3, 5, 7...) (set by"
            + " --voters or DQLITE_VOTERS)",
        "--voters; 1; --voters 1: must be an odd number",
        "--voters; three; --voters three: expected a whole number (set by --voters or"
            + " DQLITE_VOTERS)",
        "--standbys; -1; --standbys -1: must be 0 or more",
        "--failure-domain; -2; --failure-domain -2: must be 0 or more",
        "--handover-timeout; 0s; --handover-timeout 0s: must be a positive duration",
        "--handover-timeout; soon; --handover-timeout soon: 'soon' is not a duration",
        "--network-latency; PT-1S; --network-latency PT-1S: must not be negative",
        "--app-socket; dqlite; --app-socket dqlite: give @name",
        "--app-socket; @; --app-socket @: give @name",
        "--app-socket-max-request; lots; --app-socket-max-request lots: expected a size in bytes",
        "--app-socket-max-request; 4; --app-socket-max-request 4: must be at least 8 bytes",
        "--admin-address; localhost; --admin-address localhost: expected host:port",
        "--admin-address; h:70000; --admin-address h:70000: expected host:port with a port of 1"
            + " to 65535",
        "--log-format; xml; --log-format xml: expected one of plain, json",
      })
  void badValuesNameTheFlagAndWhatIsAccepted(String flag, String text, String message) {
    SidecarSetting s = SidecarSetting.forFlag(flag).orElseThrow();
    assertThatThrownBy(() -> s.check(s.parse(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void appSocketAcceptsAbstractNamesAndAbsolutePaths() {
    assertThat(SidecarSetting.APP_SOCKET.check("@dqlite")).isEqualTo("@dqlite");
    assertThat(SidecarSetting.APP_SOCKET.check("/run/dqlite.sock")).isEqualTo("/run/dqlite.sock");
  }

  @Test
  void durations() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("0")).isZero();
    for (String d : List.of("250ms", "30s", "5m", "1h", "90s", "0s")) {
      assertThat(Durations.format(Durations.parse(d))).isEqualTo(d);
    }
  }

  @Test
  void helpStatesTheDefaultAndTheVariableWithoutMarkdown() {
    assertThat(SidecarSetting.VOTERS.help())
        .isEqualTo("target voters, odd, ≥ 3 (default: 3; env DQLITE_VOTERS)");
    for (SidecarSetting s : SidecarSetting.values()) {
      assertThat(s.help()).doesNotContain("`");
    }
  }

  @Test
  void choicesAreTheirOwnDefaults() {
    Set<SidecarSetting> withChoices =
        Arrays.stream(SidecarSetting.values())
            .filter(s -> !s.choices().isEmpty())
            .collect(Collectors.toSet());
    assertThat(withChoices)
        .containsExactlyInAnyOrder(
            SidecarSetting.APP_SOCKET_MEMBERSHIP,
            SidecarSetting.ADMIN_AUTH,
            SidecarSetting.CLUSTER_EXISTS,
            SidecarSetting.LOG_FORMAT,
            SidecarSetting.DISK_MODE,
            SidecarSetting.AUTO_RECOVERY,
            SidecarSetting.SNAPSHOT_COMPRESSION);
    for (SidecarSetting s : withChoices) {
      s.defaultValue().ifPresent(d -> assertThat(s.choices()).contains(d));
    }
  }
}
