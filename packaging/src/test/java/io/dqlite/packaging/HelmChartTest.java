package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.LintResult;
import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.Sidecar;
import io.dqlite.packaging.ChartRender.ValueSet;
import io.dqlite.sidecar.metrics.SidecarMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** helm/dqlite-operator: lint, metadata, values and schema, and what the templates render. */
class HelmChartTest {

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = ChartRender.chart().lint().strict().call();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @Test
  void chartMetadataMatchesTheProject() throws IOException {
    JsonNode chart = Yaml.documents(RepoPaths.chart().resolve("Chart.yaml")).get(0);
    assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
    assertThat(chart.path("name").asText()).isEqualTo("dqlite-operator");
    assertThat(chart.path("appVersion").asText()).isEqualTo(RepoPaths.releaseVersion());
    assertThat(chart.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(chart.path("kubeVersion").asText()).isEqualTo(">=1.27.0-0");
  }

  @Test
  void chartCarriesTheGeneratedCrd() throws IOException {
    Generated.check(
        RepoPaths.chart().resolve("crds/dqliteclusters.dqlite.io-v1.yml"),
        Files.readString(RepoPaths.crd(), StandardCharsets.UTF_8));
    try (var files = Files.list(RepoPaths.chart().resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("dqliteclusters.dqlite.io-v1.yml");
    }
  }

  /**
   * Every value of the chart's own is commented: each top-level key, each key that opens a section
   * and the first key of each section (its followers share that comment, e.g. interval and
   * scrapeTimeout). Not the fields inside Kubernetes objects passed through as they are.
   */
  @Test
  void everyChartValueIsCommented() throws IOException {
    // Kubernetes' own field names, documented by Kubernetes (the probes' are Probe fields).
    Set<String> passedThrough =
        Set.of(
            "resources",
            "podSecurityContext",
            "securityContext",
            "grafanaDashboard.labels",
            "probes.startup",
            "probes.liveness",
            "probes.readiness");
    List<String> lines = Files.readAllLines(RepoPaths.chart().resolve("values.yaml"));
    Pattern keyLine = Pattern.compile("^( *)([A-Za-z_][A-Za-z0-9_]*):(.*)$");
    Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
    int previousKeyIndent = -1;
    List<String> uncommented = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      Matcher key = keyLine.matcher(lines.get(n));
      if (!key.matches()) {
        continue;
      }
      int indent = key.group(1).length();
      while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
        parents.pop();
      }
      String parent = parents.isEmpty() ? "" : parents.peek().getValue();
      String path = parent.isEmpty() ? key.group(2) : parent + "." + key.group(2);
      boolean opensSection = key.group(3).isBlank();
      boolean firstInSection = indent > previousKeyIndent;
      boolean passThrough =
          passedThrough.stream().anyMatch(p -> parent.equals(p) || parent.startsWith(p + "."));
      boolean commented = n > 0 && lines.get(n - 1).strip().startsWith("#");
      if (!passThrough && (indent == 0 || opensSection || firstInSection) && !commented) {
        uncommented.add("line " + (n + 1) + ": " + path);
      }
      parents.push(Map.entry(indent, path));
      previousKeyIndent = indent;
    }
    assertThat(uncommented).as("values.yaml keys without a comment line above them").isEmpty();
  }

  @Test
  void schemaDescribesEveryValue() throws IOException {
    JsonNode values = Yaml.documents(RepoPaths.chart().resolve("values.yaml")).get(0);
    JsonNode schema =
        new ObjectMapper().readTree(RepoPaths.chart().resolve("values.schema.json").toFile());
    List<String> missing = new ArrayList<>();
    undescribed(values, schema, schema, "", missing);
    assertThat(missing).as("values without a schema entry").isEmpty();
  }

  private static void undescribed(
      JsonNode value, JsonNode schema, JsonNode root, String path, List<String> missing) {
    JsonNode s = resolve(schema, root);
    if (!value.isObject() || !s.has("properties")) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      JsonNode child = s.path("properties").path(field.getKey());
      if (child.isMissingNode()) {
        missing.add(path + "/" + field.getKey());
      } else {
        undescribed(field.getValue(), child, root, path + "/" + field.getKey(), missing);
      }
    }
  }

  private static JsonNode resolve(JsonNode schema, JsonNode root) {
    String ref = schema.path("$ref").asText("");
    return ref.startsWith("#/definitions/")
        ? root.path("definitions").path(ref.substring("#/definitions/".length()))
        : schema;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicaCount: two | at '/replicaCount': got string, want integer",
        "watchNamespaces: team-a | at '/watchNamespaces': got string, want array",
        "logFormat: xml | at '/logFormat'",
        "leaderElection: {enabled: 'yes'} | at '/leaderElection/enabled': got string, want boolean",
        "replicas: 3 | additional properties 'replicas' not allowed",
        "watchNamespaces: [Team_A] | at '/watchNamespaces/0'",
        "metrics: {serviceMonitor: {interval: soon}} | at '/metrics/serviceMonitor/interval'",
        "extraArgs: [--verbose] | additional properties 'extraArgs' not allowed",
        "rbac: {sidecarNodeReader: {serviceAccounts: [{name: a}]}}"
            + " | at '/rbac/sidecarNodeReader/serviceAccounts/0'",
      })
  void wrongValueFailsWithTheSchemasMessage(String values, String message, @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("values.yaml");
    Files.writeString(file, values + "\n");
    assertThatThrownBy(() -> ChartRender.template().withValuesFile(file).call())
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  @Test
  void severalOperatorsWithoutLeaderElectionAreRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("values.yaml");
    Files.writeString(file, "replicaCount: 2\nleaderElection: {enabled: false}\n");
    assertThatThrownBy(() -> ChartRender.template().withValuesFile(file).call())
        .hasMessageContaining("replicaCount > 1 needs leaderElection.enabled=true");
  }

  @Test
  void withoutLeaderElectionTheDeploymentIsRecreatedAndNoLeaseIsGranted(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("values.yaml");
    Files.writeString(file, "leaderElection: {enabled: false}\n");
    List<JsonNode> docs = Yaml.documents(ChartRender.template().withValuesFile(file).call());
    JsonNode deployment = Yaml.one(docs, "Deployment", "dqlite-operator");
    assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    assertThat(env(deployment)).containsEntry("LEADER_ELECTION_ENABLED", "false");
    assertThat(Yaml.find(docs, "Role", "dqlite-operator-leader-election")).isEmpty();
  }

  @Test
  void allNamespacesUseOneClusterRoleOfLeastPrivilege() {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.DEFAULT));
    assertThat(Yaml.ofKind(docs, "Role").map(Yaml::id))
        .containsExactly("Role/dqlite-system/dqlite-operator-leader-election");
    JsonNode role = Yaml.one(docs, "ClusterRole", "dqlite-operator");
    Map<String, List<String>> verbs = Rbac.verbsByResource(role);
    assertThat(verbs.get("dqlite.io/dqliteclusters"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs.get("dqlite.io/dqliteclusters/status")).containsExactly("patch");
    assertThat(verbs)
        .as("no finalizer, no blocking owner references")
        .doesNotContainKey("dqlite.io/dqliteclusters/finalizers");
    for (String owned :
        List.of(
            "apps/statefulsets",
            "/services",
            "/configmaps",
            "/serviceaccounts",
            "policy/poddisruptionbudgets")) {
      assertThat(verbs.get(owned))
          .as(owned)
          .containsExactlyInAnyOrder("list", "watch", "create", "patch");
    }
    assertThat(verbs.get("/secrets"))
        .as("by name only: no Secret informer")
        .containsExactlyInAnyOrder("get", "create", "patch");
    assertThat(verbs.get("monitoring.coreos.com/servicemonitors"))
        .containsExactlyInAnyOrder("list", "watch", "create", "patch", "delete");
    assertThat(verbs.get("networking.k8s.io/networkpolicies"))
        .as("owned, and deleted when spec.networkPolicy.enabled turns false")
        .containsExactlyInAnyOrder("list", "watch", "create", "patch", "delete");
    assertThat(verbs.get("/pods"))
        .as("evicted, never deleted: the PodDisruptionBudget holds")
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs.get("/pods/eviction")).containsExactly("create");
    assertThat(verbs.get("/persistentvolumeclaims"))
        .containsExactlyInAnyOrder("get", "list", "patch", "delete");
    assertThat(verbs.get("events.k8s.io/events")).containsExactly("create");
    assertThat(verbs.keySet())
        .as(
            "no exec into pods, no Nodes, no RBAC objects (the sidecar's account is bound to"
                + " nothing), no wildcards")
        .doesNotContain(
            "/pods/exec",
            "/nodes",
            "/events",
            "rbac.authorization.k8s.io/roles",
            "rbac.authorization.k8s.io/rolebindings")
        .noneMatch(k -> k.contains("*"));
    assertThat(verbs.values())
        .noneMatch(
            v ->
                v.contains("*")
                    || v.contains("escalate")
                    || v.contains("bind")
                    || v.contains("impersonate"));

    assertClusterReads(Yaml.one(docs, "ClusterRole", "dqlite-operator-cluster-reads"), true);
    JsonNode binding = Yaml.one(docs, "ClusterRoleBinding", "dqlite-operator");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo("dqlite-operator");
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("dqlite-operator");
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(ChartRender.NAMESPACE);
  }

  @Test
  void sidecarsMayOnlyGetNodesAndOnlyTheAccountsListed() {
    assertThat(Yaml.documents(ChartRender.render(ValueSet.DEFAULT)))
        .as("no RBAC for the sidecars by default (Kubernetes 1.36 gives them their zone)")
        .noneMatch(d -> d.at("/metadata/name").asText().endsWith("-sidecar-node-reader"));
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.CUSTOM));
    JsonNode role = Yaml.one(docs, "ClusterRole", "dqlite-operator-sidecar-node-reader");
    assertThat(Rbac.verbsByResource(role)).containsExactly(Map.entry("/nodes", List.of("get")));
    JsonNode binding = Yaml.one(docs, "ClusterRoleBinding", "dqlite-operator-sidecar-node-reader");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
    assertThat(binding.path("subjects")).hasSize(1);
    assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("team-a");
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("dqlite-sidecar");
  }

  @Test
  void leaderElectionMayCreateLeasesButOnlyTouchItsOwn() {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.DEFAULT));
    JsonNode role = Yaml.one(docs, "Role", "dqlite-operator-leader-election");
    assertThat(role.at("/metadata/namespace").asText()).isEqualTo(ChartRender.NAMESPACE);
    List<String> rules = new ArrayList<>();
    role.path("rules")
        .forEach(
            r ->
                rules.add(
                    r.path("resources").toString()
                        + r.path("resourceNames").toString()
                        + r.path("verbs")));
    assertThat(rules)
        .containsExactly(
            "[\"leases\"][\"create\"]",
            "[\"leases\"][\"" + OperatorSettings.LEASE_NAME + "\"][\"get\",\"update\",\"patch\"]");
  }

  @Test
  void watchedNamespacesGetRolesAndNothingClusterWide() {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.NAMESPACED_MONITORING));
    assertThat(Yaml.ofKind(docs, "ClusterRole").map(Yaml::id))
        .as("nothing cluster-wide but the cluster-scoped reads")
        .containsExactly("ClusterRole/dqlite-operator-cluster-reads");
    assertClusterReads(Yaml.one(docs, "ClusterRole", "dqlite-operator-cluster-reads"), true);
    assertThat(Yaml.ofKind(docs, "ClusterRoleBinding").map(Yaml::id))
        .containsExactly("ClusterRoleBinding/dqlite-operator-cluster-reads");
    assertThat(Yaml.ofKind(docs, "Role").map(Yaml::id))
        .containsExactlyInAnyOrder(
            "Role/team-a/dqlite-operator",
            "Role/team-b/dqlite-operator",
            "Role/dqlite-system/dqlite-operator-leader-election");
    List<JsonNode> clusterRole = Yaml.documents(ChartRender.render(ValueSet.DEFAULT));
    for (String ns : List.of("team-a", "team-b")) {
      JsonNode role =
          Yaml.ofKind(docs, "Role")
              .filter(r -> r.at("/metadata/namespace").asText().equals(ns))
              .findFirst()
              .orElseThrow();
      assertThat(Rbac.verbsByResource(role))
          .as("the Role in %s grants what the ClusterRole grants, no more", ns)
          .isEqualTo(Rbac.verbsByResource(Yaml.one(clusterRole, "ClusterRole", "dqlite-operator")));
      JsonNode binding =
          Yaml.ofKind(docs, "RoleBinding")
              .filter(r -> r.at("/metadata/namespace").asText().equals(ns))
              .findFirst()
              .orElseThrow();
      assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
      assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(ChartRender.NAMESPACE);
    }
    assertThat(env(Yaml.one(docs, "Deployment", "dqlite-operator")))
        .containsEntry("WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("LOG_FORMAT", "json");
  }

  @Test
  void operatorPodIsRestrictedWithAWritableTmpAndProbes() {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.DEFAULT));
    JsonNode pod = Yaml.one(docs, "Deployment", "dqlite-operator").at("/spec/template/spec");
    assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("dqlite-operator");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    JsonNode c = pod.at("/containers/0");
    assertThat(c.at("/image").asText())
        .isEqualTo("dqlite-k8s/operator:" + RepoPaths.releaseVersion());
    JsonNode sc = c.path("securityContext");
    assertThat(sc.at("/runAsUser").asText()).isEqualTo(DockerfileTest.UID);
    assertThat(sc.at("/runAsGroup").asText()).isEqualTo(DockerfileTest.UID);
    assertThat(sc.at("/runAsNonRoot").asBoolean()).isTrue();
    assertThat(sc.at("/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.at("/allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(sc.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(sc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(c.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
    assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
    assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/livez");
    assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/livez");
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(c.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
    assertThat(env(Yaml.one(docs, "Deployment", "dqlite-operator")))
        .containsEntry(OperatorSettings.ENV_WATCH_NAMESPACES, "")
        .containsEntry(OperatorSettings.ENV_LEADER_ELECTION, "true")
        .containsEntry(OperatorSettings.ENV_LOG_FORMAT, "plain")
        .containsEntry(OperatorSettings.ENV_CLUSTER_DOMAIN, ClusterNames.DEFAULT_CLUSTER_DOMAIN)
        .containsKeys(OperatorSettings.ENV_OPERATOR_NAMESPACE, OperatorSettings.ENV_POD_NAME);
    // The clusters' NetworkPolicies admit the operator by its pods' labels: exactly the
    // Deployment's selector, in the form the operator parses.
    String podLabels =
        env(Yaml.one(docs, "Deployment", "dqlite-operator")).get(OperatorSettings.ENV_POD_LABELS);
    Map<String, String> selector = new java.util.TreeMap<>();
    Yaml.one(docs, "Deployment", "dqlite-operator")
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
    assertThat(
            OperatorSettings.fromEnvironment(Map.of(OperatorSettings.ENV_POD_LABELS, podLabels))
                .operatorPodLabels())
        .isEqualTo(selector)
        .containsKey("app.kubernetes.io/name");
    assertThat(c.at("/ports/0/containerPort").asInt())
        .isEqualTo(OperatorSettings.DEFAULT_HTTP_PORT);
  }

  @Test
  void customValuesReachTheDeployment() {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.CUSTOM));
    JsonNode deployment = Yaml.one(docs, "Deployment", "dqlite-operator");
    JsonNode c = deployment.at("/spec/template/spec/containers/0");
    assertThat(c.at("/image").asText())
        .isEqualTo(
            "registry.example.com/dqlite/operator@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(env(deployment))
        .containsEntry("JDK_JAVA_OPTIONS", "-Xlog:gc")
        .containsEntry("TZ", "UTC");
    assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText())
        .isEqualTo("platform-operators");
    assertThat(Yaml.ofKind(docs, "ServiceAccount")).as("serviceAccount.create=false").isEmpty();
    assertThat(
            Yaml.one(docs, "ClusterRoleBinding", "dqlite-operator").at("/subjects/0/name").asText())
        .isEqualTo("platform-operators");
    assertThat(Rbac.verbsByResource(Yaml.one(docs, "ClusterRole", "dqlite-operator")))
        .doesNotContainKey("monitoring.coreos.com/servicemonitors");
    assertClusterReads(Yaml.one(docs, "ClusterRole", "dqlite-operator-cluster-reads"), false);
  }

  /** Nodes read-only, and the ServiceMonitor CRD by name only when ServiceMonitors are managed. */
  private static void assertClusterReads(JsonNode role, boolean serviceMonitorCrd) {
    assertThat(Rbac.verbsByResource(role)).containsExactly(Map.entry("/nodes", List.of("list")));
    List<String> named = new ArrayList<>();
    role.path("rules")
        .forEach(
            r -> {
              if (r.has("resourceNames")) {
                named.add(
                    r.path("apiGroups")
                        + ""
                        + r.path("resources")
                        + r.path("resourceNames")
                        + r.path("verbs"));
              }
            });
    assertThat(named)
        .isEqualTo(
            serviceMonitorCrd
                ? List.of(
                    "[\"apiextensions.k8s.io\"][\"customresourcedefinitions\"]"
                        + "[\"servicemonitors.monitoring.coreos.com\"][\"get\"]")
                : List.of());
  }

  @Test
  void sidecarPodMonitorSelectsThePodsTheOperatorLabels() {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.NAMESPACED_MONITORING));
    JsonNode monitor = Yaml.one(docs, "PodMonitor", "dqlite-operator-sidecars");
    JsonNode labels = monitor.at("/spec/selector/matchLabels");
    assertThat(labels.path(ClusterNames.NAME_LABEL).asText()).isEqualTo(ClusterNames.APP_NAME);
    assertThat(labels.path(ClusterNames.MANAGED_BY_LABEL).asText()).isEqualTo(ClusterNames.MANAGER);
    assertThat(labels.size()).isEqualTo(2);
    assertThat(monitor.at("/spec/namespaceSelector/matchNames").toString())
        .isEqualTo("[\"team-a\",\"team-b\"]");
    assertThat(monitor.at("/spec/podMetricsEndpoints/0/port").asText())
        .isEqualTo(Sidecar.ADMIN_PORT_NAME);
    assertThat(monitor.at("/spec/podMetricsEndpoints/0/path").asText()).isEqualTo(Sidecar.METRICS);
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");

    JsonNode serviceMonitor = Yaml.one(docs, "ServiceMonitor", "dqlite-operator");
    JsonNode service = Yaml.one(docs, "Service", "dqlite-operator-metrics");
    serviceMonitor
        .at("/spec/selector/matchLabels")
        .properties()
        .forEach(
            e ->
                assertThat(service.at("/metadata/labels").path(e.getKey()).asText())
                    .as("the ServiceMonitor's selector %s matches the metrics Service", e.getKey())
                    .isEqualTo(e.getValue().asText()));
    assertThat(serviceMonitor.at("/spec/endpoints/0/port").asText())
        .isEqualTo(service.at("/spec/ports/0/name").asText());
  }

  @Test
  void dashboardIsValidJsonOverTheSidecarsMetrics() throws IOException {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.NAMESPACED_MONITORING));
    JsonNode configMap = Yaml.one(docs, "ConfigMap", "dqlite-operator-dashboard");
    assertThat(configMap.at("/metadata/namespace").asText()).isEqualTo("monitoring");
    assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = new ObjectMapper().readTree(configMap.at("/data/dqlite.json").asText());
    List<String> exprs = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    assertThat(exprs).isNotEmpty().allSatisfy(e -> assertThat(e).isNotBlank());
    Matcher metric = Pattern.compile("\\b([a-z_]+)\\{").matcher(String.join(" ", exprs));
    List<String> metrics = new ArrayList<>();
    while (metric.find()) {
      metrics.add(metric.group(1));
    }
    assertThat(metrics).contains("dqlite_role", "dqlite_leader");
    // Every series the dashboard queries is one a real sidecar exports (up is Prometheus' own).
    String scrape;
    try (SidecarMetrics sidecar = new SidecarMetrics()) {
      scrape = sidecar.scrape();
    }
    for (String m : metrics) {
      if (!m.equals("up")) {
        assertThat(scrape)
            .as("the sidecar's /metrics has %s", m)
            .containsPattern("(?m)^" + m + "[{ ]");
      }
    }
    // ... and every role it filters on is a label value the sidecar uses.
    Set<String> roles = new java.util.TreeSet<>();
    for (NodeRole r : NodeRole.values()) {
      roles.add(SidecarMetrics.label(r));
    }
    Matcher role = Pattern.compile("role=~?\\\\?\"([^\"\\\\]+)").matcher(String.join(" ", exprs));
    int filters = 0;
    while (role.find()) {
      filters++;
      assertThat(roles)
          .as("role filter %s", role.group(1))
          .containsAll(List.of(role.group(1).split("\\|")));
    }
    assertThat(filters).as("role filters in the dashboard").isPositive();
  }

  @Test
  void monitoringIsOffByDefault() {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.DEFAULT));
    assertThat(docs.stream().map(d -> d.path("kind").asText()))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Service",
            "Deployment");
  }

  static Map<String, String> env(JsonNode deployment) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    StreamSupport.stream(deployment.at("/spec/template/spec/containers/0/env").spliterator(), false)
        .forEach(
            e ->
                env.put(
                    e.path("name").asText(),
                    e.has("value")
                        ? e.path("value").asText()
                        : "<from " + e.path("valueFrom") + ">"));
    return env;
  }
}
