package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.dqlite.operator.DqliteOperator;
import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.DesiredServiceMonitor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The chart's RBAC is enough for the operator: the default render's ServiceAccount, ClusterRoles,
 * bindings and leader-election Role are applied for real, and the operator runs in-process with a
 * client that impersonates that ServiceAccount (so the API server authorizes every call against the
 * chart's rules, nothing else). It must take the Lease, create every object of a cluster with TLS
 * and a ServiceMonitor, patch the status and record an Event, without a single "forbidden" in its
 * log. With {@link HelmChartTest}, which pins the rules to exactly these verbs, this shows the
 * rules are both sufficient and minimal for what the operator does without pods running (handover
 * and scale-down evict pods and delete claims, which the e2e suite covers).
 */
@ExtendWith(SharedControlPlane.Resolver.class)
class ChartRbacIT {

  /** Where the DqliteCluster goes. */
  private static final String NAMESPACE = "rbac-check";

  /**
   * The release: its own name and namespace, so its real objects never meet the dry runs and `helm
   * install --dry-run=server` of {@link ManifestsDryRunIT} on the same API server.
   */
  private static final String RELEASE = "rbac-it";

  private static final String RELEASE_NAMESPACE = "rbac-operator";
  private static final String IDENTITY = "chart-rbac-it";

  private static KubernetesClient admin;
  private static DqliteOperator operator;
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

  @BeforeAll
  static void applyTheChartsRbacAndStartTheOperatorAsItsAccount(SharedControlPlane shared)
      throws Exception {
    admin = shared.client;
    for (String ns : List.of(NAMESPACE, RELEASE_NAMESPACE)) {
      admin
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    Set<String> rbacKinds =
        Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    String rendered =
        ChartRender.chart()
            .template()
            .withName(RELEASE)
            .withNamespace(RELEASE_NAMESPACE)
            .withKubeVersion(ChartRender.KUBE_VERSION)
            .call();
    for (JsonNode doc : Yaml.documents(rendered)) {
      if (rbacKinds.contains(doc.path("kind").asText())) {
        admin
            .resource(
                admin
                    .getKubernetesSerialization()
                    .convertValue(doc, GenericKubernetesResource.class))
            .serverSideApply();
      }
    }
    LOG.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);

    // The operator's client as in production (with fabric8's retries), but authorized as the
    // chart's ServiceAccount.
    String account =
        "system:serviceaccount:" + RELEASE_NAMESPACE + ":" + RELEASE + "-dqlite-operator";
    KubernetesClient asTheOperator =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(shared.controlPlane.config())
                    .withImpersonateUsername(account)
                    .withImpersonateGroups(
                        "system:serviceaccounts",
                        "system:serviceaccounts:" + RELEASE_NAMESPACE,
                        "system:authenticated")
                    .build())
            .build();
    operator =
        DqliteOperator.startEmbedded(
            OperatorSettings.fromEnvironment(
                Map.of(
                    OperatorSettings.ENV_OPERATOR_NAMESPACE, RELEASE_NAMESPACE,
                    OperatorSettings.ENV_POD_NAME, IDENTITY,
                    OperatorSettings.ENV_LEADER_ELECTION, "true",
                    OperatorSettings.ENV_HTTP_HOST, "127.0.0.1",
                    OperatorSettings.ENV_HTTP_PORT, "0")),
            asTheOperator);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
  }

  @Test
  void theOperatorReconcilesAClusterWithNothingButTheChartsRules() {
    Awaitility.await("Lease " + OperatorSettings.LEASE_NAME + " held by the operator")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              var lease =
                  admin
                      .leases()
                      .inNamespace(RELEASE_NAMESPACE)
                      .withName(OperatorSettings.LEASE_NAME)
                      .get();
              return lease != null && IDENTITY.equals(lease.getSpec().getHolderIdentity());
            });

    DqliteCluster cr =
        admin
            .getKubernetesSerialization()
            .unmarshal(
                """
        apiVersion: dqlite.io/v1alpha1
        kind: DqliteCluster
        metadata: {name: rbac, namespace: %s}
        spec:
          replicas: 3
          tls: {generate: true}
          metrics: {serviceMonitor: true}
        """
                    .formatted(NAMESPACE),
                DqliteCluster.class);
    admin.resource(cr).create();

    Awaitility.await("every object of the cluster, its status and an Event")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              var ns = NAMESPACE;
              var statefulSet =
                  admin
                      .apps()
                      .statefulSets()
                      .inNamespace(ns)
                      .withName(ClusterNames.statefulSet(cr))
                      .get();
              assertThat(statefulSet).as("StatefulSet").isNotNull();
              assertThat(statefulSet.getMetadata().getOwnerReferences())
                  .as(
                      "an owner reference that does not block the cluster's deletion (which would"
                          + " need update on dqliteclusters/finalizers, not granted)")
                  .anyMatch(o -> o.getKind().equals("DqliteCluster"))
                  .noneMatch(o -> Boolean.TRUE.equals(o.getBlockOwnerDeletion()));
              assertThat(
                      admin
                          .services()
                          .inNamespace(ns)
                          .withName(ClusterNames.headlessService(cr))
                          .get())
                  .as("headless Service")
                  .isNotNull();
              assertThat(
                      admin
                          .services()
                          .inNamespace(ns)
                          .withName(ClusterNames.clientService(cr))
                          .get())
                  .as("client Service")
                  .isNotNull();
              assertThat(
                      admin
                          .configMaps()
                          .inNamespace(ns)
                          .withName(ClusterNames.joinConfigMap(cr))
                          .get())
                  .as("join ConfigMap")
                  .isNotNull();
              assertThat(
                      admin
                          .serviceAccounts()
                          .inNamespace(ns)
                          .withName(ClusterNames.serviceAccount(cr))
                          .get())
                  .as("ServiceAccount")
                  .isNotNull();
              assertThat(
                      admin
                          .policy()
                          .v1()
                          .podDisruptionBudget()
                          .inNamespace(ns)
                          .withName(ClusterNames.podDisruptionBudget(cr))
                          .get())
                  .as("PDB")
                  .isNotNull();
              assertThat(
                      admin
                          .secrets()
                          .inNamespace(ns)
                          .withName(ClusterNames.generatedTlsSecret(cr))
                          .get())
                  .as("TLS Secret")
                  .isNotNull();
              assertThat(
                      admin
                          .genericKubernetesResources(serviceMonitors())
                          .inNamespace(ns)
                          .withName(ClusterNames.headlessService(cr))
                          .get())
                  .as("ServiceMonitor")
                  .isNotNull();
              DqliteCluster now =
                  admin
                      .resources(DqliteCluster.class)
                      .inNamespace(ns)
                      .withName(cr.getMetadata().getName())
                      .get();
              assertThat(now.getStatus()).as("status").isNotNull();
              assertThat(now.getStatus().getConditions()).as("status conditions").isNotEmpty();
              assertThat(admin.events().v1().events().inNamespace(ns).list().getItems())
                  .as("events.k8s.io Events on the cluster")
                  .anyMatch(
                      e ->
                          e.getRegarding() != null
                              && cr.getMetadata().getName().equals(e.getRegarding().getName()));
            });

    admin
        .resources(DqliteCluster.class)
        .inNamespace(NAMESPACE)
        .withName(cr.getMetadata().getName())
        .delete();
    Awaitility.await("DqliteCluster deleted")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                admin
                        .resources(DqliteCluster.class)
                        .inNamespace(NAMESPACE)
                        .withName(cr.getMetadata().getName())
                        .get()
                    == null);

    assertThat(LOG.list)
        .as("the operator's log is captured")
        .anyMatch(e -> e.getFormattedMessage().startsWith("dqlite-operator started"));
    List<String> refused =
        LOG.list.stream()
            .map(
                e ->
                    e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                            ? ""
                            : " " + e.getThrowableProxy().getMessage()))
            .filter(m -> m.contains("Forbidden") || m.contains("forbidden"))
            .toList();
    assertThat(refused)
        .as("requests the API server refused to the chart's ServiceAccount")
        .isEmpty();
  }

  private static ResourceDefinitionContext serviceMonitors() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(DesiredServiceMonitor.GROUP)
        .withVersion(DesiredServiceMonitor.VERSION)
        .withKind(DesiredServiceMonitor.KIND)
        .withPlural(DesiredServiceMonitor.PLURAL)
        .withNamespaced(true)
        .build();
  }
}
