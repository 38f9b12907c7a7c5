package io.dqlite.localkube.agent;

import io.dqlite.localkube.podspec.ContainerConfigException;
import io.dqlite.localkube.volumes.VolumeSources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link VolumeSources} read from the API server. */
final class ApiSources implements VolumeSources {
  private final KubernetesClient client;

  ApiSources(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Token token(
      String namespace,
      String serviceAccount,
      String audience,
      long expirationSeconds,
      String podName,
      String podUid)
      throws ContainerConfigException {
    var spec =
        new TokenRequestBuilder()
            .withNewSpec()
            .withExpirationSeconds(expirationSeconds)
            .withNewBoundObjectRef()
            .withApiVersion("v1")
            .withKind("Pod")
            .withName(podName)
            .withUid(podUid)
            .endBoundObjectRef();
    if (audience != null && !audience.isEmpty()) {
      spec.withAudiences(List.of(audience));
    }
    try {
      TokenRequest answer =
          client
              .serviceAccounts()
              .inNamespace(namespace)
              .withName(serviceAccount)
              .tokenRequest(spec.endSpec().build());
      return new Token(
          answer.getStatus().getToken(),
          Instant.parse(answer.getStatus().getExpirationTimestamp()));
    } catch (KubernetesClientException e) {
      throw new ContainerConfigException(
          "CreateContainerConfigError",
          "request a token for " + namespace + "/" + serviceAccount + ": " + e.getMessage());
    }
  }

  @Override
  public Optional<Path> claimDirectory(String namespace, String claimName) {
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
    if (pvc == null
        || pvc.getSpec().getVolumeName() == null
        || !"Bound".equals(pvc.getStatus() == null ? null : pvc.getStatus().getPhase())) {
      return Optional.empty();
    }
    PersistentVolume pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    if (pv == null) {
      return Optional.empty();
    }
    if (pv.getSpec().getLocal() != null) {
      return Optional.of(Path.of(pv.getSpec().getLocal().getPath()));
    }
    if (pv.getSpec().getHostPath() != null) {
      return Optional.of(Path.of(pv.getSpec().getHostPath().getPath()));
    }
    return Optional.empty();
  }
}
