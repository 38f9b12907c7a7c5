package io.dqlite.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the API server would refuse, case by case: the generated schema's defaults, bounds, patterns
 * and CEL rules, the CEL evaluated by cel-java as the API server evaluates it.
 */
class ValidationRulesTest {

  private static final CrdSchemaValidator VALIDATOR =
      new CrdSchemaValidator(GeneratedCrdTest.schema());

  static Stream<Arguments> creates() {
    return Stream.of(
        Arguments.of("empty spec takes every default", "{}", List.of()),
        Arguments.of("five voters", "{voters: 5, replicas: 5}", List.of()),
        Arguments.of(
            "even voters", "{voters: 4}", List.of("spec.voters: voters must be an odd number")),
        Arguments.of(
            "two voters",
            "{voters: 2}",
            List.of(
                "spec.voters: should be greater than or equal to 3",
                "spec.voters: voters must be an odd number")),
        Arguments.of(
            "one voter",
            "{voters: 1}",
            List.of("spec.voters: should be greater than or equal to 3")),
        Arguments.of(
            "zero replicas",
            "{replicas: 0}",
            List.of("spec.replicas: should be greater than or equal to 1")),
        Arguments.of(
            "negative stand-bys",
            "{standBys: -1}",
            List.of("spec.standBys: should be greater than or equal to 0")),
        Arguments.of("no stand-bys", "{standBys: 0}", List.of()),
        Arguments.of(
            "negative snapshot trailing",
            "{raft: {snapshotTrailing: -5}}",
            List.of("spec.raft.snapshotTrailing: should be greater than or equal to 0")),
        Arguments.of(
            "fewer snapshot trailing entries than the threshold",
            "{raft: {snapshotThreshold: 1024, snapshotTrailing: 512}}",
            List.of("spec.raft: raft: snapshotTrailing must be at least snapshotThreshold")),
        Arguments.of("snapshot threshold alone", "{raft: {snapshotThreshold: 1024}}", List.of()),
        Arguments.of(
            "snapshot pair", "{raft: {snapshotThreshold: 512, snapshotTrailing: 2048}}", List.of()),
        Arguments.of(
            "duration with a space",
            "{raft: {rolesAdjustmentFrequency: '30 s'}}",
            List.of("spec.raft.rolesAdjustmentFrequency: should match")),
        Arguments.of(
            "durations",
            "{raft: {rolesAdjustmentFrequency: 30s, networkLatency: 20ms}}",
            List.of()),
        Arguments.of(
            "bad size", "{storage: {size: lots}}", List.of("spec.storage.size: should match")),
        Arguments.of("provided tls", "{tls: {secretName: db-tls}}", List.of()),
        Arguments.of("generated tls", "{tls: {generate: true}}", List.of()),
        Arguments.of("tls left to its default", "{tls: {}}", List.of()),
        Arguments.of("plaintext opt-out", "{tls: {plaintext: true}}", List.of()),
        Arguments.of(
            "a Secret stored before generate lost its default",
            "{tls: {secretName: db-tls, generate: false}}",
            List.of()),
        Arguments.of(
            "tls with both",
            "{tls: {secretName: db-tls, generate: true}}",
            List.of("spec.tls: tls: set at most one of secretName")),
        Arguments.of(
            "plaintext and a Secret",
            "{tls: {secretName: db-tls, plaintext: true}}",
            List.of("spec.tls: tls: set at most one of secretName")),
        Arguments.of(
            "generate false taken for plaintext",
            "{tls: {generate: false}}",
            List.of("spec.tls: tls.generate: false does not turn TLS off")),
        Arguments.of("network policy off", "{networkPolicy: {enabled: false}}", List.of()),
        Arguments.of(
            "metrics from a namespace",
            "{networkPolicy: {metricsFrom: [{namespaceSelector: {matchLabels:"
                + " {kubernetes.io/metadata.name: monitoring}}}]}}",
            List.of()),
        Arguments.of(
            "unknown pull policy",
            "{imagePullPolicy: Sometimes}",
            List.of("spec.imagePullPolicy: Unsupported value")),
        Arguments.of(
            "bad zone label",
            "{zoneLabel: 'not a label'}",
            List.of("spec.zoneLabel: should match")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("creates")
  void create(String description, String spec, List<String> expectedErrors) {
    assertErrors(VALIDATOR.validate(cluster(spec), null), expectedErrors);
  }

  static Stream<Arguments> updates() {
    return Stream.of(
        Arguments.of("scale up", "{}", "{replicas: 5}", List.of()),
        Arguments.of("more voters", "{replicas: 5}", "{replicas: 5, voters: 5}", List.of()),
        Arguments.of("new image", "{}", "{image: 'dqlite-k8s/sidecar:0.2.0'}", List.of()),
        Arguments.of(
            "zone label changed",
            "{}",
            "{zoneLabel: example.com/rack}",
            List.of("spec.zoneLabel: zoneLabel is immutable")),
        Arguments.of(
            "size changed",
            "{storage: {size: 1Gi}}",
            "{storage: {size: 2Gi}}",
            List.of("spec.storage.size: storage.size is immutable")),
        Arguments.of("size set to its default", "{}", "{storage: {size: 1Gi}}", List.of()),
        Arguments.of(
            "storage class added",
            "{}",
            "{storage: {storageClassName: fast}}",
            List.of("spec.storage: storage.storageClassName is immutable")),
        Arguments.of(
            "storage class changed",
            "{storage: {storageClassName: slow}}",
            "{storage: {storageClassName: fast}}",
            List.of("spec.storage: storage.storageClassName is immutable")),
        Arguments.of(
            "retention changed", "{}", "{storage: {retention: {whenDeleted: Delete}}}", List.of()),
        // Adding tls names the mode; the operator keeps the one the cluster runs in and warns
        // when they differ, so the API server need not know which one that is.
        Arguments.of("tls added: generated", "{}", "{tls: {generate: true}}", List.of()),
        Arguments.of("tls added: plaintext", "{}", "{tls: {plaintext: true}}", List.of()),
        Arguments.of("generated tls removed", "{tls: {generate: true}}", "{}", List.of()),
        Arguments.of(
            "tls Secret removed",
            "{tls: {secretName: db-tls}}",
            "{}",
            List.of("spec: tls.secretName cannot be removed")),
        Arguments.of(
            "tls secret rotated",
            "{tls: {secretName: db-tls}}",
            "{tls: {secretName: db-tls-2}}",
            List.of()),
        Arguments.of(
            "tls switched to generated",
            "{tls: {secretName: db-tls}}",
            "{tls: {generate: true}}",
            List.of(
                "spec.tls: the TLS mode is immutable", "spec: tls.secretName cannot be removed")),
        Arguments.of(
            "tls switched to plaintext",
            "{tls: {generate: true}}",
            "{tls: {plaintext: true}}",
            List.of("spec.tls: the TLS mode is immutable")),
        Arguments.of(
            "plaintext switched to generated",
            "{tls: {plaintext: true}}",
            "{tls: {}}",
            List.of("spec.tls: the TLS mode is immutable")),
        Arguments.of(
            "old generated spec emptied", "{tls: {generate: true}}", "{tls: {}}", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updates")
  void update(String description, String oldSpec, String newSpec, List<String> expectedErrors) {
    assertErrors(VALIDATOR.validate(cluster(newSpec), cluster(oldSpec)), expectedErrors);
  }

  private static void assertErrors(List<String> errors, List<String> expectedPrefixes) {
    assertThat(errors).hasSameSizeAs(expectedPrefixes);
    for (String prefix : expectedPrefixes) {
      assertThat(errors).anySatisfy(error -> assertThat(error).startsWith(prefix));
    }
  }

  private static ObjectNode cluster(String spec) {
    return (ObjectNode)
        Serialization.unmarshal(
            "apiVersion: dqlite.io/v1alpha1\nkind: DqliteCluster\nmetadata: {name: db}\nspec: "
                + spec,
            com.fasterxml.jackson.databind.JsonNode.class);
  }
}
