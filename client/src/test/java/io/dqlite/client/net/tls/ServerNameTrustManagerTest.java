package io.dqlite.client.net.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which certificate names answer for the expected server name (go-dqlite's ServerName). */
class ServerNameTrustManagerTest {

  @ParameterizedTest(name = "{0} for {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "dqlite | dqlite | true",
        "DQLite | dqlite | true",
        "other dqlite | dqlite | true",
        "other | dqlite | false",
        "*.db.ns.svc | db-0.db.ns.svc | true",
        "*.db.ns.svc | a.b.db.ns.svc | false",
        "*.db.ns.svc | db.ns.svc | false",
        "*.db.ns.svc | *.db.ns.svc | true",
        "db-0.db.ns.svc | *.db.ns.svc | false",
        "'' | dqlite | false",
      })
  void matches(String names, String expected, boolean match) {
    List<String> dns = names.isEmpty() ? List.of() : Arrays.asList(names.split(" "));
    assertThat(ServerNameTrustManager.matches(dns, expected)).isEqualTo(match);
  }
}
