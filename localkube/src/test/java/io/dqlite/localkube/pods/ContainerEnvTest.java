package io.dqlite.localkube.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.localkube.podspec.ContainerConfigException;
import io.dqlite.localkube.podspec.ObjectSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerEnvTest {
  private final ObjectSource objects =
      new ObjectSource() {
        @Override
        public Optional<ConfigMap> configMap(String namespace, String name) {
          return name.equals("cfg")
              ? Optional.of(
                  new ConfigMapBuilder().withData(Map.of("mode", "fast", "bad key", "x")).build())
              : Optional.empty();
        }

        @Override
        public Optional<Secret> secret(String namespace, String name) {
          return name.equals("sec")
              ? Optional.of(
                  new SecretBuilder()
                      .withData(
                          Map.of(
                              "password", Base64.getEncoder().encodeToString("s3cret".getBytes())))
                      .build())
              : Optional.empty();
        }
      };
  private final ContainerEnv env = new ContainerEnv(objects, "127.0.0.1", 16443);

  private final Pod pod =
      new PodBuilder()
          .withNewMetadata()
          .withNamespace("db")
          .withName("db-0")
          .withUid("u1")
          .withLabels(Map.of("app", "db", "topology.kubernetes.io/zone", "zone-b"))
          .endMetadata()
          .withNewSpec()
          .withNodeName("node-2")
          .withServiceAccountName("dqlite")
          .endSpec()
          .build();

  @Test
  void orderAndSourcesFollowTheKubelet() throws Exception {
    Container c =
        new ContainerBuilder()
            .withName("c")
            .addNewEnvFrom()
            .withPrefix("CFG_")
            .withNewConfigMapRef("cfg", false)
            .endEnvFrom()
            .addNewEnvFrom()
            .withNewSecretRef("sec", false)
            .endEnvFrom()
            .addNewEnv()
            .withName("POD")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("ZONE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.labels['topology.kubernetes.io/zone']")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("NODE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("ADDR")
            .withValue("$(IP):9001 $(CFG_mode) $(NOPE)")
            .endEnv()
            .addNewEnv()
            .withName("KUBERNETES_SERVICE_PORT")
            .withValue("443")
            .endEnv()
            .build();
    Map<String, String> e = env.build(pod, c, "127.1.0.7", "127.0.2.2");
    assertThat(e)
        .containsEntry("KUBERNETES_SERVICE_HOST", "127.0.0.1")
        .containsEntry("KUBERNETES_SERVICE_PORT", "443")
        .containsEntry("HOSTNAME", "db-0")
        .containsEntry("CFG_mode", "fast")
        .containsEntry("password", "s3cret")
        .containsEntry("POD", "db-0")
        .containsEntry("ZONE", "zone-b")
        .containsEntry("IP", "127.1.0.7")
        .containsEntry("NODE", "node-2")
        .containsEntry("ADDR", "127.1.0.7:9001 fast $(NOPE)")
        .doesNotContainKey("CFG_bad key");
  }

  @Test
  void missingReferencesFailUnlessOptional() throws Exception {
    Container missing =
        new ContainerBuilder()
            .withName("c")
            .addNewEnv()
            .withName("X")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("nokey", "cfg", false)
            .endValueFrom()
            .endEnv()
            .build();
    assertThatThrownBy(() -> env.build(pod, missing, "127.1.0.7", "127.0.2.2"))
        .isInstanceOf(ContainerConfigException.class)
        .hasMessageContaining("nokey");
    Container optional =
        new ContainerBuilder()
            .withName("c")
            .addNewEnv()
            .withName("X")
            .withNewValueFrom()
            .withNewSecretKeyRef("k", "absent", true)
            .endValueFrom()
            .endEnv()
            .build();
    assertThat(env.build(pod, optional, "127.1.0.7", "127.0.2.2")).doesNotContainKey("X");
  }

  @Test
  void resourceFieldsUseTheDivisorAndRoundUp() throws Exception {
    Container c =
        new ContainerBuilder()
            .withName("c")
            .withNewResources()
            .addToLimits("memory", new Quantity("1536Mi"))
            .addToRequests("cpu", new Quantity("250m"))
            .endResources()
            .addNewEnv()
            .withName("MEM")
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withResource("limits.memory")
            .withDivisor(new Quantity("1Gi"))
            .endResourceFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("CPU")
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withResource("requests.cpu")
            .endResourceFieldRef()
            .endValueFrom()
            .endEnv()
            .build();
    assertThat(env.build(pod, c, "127.1.0.7", "127.0.2.2"))
        .containsEntry("MEM", "2")
        .containsEntry("CPU", "1");
  }
}
