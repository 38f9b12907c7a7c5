package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.operator.DqliteOperator;
import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.crd.MetricsSpec;
import io.dqlite.operator.crd.NetworkPolicySpec;
import io.dqlite.operator.crd.PeerSelector;
import io.dqlite.operator.crd.TlsSpec;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.DesiredAdminSecret;
import io.dqlite.operator.dependents.GeneratedTls;
import io.dqlite.operator.dependents.GeneratedTls.Material;
import io.dqlite.operator.dependents.PodVolumes;
import io.dqlite.operator.dependents.ServiceMonitor;
import io.dqlite.operator.dependents.Sidecar;
import io.dqlite.operator.dependents.StatefulSetDependent;
import io.dqlite.operator.dependents.TlsCertificates;
import io.dqlite.operator.dependents.TlsCertificates.Authority;
import io.dqlite.operator.dependents.TlsRevision;
import io.dqlite.operator.status.Conditions;
import io.dqlite.operator.steps.UserTls;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process in-process against a real API server, authenticated as a ServiceAccount
 * bound to exactly the RBAC of docs/operator.md, with leader election on: server-side apply of the
 * owned objects, owner references and garbage collection, status and Events, the scale subresource,
 * generated TLS kept stable, the ServiceMonitor following its CRD and the spec, the Lease and the
 * HTTP endpoints. No node agent runs, so pods stay Pending and no raft exists: the operator must
 * scale up, refuse to shrink without a leader, and report it all without failing.
 */
@ExtendWith(LocalKube.class)
class OperatorIT {

  private static final Logger log = LoggerFactory.getLogger(OperatorIT.class);
  static final String OPERATOR_NS = "dqlite-system";
  static final Path DOC = Path.of("..", "docs", "operator.md");
  static final Duration WAIT = Duration.ofSeconds(90);

  static KubernetesClient admin;
  static DqliteOperator operator;
  static String ns;

  @BeforeAll
  static void startOperator() throws Exception {
    admin = LocalKube.admin();
    if (admin.namespaces().withName(OPERATOR_NS).get() == null) {
      admin
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(OPERATOR_NS)
                  .endMetadata()
                  .build())
          .create();
    }
    ns = LocalKube.namespace("op");
    KubernetesClient restricted = restrictedClient();
    OperatorSettings settings =
        OperatorSettings.fromEnvironment(
            Map.of(
                "OPERATOR_NAMESPACE", OPERATOR_NS,
                "POD_NAME", "operator-it",
                "DQLITE_OPERATOR_HTTP_PORT", "0"));
    operator = DqliteOperator.startEmbedded(settings, restricted);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
    if (ns != null) {
      LocalKube.deleteNamespace(ns);
    }
  }

  /** A client with a token of ServiceAccount dqlite-operator, bound to the documented rules. */
  static KubernetesClient restrictedClient() throws Exception {
    String doc = Files.readString(DOC);
    String yaml =
        doc.substring(doc.indexOf("<!-- rbac:begin -->"), doc.indexOf("<!-- rbac:end -->"))
            .replace("<!-- rbac:begin -->", "")
            .replace("```yaml", "")
            .replace("```", "");
    List<HasMetadata> rbac =
        admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    assertThat(rbac).extracting(HasMetadata::getKind).containsExactly("ClusterRole", "Role");
    admin.resource(rbac.get(0)).forceConflicts().fieldManager("operator-it").serverSideApply();
    admin
        .resource(rbac.get(1))
        .inNamespace(OPERATOR_NS)
        .forceConflicts()
        .fieldManager("operator-it")
        .serverSideApply();
    ServiceAccount sa =
        admin
            .resource(
                new ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName("dqlite-operator")
                    .withNamespace(OPERATOR_NS)
                    .endMetadata()
                    .build())
            .forceConflicts()
            .fieldManager("operator-it")
            .serverSideApply();
    admin
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("dqlite-operator")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "dqlite-operator")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("dqlite-operator")
                .withNamespace(OPERATOR_NS)
                .endSubject()
                .build())
        .forceConflicts()
        .fieldManager("operator-it")
        .serverSideApply();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("dqlite-operator-leader-election")
                .withNamespace(OPERATOR_NS)
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "Role", "dqlite-operator-leader-election")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("dqlite-operator")
                .withNamespace(OPERATOR_NS)
                .endSubject()
                .build())
        .forceConflicts()
        .fieldManager("operator-it")
        .serverSideApply();
    String token =
        admin
            .serviceAccounts()
            .inNamespace(OPERATOR_NS)
            .withName(sa.getMetadata().getName())
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = LocalKube.controlPlane().config();
    Config config =
        new ConfigBuilder()
            .withMasterUrl(adminConfig.getMasterUrl())
            .withCaCertData(adminConfig.getCaCertData())
            .withCaCertFile(adminConfig.getCaCertFile())
            .withOauthToken(token)
            .withNamespace(OPERATOR_NS)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  static DqliteCluster create(String name, Consumer<DqliteClusterSpec> change) {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    DqliteClusterSpec spec = new DqliteClusterSpec();
    change.accept(spec);
    cr.setSpec(spec);
    cr.setStatus(null);
    return admin.resource(cr).create();
  }

  static Resource<DqliteCluster> cluster(String name) {
    return admin.resources(DqliteCluster.class).inNamespace(ns).withName(name);
  }

  /** Changes the spec of cluster {@code name} in place. */
  static void editSpec(String name, Consumer<DqliteClusterSpec> change) {
    // The operator patches the status meanwhile: an edit of an older resourceVersion conflicts
    // (409) and is made again on the newest object.
    await()
        .atMost(WAIT)
        .ignoreExceptionsMatching(
            e ->
                e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                    && k.getCode() == 409)
        .untilAsserted(
            () ->
                cluster(name)
                    .edit(
                        c -> {
                          change.accept(c.getSpec());
                          return c;
                        }));
  }

  static <T extends HasMetadata> Optional<T> get(Class<T> type, String name) {
    return Optional.ofNullable(admin.resources(type).inNamespace(ns).withName(name).get());
  }

  @Test
  void ownedObjectsStatusEventsTlsAndGarbageCollection() {
    // A minimal cluster: TLS is the default.
    DqliteCluster created = create("db", spec -> {});

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DqliteCluster cr = cluster("db").get();
              assertThat(cr.getStatus()).isNotNull();
              assertThat(cr.getStatus().getObservedGeneration()).isEqualTo(1L);
              assertThat(cr.getStatus().getConditions()).hasSize(5);
              // The first pass records the cluster identity alone; the next creates the objects.
              assertThat(cr.getStatus().getIdentity()).isNotNull();
              assertThat(get(StatefulSet.class, "db")).isPresent();
            });
    DqliteCluster cr = cluster("db").get();
    log.info("status: {}", io.fabric8.kubernetes.client.utils.Serialization.asYaml(cr.getStatus()));
    // No node exists here: the cluster is degraded (pods unschedulable once the scheduler has
    // seen them, too few nodes for the voters), not failing.
    assertThat(Conditions.find(cr.getStatus().getConditions(), ConditionTypes.DEGRADED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isIn("TooFewNodes", "PodsUnschedulable");
              assertThat(c.getMessage()).contains("0 schedulable node(s) for 3 voters");
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
            });
    assertThat(Conditions.find(cr.getStatus().getConditions(), ConditionTypes.AVAILABLE))
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("NoLeader"));
    assertThat(cr.getMetadata().getManagedFields())
        .as("the status is written by server-side apply")
        .anySatisfy(
            f -> {
              assertThat(f.getOperation()).isEqualTo("Apply");
              assertThat(f.getSubresource()).isEqualTo("status");
            });

    List<HasMetadata> owned =
        List.of(
            get(StatefulSet.class, "db").orElseThrow(),
            get(Service.class, "db-headless").orElseThrow(),
            get(Service.class, "db").orElseThrow(),
            get(PodDisruptionBudget.class, "db").orElseThrow(),
            get(ServiceAccount.class, "db").orElseThrow(),
            get(ConfigMap.class, "db-join").orElseThrow(),
            get(Secret.class, "db-tls").orElseThrow(),
            get(Secret.class, "db-tls-ca").orElseThrow(),
            get(Secret.class, "db-admin").orElseThrow(),
            get(NetworkPolicy.class, "db").orElseThrow());
    assertThat(owned)
        .allSatisfy(
            o -> {
              assertThat(o.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(
                      ref -> assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid()));
              assertThat(o.getMetadata().getManagedFields())
                  .extracting(ManagedFieldsEntry::getOperation)
                  .as("%s %s written by the operator", o.getKind(), o.getMetadata().getName())
                  .isNotEmpty();
              if (!(o instanceof Secret)) {
                // The Secrets are created plainly (the TLS ones changed by server-side apply).
                assertThat(o.getMetadata().getManagedFields())
                    .extracting(ManagedFieldsEntry::getOperation)
                    .as("%s %s applied server-side", o.getKind(), o.getMetadata().getName())
                    .contains("Apply");
              }
            });
    StatefulSet sts = get(StatefulSet.class, "db").orElseThrow();
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactly("db-admin", "db-tls");
    // The admin token: 43 random characters, mounted read-only into the sidecar container only.
    assertThat(DesiredAdminSecret.token(get(Secret.class, "db-admin").orElseThrow()))
        .hasValueSatisfying(t -> assertThat(t).hasSize(43));
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers())
        .allSatisfy(
            c ->
                assertThat(c.getVolumeMounts())
                    .filteredOn(m -> m.getName().equals(PodVolumes.ADMIN))
                    .as("admin Secret mounts of container %s", c.getName())
                    .hasSize(c.getName().equals(Sidecar.CONTAINER_NAME) ? 1 : 0)
                    .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue()));
    Secret adminBefore = get(Secret.class, "db-admin").orElseThrow();
    assertThat(cr.getStatus().getTls().getMode()).isEqualTo("Generated");
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(e -> e.getName())
        .contains("DQLITE_TLS_CERT", "DQLITE_TLS_KEY", "DQLITE_TLS_CA");

    // The NetworkPolicy: raft port from the cluster's pods, its clients and this operator (its
    // namespace and default pod labels), admin port from the operator only.
    NetworkPolicy np = get(NetworkPolicy.class, "db").orElseThrow();
    assertThat(np.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(ClusterNames.selectorLabels(created));
    assertThat(np.getSpec().getIngress())
        .extracting(r -> r.getPorts().get(0).getPort().getIntVal(), r -> r.getFrom().size())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(9001, 3),
            org.assertj.core.groups.Tuple.tuple(8081, 1));
    assertThat(np.getSpec().getIngress().get(1).getFrom().get(0))
        .satisfies(
            p -> {
              assertThat(p.getNamespaceSelector().getMatchLabels())
                  .isEqualTo(Map.of("kubernetes.io/metadata.name", OPERATOR_NS));
              assertThat(p.getPodSelector().getMatchLabels())
                  .isEqualTo(OperatorSettings.DEFAULT_POD_LABELS);
            });
    assertThat(np.getSpec().getIngress().get(0).getFrom().get(1).getPodSelector().getMatchLabels())
        .isEqualTo(Map.of("dqlite.io/client", "db"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(eventsAbout("db"))
                    .extracting(Event::getReason)
                    .containsAnyOf("TooFewNodes", "PodsUnschedulable"));

    // A spec change rolls the StatefulSet template, never the generated certificates.
    Secret before = get(Secret.class, "db-tls").orElseThrow();
    editSpec("db", spec -> spec.setVoters(5));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        get(StatefulSet.class, "db")
                            .orElseThrow()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getEnv())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getName()).isEqualTo("DQLITE_VOTERS");
                          assertThat(e.getValue()).isEqualTo("5");
                        }));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster("db").get().getStatus().getObservedGeneration()).isEqualTo(2L));
    Secret after = get(Secret.class, "db-tls").orElseThrow();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getData()).isEqualTo(before.getData());
    assertThat(get(Secret.class, "db-admin").orElseThrow().getData())
        .as("the admin token is never regenerated")
        .isEqualTo(adminBefore.getData());

    // metricsFrom admits Prometheus to the admin port; turning the policy off deletes it.
    editSpec(
        "db",
        spec -> {
          NetworkPolicySpec policy = new NetworkPolicySpec();
          policy.setMetricsFrom(
              List.of(
                  new PeerSelector(
                      new LabelSelectorBuilder()
                          .addToMatchLabels("kubernetes.io/metadata.name", "monitoring")
                          .build(),
                      null)));
          spec.setNetworkPolicy(policy);
        });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        get(NetworkPolicy.class, "db")
                            .orElseThrow()
                            .getSpec()
                            .getIngress()
                            .get(1)
                            .getFrom())
                    .hasSize(2));
    editSpec("db", spec -> spec.getNetworkPolicy().setEnabled(false));
    await().atMost(WAIT).untilAsserted(() -> assertThat(get(NetworkPolicy.class, "db")).isEmpty());
    editSpec("db", spec -> spec.getNetworkPolicy().setEnabled(true));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get(NetworkPolicy.class, "db")).isPresent());

    // Deleting the cluster lets the garbage collector take every owned object.
    cluster("db").delete();
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              assertThat(get(StatefulSet.class, "db")).isEmpty();
              assertThat(get(Service.class, "db-headless")).isEmpty();
              assertThat(get(Service.class, "db")).isEmpty();
              assertThat(get(ConfigMap.class, "db-join")).isEmpty();
              assertThat(get(Secret.class, "db-tls")).isEmpty();
              assertThat(get(Secret.class, "db-tls-ca")).isEmpty();
              assertThat(get(Secret.class, "db-admin")).isEmpty();
              assertThat(get(PodDisruptionBudget.class, "db")).isEmpty();
              assertThat(get(ServiceAccount.class, "db")).isEmpty();
              assertThat(get(NetworkPolicy.class, "db")).isEmpty();
            });
  }

  /**
   * Generated TLS renewed on a real API server and StatefulSet controller: a node certificate near
   * its end is renewed from the same CA at once; one whose CA key is gone makes a new CA, which
   * goes through its three steps, each after the pod restarted onto the previous Secret (the pod
   * stays Pending here, so the gate replaces it at once).
   */
  @Test
  void generatedTlsIsRenewedAndRolledOntoThePods() {
    // The awaits ignore exceptions: a Secret not written yet is "not yet", not a failure.
    TlsSpec tls = new TlsSpec();
    tls.setGenerate(true);
    DqliteCluster cr =
        create(
            "rotated",
            spec -> {
              spec.setTls(tls);
              spec.setReplicas(1);
            });
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(templateRevision("rotated"))
                    .isEqualTo(TlsRevision.of(get(Secret.class, "rotated-tls").orElseThrow())));
    Authority ca =
        GeneratedTls.readCa(get(Secret.class, "rotated-tls-ca").orElseThrow()).orElseThrow();
    Instant now = Instant.now();

    // A node certificate with less than a third of its life left: renewed from the same CA.
    replaceNodeSecret(
        cr,
        GeneratedTls.issue(
            cr, "cluster.local", ca, List.of(ca.certificate()), now.minus(Duration.ofDays(300))));
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Material m = nodeMaterial("rotated");
              assertThat(m.node().certificate().getNotAfter().toInstant())
                  .isAfter(now.plus(Duration.ofDays(300)));
              assertThat(m.trusted()).containsExactly(ca.certificate());
              assertThat(templateRevision("rotated"))
                  .isEqualTo(TlsRevision.of(get(Secret.class, "rotated-tls").orElseThrow()));
            });

    // The CA key lost and the node certificate due: a new CA, trusted first beside the old one,
    // then signing the node certificate, then alone.
    admin.secrets().inNamespace(ns).withName("rotated-tls-ca").delete();
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .until(() -> get(Secret.class, "rotated-tls-ca").isEmpty());
    replaceNodeSecret(
        cr,
        GeneratedTls.issue(
            cr, "cluster.local", ca, List.of(ca.certificate()), now.minus(Duration.ofDays(300))));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofMinutes(4))
        .untilAsserted(
            () -> {
              Material m = nodeMaterial("rotated");
              Authority next =
                  GeneratedTls.readCa(get(Secret.class, "rotated-tls-ca").orElseThrow())
                      .orElseThrow();
              assertThat(next.certificate()).isNotEqualTo(ca.certificate());
              assertThat(m.trusted()).containsExactly(next.certificate());
              assertThat(TlsCertificates.signedBy(m.node().certificate(), next.certificate()))
                  .isTrue();
              assertThat(templateRevision("rotated"))
                  .isEqualTo(TlsRevision.of(get(Secret.class, "rotated-tls").orElseThrow()));
            });
    assertThat(eventsAbout("rotated"))
        .filteredOn(e -> "TlsRotated".equals(e.getReason()))
        .extracting(Event::getAction)
        .contains("RenewNode", "AddAuthority", "SwitchNode", "RetireAuthorities");
  }

  /**
   * A user's TLS Secret on a real API server and StatefulSet controller: missing, then lacking
   * ca.crt, the cluster is Degraded naming the Secret and the key; once complete, its revision is
   * on the pod template; a new certificate in it (as cert-manager would write) changes the template
   * and the pod is replaced onto it (it stays Pending here, so the gate replaces it at once).
   */
  @Test
  void aChangedUserTlsSecretRollsThePods() {
    TlsSpec tls = new TlsSpec();
    tls.setSecretName("own-certs");
    DqliteCluster cr =
        create(
            "own",
            spec -> {
              spec.setTls(tls);
              spec.setReplicas(1);
            });
    awaitDegraded("own", UserTls.MISSING, ns + "/own-certs", "does not exist");

    Secret first = GeneratedTls.build(cr, "cluster.local", Instant.now());
    Map<String, String> complete = first.getData();
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("own-certs")
                .withNamespace(ns)
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withData(
                    Map.of("tls.crt", complete.get("tls.crt"), "tls.key", complete.get("tls.key")))
                .build())
        .create();
    awaitDegraded("own", UserTls.INCOMPLETE, ns + "/own-certs", "has no ca.crt");
    String before = templateRevision("own");
    assertThat(before).as("an incomplete Secret rolls nothing").isEqualTo("none");

    setData("own-certs", complete);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(templateRevision("own")).isEqualTo(TlsRevision.of(complete));
              assertThat(podRevision("own-0")).isEqualTo(TlsRevision.of(complete));
              assertThat(
                      Conditions.find(
                          cluster("own").get().getStatus().getConditions(),
                          ConditionTypes.DEGRADED))
                  .hasValueSatisfying(
                      c -> assertThat(c.getReason()).isNotIn(UserTls.MISSING, UserTls.INCOMPLETE));
            });
    String firstPod = get(Pod.class, "own-0").orElseThrow().getMetadata().getUid();

    // Renewed: a new certificate and CA, and an extra key the sidecar does not read.
    Map<String, String> renewed =
        new HashMap<>(GeneratedTls.build(cr, "cluster.local", Instant.now()).getData());
    renewed.put("keystore.p12", "AAAA");
    setData("own-certs", renewed);
    // Ignoring exceptions: the pod is briefly absent between its deletion and its replacement.
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(TlsRevision.of(renewed)).isNotEqualTo(TlsRevision.of(complete));
              assertThat(templateRevision("own")).isEqualTo(TlsRevision.of(renewed));
              // Absent for a moment between its eviction and the StatefulSet recreating it.
              Optional<Pod> pod = get(Pod.class, "own-0");
              assertThat(pod).isPresent();
              assertThat(pod.get().getMetadata().getUid()).isNotEqualTo(firstPod);
              assertThat(podRevision("own-0")).isEqualTo(TlsRevision.of(renewed));
            });
    assertThat(eventsAbout("own"))
        .extracting(Event::getReason)
        .contains(UserTls.CHANGED, UserTls.MISSING, UserTls.INCOMPLETE);
  }

  static void awaitDegraded(String name, String reason, String... message) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        Conditions.find(
                            cluster(name).get().getStatus().getConditions(),
                            ConditionTypes.DEGRADED))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo(reason);
                          assertThat(c.getMessage()).contains(message);
                        }));
  }

  static void setData(String secret, Map<String, String> data) {
    admin
        .secrets()
        .inNamespace(ns)
        .withName(secret)
        .edit(
            s -> {
              s.setData(data);
              return s;
            });
  }

  static String podRevision(String pod) {
    return get(Pod.class, pod)
        .map(p -> p.getMetadata().getAnnotations())
        .map(a -> a.get(GeneratedTls.REVISION_ANNOTATION))
        .orElse("none");
  }

  /**
   * What the API server cannot reject shows in the status, not in the operator's health: an image
   * that never starts (the pod's container waits in ErrImagePull, written here as the kubelet
   * would) makes the cluster Degraded with reason ImagePullFailed and a Warning Event, the other
   * problems (no node for the voters) in the message; the operator keeps reconciling.
   */
  @Test
  void anImageThatNeverStartsIsDegradedNotACrashLoop() {
    create("unpullable", spec -> spec.setImage("registry.invalid/no-such-image:1"));
    await()
        .atMost(WAIT)
        .until(() -> get(io.fabric8.kubernetes.api.model.Pod.class, "unpullable-0").isPresent());
    var container =
        get(io.fabric8.kubernetes.api.model.Pod.class, "unpullable-0")
            .orElseThrow()
            .getSpec()
            .getContainers()
            .get(0);
    // The scheduler writes the pod's status too (unschedulable): the edit is retried on 409.
    LocalKube.editPodStatus(
        ns,
        "unpullable-0",
        status -> {
          status.setContainerStatuses(
              List.of(
                  new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                      .withName(container.getName())
                      .withImage(container.getImage())
                      .withImageID("")
                      .withReady(false)
                      .withRestartCount(0)
                      .withNewState()
                      .withNewWaiting()
                      .withReason("ErrImagePull")
                      .withMessage("registry.invalid: no such host")
                      .endWaiting()
                      .endState()
                      .build()));
          return status;
        });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        Conditions.find(
                            cluster("unpullable").get().getStatus().getConditions(),
                            ConditionTypes.DEGRADED))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("ImagePullFailed");
                          assertThat(c.getMessage())
                              .contains("unpullable-0")
                              .contains("no such host")
                              .contains("schedulable node(s) for 3 voters");
                        }));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(eventsAbout("unpullable"))
                    .filteredOn(e -> "ImagePullFailed".equals(e.getReason()))
                    .extracting(Event::getType)
                    .isNotEmpty()
                    .containsOnly("Warning"));
    // Still reconciling: a spec change is observed.
    editSpec("unpullable", spec -> spec.setStandBys(1));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DqliteCluster cr = cluster("unpullable").get();
              assertThat(cr.getStatus().getObservedGeneration())
                  .isEqualTo(cr.getMetadata().getGeneration());
            });
    assertThat(operator.httpPort()).isPositive();
  }

  /** The Events in the test namespace about the object named {@code name}. */
  static List<Event> eventsAbout(String name) {
    return admin.events().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getRegarding().getName()))
        .toList();
  }

  static String templateRevision(String name) {
    return get(StatefulSet.class, name).flatMap(StatefulSetDependent::tlsRevision).orElse("none");
  }

  static Material nodeMaterial(String name) {
    return GeneratedTls.readTls(get(Secret.class, name + "-tls").orElseThrow()).orElseThrow();
  }

  static void replaceNodeSecret(DqliteCluster cr, Material material) {
    Secret replacement = GeneratedTls.tlsSecret(cr, material);
    setData(replacement.getMetadata().getName(), replacement.getData());
  }

  @Test
  void scaleSubresourceGrowsButNeverShrinksWithoutRaft() {
    create("scaled", spec -> {});
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get(StatefulSet.class, "scaled")).isPresent());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster("scaled").scale().getStatus().getSelector())
                    .isEqualTo(ClusterNames.selector(cluster("scaled").get())));

    cluster("scaled").scale(5);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(get(StatefulSet.class, "scaled").orElseThrow().getSpec().getReplicas())
                    .isEqualTo(5));

    cluster("scaled").scale(3);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DqliteCluster cr = cluster("scaled").get();
              assertThat(cr.getStatus().getObservedGeneration())
                  .isEqualTo(cr.getMetadata().getGeneration());
              assertThat(
                      Conditions.find(cr.getStatus().getConditions(), ConditionTypes.PROGRESSING))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("ScaleWaiting");
                        assertThat(c.getMessage()).contains("no raft leader");
                      });
            });
    assertThat(get(StatefulSet.class, "scaled").orElseThrow().getSpec().getReplicas())
        .as("members may still live in pods 3 and 4")
        .isEqualTo(5);
  }

  @Test
  void serviceMonitorFollowsItsCrdAndTheSpec() {
    MetricsSpec metrics = new MetricsSpec();
    metrics.setServiceMonitor(true);
    create("monitored", spec -> spec.setMetrics(metrics));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(cluster("monitored").get().getStatus()).isNotNull());

    admin
        .resource(serviceMonitorCrd())
        .forceConflicts()
        .fieldManager("operator-it")
        .serverSideApply();
    var monitors = admin.resources(ServiceMonitor.class).inNamespace(ns);
    // The CRD is looked up again at most every minute while absent.
    await()
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(() -> assertThat(monitors.withName("monitored-headless").get()).isNotNull());
    var monitor = monitors.withName("monitored-headless").get();
    assertThat(monitor.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo("monitored"));
    assertThat((Object) monitor.get("spec", "endpoints")).asString().contains("port=admin");

    editSpec("monitored", spec -> spec.getMetrics().setServiceMonitor(false));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(monitors.withName("monitored-headless").get()).isNull());
  }

  @Test
  void leaseAndHttpEndpoints() throws Exception {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Lease lease =
                  admin.leases().inNamespace(OPERATOR_NS).withName("dqlite-operator").get();
              assertThat(lease).isNotNull();
              assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("operator-it");
            });
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + operator.httpPort();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        http.send(
                                HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                                HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200));
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/livez")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    create("measured", spec -> {});
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String metrics =
                  http.send(
                          HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body();
              assertThat(metrics)
                  .contains("dqlite_operator_reconcile_seconds_count{name=\"measured\"")
                  .contains(
                      "dqlite_operator_members{name=\"measured\",namespace=\""
                          + ns
                          + "\",role=\"voter\"} 0.0")
                  .contains("operator_sdk_")
                  .contains("jvm_memory_used_bytes");
            });
  }

  static CustomResourceDefinition serviceMonitorCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("servicemonitors.monitoring.coreos.com")
        .endMetadata()
        .withNewSpec()
        .withGroup("monitoring.coreos.com")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("ServiceMonitor")
        .withPlural("servicemonitors")
        .withSingular("servicemonitor")
        .withListKind("ServiceMonitorList")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
