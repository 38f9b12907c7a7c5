package io.dqlite.localkube.pods;

import io.dqlite.localkube.podspec.ContainerConfigException;
import io.dqlite.localkube.podspec.DownwardApi;
import io.dqlite.localkube.podspec.Expansion;
import io.dqlite.localkube.podspec.ObjectSource;
import io.dqlite.localkube.podspec.PodNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container's environment, in the kubelet's order: the API server's service variables, then
 * {@code envFrom}, then {@code env} (later wins; values expand {@code $(VAR)} against what came
 * before). Other Services' variables (enableServiceLinks) are not generated.
 */
public final class ContainerEnv {
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private final ObjectSource objects;
  private final String apiHost;
  private final int apiPort;

  /** {@code apiHost:apiPort} is where pods reach the API server (there is no ClusterIP routing). */
  public ContainerEnv(ObjectSource objects, String apiHost, int apiPort) {
    this.objects = objects;
    this.apiHost = apiHost;
    this.apiPort = apiPort;
  }

  /** The environment for {@code container} of {@code pod}, which has been given {@code podIp}. */
  public Map<String, String> build(Pod pod, Container container, String podIp, String hostIp)
      throws ContainerConfigException {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_SERVICE_HOST", apiHost);
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiPort));
    env.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(apiPort));
    env.put("KUBERNETES_PORT", "tcp://" + apiHost + ":" + apiPort);
    env.put("HOSTNAME", PodNames.hostname(pod));
    if (container.getEnvFrom() != null) {
      for (EnvFromSource from : container.getEnvFrom()) {
        envFrom(ns, from, env);
      }
    }
    if (container.getEnv() != null) {
      for (EnvVar var : container.getEnv()) {
        String value;
        if (var.getValueFrom() != null) {
          value = valueFrom(pod, container, var, podIp, hostIp);
          if (value == null) {
            continue; // optional reference to something absent
          }
        } else {
          value = Expansion.expand(var.getValue() == null ? "" : var.getValue(), env);
        }
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  private void envFrom(String ns, EnvFromSource from, Map<String, String> env)
      throws ContainerConfigException {
    String prefix = from.getPrefix() == null ? "" : from.getPrefix();
    if (from.getConfigMapRef() != null) {
      String name = from.getConfigMapRef().getName();
      Optional<ConfigMap> cm = objects.configMap(ns, name);
      if (cm.isEmpty()) {
        if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
          return;
        }
        throw missing("configmap \"" + name + "\" not found");
      }
      putAll(prefix, cm.get().getData(), env);
    } else if (from.getSecretRef() != null) {
      String name = from.getSecretRef().getName();
      Optional<Secret> secret = objects.secret(ns, name);
      if (secret.isEmpty()) {
        if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
          return;
        }
        throw missing("secret \"" + name + "\" not found");
      }
      putAll(prefix, DownwardApi.decoded(secret.get()), env);
    }
  }

  private static void putAll(String prefix, Map<String, String> data, Map<String, String> env) {
    if (data != null) {
      // Keys that are not valid variable names are skipped, as the kubelet does.
      data.forEach(
          (k, v) -> {
            if (ENV_NAME.matcher(prefix + k).matches()) {
              env.put(prefix + k, v);
            }
          });
    }
  }

  private String valueFrom(Pod pod, Container container, EnvVar var, String podIp, String hostIp)
      throws ContainerConfigException {
    EnvVarSource src = var.getValueFrom();
    String ns = pod.getMetadata().getNamespace();
    if (src.getFieldRef() != null) {
      return DownwardApi.field(pod, src.getFieldRef().getFieldPath(), podIp, hostIp);
    }
    if (src.getResourceFieldRef() != null) {
      return DownwardApi.resource(container, src.getResourceFieldRef());
    }
    if (src.getConfigMapKeyRef() != null) {
      var ref = src.getConfigMapKeyRef();
      Optional<String> value =
          objects
              .configMap(ns, ref.getName())
              .map(ConfigMap::getData)
              .map(d -> d.get(ref.getKey()));
      if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
        throw missing(
            "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return value.orElse(null);
    }
    if (src.getSecretKeyRef() != null) {
      var ref = src.getSecretKeyRef();
      Optional<String> value =
          objects.secret(ns, ref.getName()).map(DownwardApi::decoded).map(d -> d.get(ref.getKey()));
      if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
        throw missing(
            "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return value.orElse(null);
    }
    throw missing("env " + var.getName() + ": unsupported valueFrom " + src);
  }

  private static ContainerConfigException missing(String message) {
    return new ContainerConfigException("CreateContainerConfigError", message);
  }
}
