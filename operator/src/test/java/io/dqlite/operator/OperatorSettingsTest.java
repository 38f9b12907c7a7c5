package io.dqlite.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.operator.OperatorSettings.LogFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatorSettingsTest {

  @Test
  void defaults() {
    OperatorSettings s = OperatorSettings.fromEnvironment(Map.of("HOSTNAME", "op-7"));
    assertThat(s.clusterDomain()).isEqualTo("cluster.local");
    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.operatorNamespace()).isEmpty();
    assertThat(s.identity()).isEqualTo("op-7");
    assertThat(s.logFormat()).isEqualTo(LogFormat.PLAIN);
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.httpHost()).isEqualTo("0.0.0.0");
    assertThat(s.operatorPodLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "dqlite-operator"));
    assertThat(OperatorSettings.fromEnvironment(Map.of()).identity())
        .startsWith("dqlite-operator-");
  }

  @Test
  void everyVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("DQLITE_OPERATOR_CLUSTER_DOMAIN", "corp.internal");
    env.put("WATCH_NAMESPACES", " shop, billing ,,shop ");
    env.put("LEADER_ELECTION_ENABLED", "false");
    env.put("OPERATOR_NAMESPACE", "dqlite-system");
    env.put("POD_NAME", "dqlite-operator-abc");
    env.put("HOSTNAME", "ignored");
    env.put("LOG_FORMAT", "JSON");
    env.put("DQLITE_OPERATOR_HTTP_PORT", "9090");
    env.put("DQLITE_OPERATOR_HTTP_HOST", "10.1.2.3");
    env.put(
        "DQLITE_OPERATOR_POD_LABELS",
        "app.kubernetes.io/name=dqlite-operator, app.kubernetes.io/instance=ops");
    OperatorSettings s = OperatorSettings.fromEnvironment(env);
    assertThat(s.clusterDomain()).isEqualTo("corp.internal");
    assertThat(s.watchNamespaces()).isEqualTo(Set.of("shop", "billing"));
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.operatorNamespace()).isEqualTo(Optional.of("dqlite-system"));
    assertThat(s.identity()).isEqualTo("dqlite-operator-abc");
    assertThat(s.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(s.logFormat().appender()).isEqualTo("json");
    assertThat(s.httpPort()).isEqualTo(9090);
    assertThat(s.httpHost()).isEqualTo("10.1.2.3");
    assertThat(s.operatorPodLabels())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/name", "dqlite-operator", "app.kubernetes.io/instance", "ops"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "LOG_FORMAT, xml, 'LOG_FORMAT: \"xml\" is not plain or json'",
    "LEADER_ELECTION_ENABLED, maybe, 'LEADER_ELECTION_ENABLED: \"maybe\" is not true or false'",
    "DQLITE_OPERATOR_HTTP_PORT, 70000, 'DQLITE_OPERATOR_HTTP_PORT: \"70000\" is not a port'",
    "WATCH_NAMESPACES, 'shop,Bad_Name', 'WATCH_NAMESPACES: \"Bad_Name\" is not a namespace name'",
    "DQLITE_OPERATOR_POD_LABELS, app=op;x, 'DQLITE_OPERATOR_POD_LABELS: \"app=op;x\" is not a label'",
    "DQLITE_OPERATOR_POD_LABELS, 'a=b,,c=d', 'DQLITE_OPERATOR_POD_LABELS: \"\" is not a label'",
    "DQLITE_OPERATOR_POD_LABELS, app, 'DQLITE_OPERATOR_POD_LABELS: \"app\" is not a label'",
  })
  void mistakesNameTheVariable(String name, String value, String message) {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of(name, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
