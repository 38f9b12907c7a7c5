package io.dqlite.localkube.podspec;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Reads the ConfigMaps and Secrets that env vars and volumes refer to (the API, or a test map). */
public interface ObjectSource {
  /** The ConfigMap, if it exists. */
  Optional<ConfigMap> configMap(String namespace, String name);

  /** The Secret, if it exists. */
  Optional<Secret> secret(String namespace, String name);
}
