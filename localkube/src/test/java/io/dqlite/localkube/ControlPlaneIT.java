package io.dqlite.localkube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Smoke test of the real control plane: up, a few API round trips, down without leftovers. */
class ControlPlaneIT {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneIT.class);

  @Test
  void upServesTheApiAndDownLeavesNothingBehind() throws IOException {
    LocalControlPlane cp = LocalControlPlane.builder().build();
    List<Long> pids;
    try (cp) {
      long t0 = System.nanoTime();
      cp.start();
      LOG.info("time-to-up: {} ms", Duration.ofNanos(System.nanoTime() - t0).toMillis());
      pids = recordedPids(cp.stateDir());
      assertThat(pids).hasSize(4);
      KubernetesClient k = cp.client();

      k.namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("smoke").endMetadata().build())
          .create();
      k.configMaps().inNamespace("smoke").resource(configMap("created", "v1")).create();
      assertThat(k.configMaps().inNamespace("smoke").withName("created").get().getData())
          .containsEntry("key", "v1");

      ConfigMap dry =
          k.configMaps()
              .inNamespace("smoke")
              .resource(configMap("dry", "v2"))
              .dryRun()
              .fieldManager("smoke-test")
              .serverSideApply();
      assertThat(dry.getMetadata().getManagedFields()).isNotEmpty();
      assertThat(k.configMaps().inNamespace("smoke").withName("dry").get())
          .as("a dry-run apply persists nothing")
          .isNull();

      assertThat(k.nodes().list().getItems()).as("no node agent runs here").isEmpty();

      // The controller-manager's controllers run: the namespace gets its ServiceAccount and the
      // root CA bundle, and TokenRequest signs with the service-account key.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () -> {
                assertThat(k.serviceAccounts().inNamespace("smoke").withName("default").get())
                    .isNotNull();
                assertThat(k.configMaps().inNamespace("smoke").withName("kube-root-ca.crt").get())
                    .isNotNull();
              });
      TokenRequest token =
          k.serviceAccounts()
              .inNamespace("smoke")
              .withName("default")
              .tokenRequest(
                  new TokenRequestBuilder()
                      .withNewSpec()
                      .withExpirationSeconds(600L)
                      .endSpec()
                      .build());
      assertThat(token.getStatus().getToken()).contains(".");
    }
    assertThat(pids)
        .allSatisfy(
            pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid %d after close", pid)
                    .isFalse());
    assertThat(cp.stateDir()).doesNotExist();
  }

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(Map.of("key", value))
        .build();
  }

  private static List<Long> recordedPids(Path stateDir) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> files = Files.list(stateDir.resolve("run"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        pids.add(Long.parseLong(Files.readString(f).trim()));
      }
    }
    return pids;
  }
}
