package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API server itself rejects invalid DqliteClusters, with messages that say what is wrong: the
 * CRD's schema (types, minimums, patterns, enums) on creation, its CEL rules on creation and on
 * update (immutable fields). Nothing here needs the operator.
 */
@ExtendWith(E2eExtension.class)
class InvalidClusterE2E {

  @Test
  void invalidSpecsAreRejectedOnCreation(E2eEnvironment env, TestNamespace ns) {
    KubernetesClient client = env.client();
    rejected(client, ns, "voters: 4", "voters must be an odd number");
    rejected(
        client,
        ns,
        "voters: 1",
        "spec.voters: Invalid value: 1: spec.voters in body should"
            + " be greater than or equal to 3");
    rejected(
        client, ns, "replicas: 0", "spec.replicas in body should be greater than or equal to 1");
    rejected(
        client,
        ns,
        "standBys: -1",
        "spec.standBys in body should be greater than or equal" + " to 0");
    rejected(
        client,
        ns,
        "imagePullPolicy: Sometimes",
        "spec.imagePullPolicy: Unsupported value:" + " \"Sometimes\"");
    rejected(client, ns, "zoneLabel: \"not a label!\"", "spec.zoneLabel in body should match");
    rejected(client, ns, "storage: {size: lots}", "spec.storage.size in body should match");
    rejected(
        client,
        ns,
        "raft: {rolesAdjustmentFrequency: soon}",
        "spec.raft.rolesAdjustmentFrequency in body should match");
    rejected(
        client,
        ns,
        "tls: {generate: true, secretName: mine}",
        "tls: set at most one of secretName");
    rejected(client, ns, "tls: {generate: false}", "tls.generate: false does not turn TLS off");
    rejected(client, ns, "replicas: three", "spec.replicas: Invalid value: \"string\"");
  }

  @Test
  void immutableFieldsCannotChange(E2eEnvironment env, TestNamespace ns) {
    KubernetesClient client = env.client();
    DqliteClusters.create(client, ns.name(), Specs.minimal("fixed", 1));
    updateRejected(
        client, ns, "{\"spec\":{\"zoneLabel\":\"example.com/rack\"}}", "zoneLabel is immutable");
    updateRejected(
        client, ns, "{\"spec\":{\"storage\":{\"size\":\"2Gi\"}}}", "storage.size is immutable");
    // A minimal cluster runs generated TLS; naming another mode inside spec.tls is refused.
    DqliteClusters.patch(client, ns.name(), "fixed", "{\"spec\":{\"tls\":{\"generate\":true}}}");
    updateRejected(
        client,
        ns,
        "{\"spec\":{\"tls\":{\"generate\":null,\"plaintext\":true}}}",
        "the TLS mode is immutable");
    updateRejected(client, ns, "{\"spec\":{\"voters\":4}}", "voters must be an odd number");
  }

  private static void rejected(
      KubernetesClient client, TestNamespace ns, String specLine, String expected) {
    String yaml =
        """
        apiVersion: dqlite.io/v1alpha1
        kind: DqliteCluster
        metadata:
          name: invalid
        spec:
          %s
        """
            .formatted(specLine);
    GenericKubernetesResource cr =
        client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    assertThatThrownBy(() -> client.resource(cr).inNamespace(ns.name()).create())
        .as("creating a DqliteCluster with spec %s", specLine)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(
            e -> {
              KubernetesClientException k = (KubernetesClientException) e;
              assertThat(k.getCode()).as("HTTP status of %s", specLine).isEqualTo(422);
              System.out.println("E2E rejected (" + specLine + "): " + k.getStatus().getMessage());
              assertThat(k.getStatus().getMessage()).contains(expected);
            });
  }

  private static void updateRejected(
      KubernetesClient client, TestNamespace ns, String mergePatch, String expected) {
    assertThatThrownBy(() -> DqliteClusters.patch(client, ns.name(), "fixed", mergePatch))
        .as("patching %s", mergePatch)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(
            e -> {
              KubernetesClientException k = (KubernetesClientException) e;
              assertThat(k.getCode()).as("HTTP status of patch %s", mergePatch).isEqualTo(422);
              System.out.println("E2E update rejected: " + k.getStatus().getMessage());
              assertThat(k.getStatus().getMessage()).contains(expected);
            });
  }
}
