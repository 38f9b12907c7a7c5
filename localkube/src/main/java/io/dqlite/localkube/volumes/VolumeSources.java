package io.dqlite.localkube.volumes;

import io.dqlite.localkube.podspec.ContainerConfigException;
import io.dqlite.localkube.podspec.ObjectSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** What volumes read from the cluster: ConfigMaps, Secrets, service-account tokens, claims. */
public interface VolumeSources extends ObjectSource {
  /** A token from the TokenRequest API, bound to the pod. */
  Token token(
      String namespace,
      String serviceAccount,
      String audience,
      long expirationSeconds,
      String podName,
      String podUid)
      throws ContainerConfigException;

  /** The host directory of the PersistentVolume bound to the claim, once it is bound. */
  Optional<Path> claimDirectory(String namespace, String claimName);

  /** A service-account token and when it expires. */
  record Token(String token, Instant expiry) {}
}
