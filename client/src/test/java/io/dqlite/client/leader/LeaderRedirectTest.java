package io.dqlite.client.leader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which leader addresses a node may send the client to: TCP host:port only. */
class LeaderRedirectTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:9001",
        "db-0.db.default.svc.cluster.local:9001",
        "DB_1:1",
        "[::1]:9001",
        "[fe80::1%eth0]:9001",
        "[2001:db8::7]:65535"
      })
  void tcpAddressesAreFollowed(String address) {
    assertThat(LeaderConnector.redirectRefusal(address)).isNull();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "@dqlite | a TCP host:port",
        "@ | not a valid address",
        "/run/dqlite/app.sock | a TCP host:port",
        "unix:/run/dqlite/app.sock | a TCP host:port",
        "'' | not a valid address",
        "garbage | not a valid address",
        "host:0 | not a valid address",
        "host:65536 | not a valid address",
        "host:-1 | not a valid address",
        "::1:9001 | not a valid address",
        "[::1]9001 | not a valid address",
        "ho st:9001 | neither a DNS name",
        "host/../x:9001 | neither a DNS name",
        "[::1 ; rm]:9001 | neither a DNS name",
      })
  void everythingElseIsRefusedWithAReason(String address, String reason) {
    assertThat(LeaderConnector.redirectRefusal(address)).contains(reason.strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b:1", "a\nb:1", "h\u00e9:1"})
  void controlAndNonAsciiCharactersAreRefused(String address) {
    assertThat(LeaderConnector.redirectRefusal(address)).isNotNull();
  }

  @Test
  void namesLongerThanDnsAllowsAreRefused() {
    String longest = "a".repeat(253) + ":65535";
    assertThat(LeaderConnector.redirectRefusal(longest)).isNull();
    assertThat(LeaderConnector.redirectRefusal("a".repeat(1_000_000) + ":1"))
        .contains("longer than any DNS name");
  }
}
