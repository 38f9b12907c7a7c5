package io.dqlite.localkube.podspec;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** Names derived from a pod, shared by the runner, the volumes and the DNS file. */
public final class PodNames {
  private PodNames() {}

  /** {@code namespace/name}, for logs and errors. */
  public static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** The pod's hostname: {@code spec.hostname}, else its name. */
  public static String hostname(Pod pod) {
    String h = pod.getSpec().getHostname();
    return h == null || h.isEmpty() ? pod.getMetadata().getName() : h;
  }

  /** {@code key="value"} lines, sorted, as the downward API renders labels and annotations. */
  public static String keyValueLines(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return "";
    }
    StringJoiner out = new StringJoiner("\n");
    new TreeMap<>(map)
        .forEach(
            (k, v) ->
                out.add(
                    k
                        + "=\""
                        + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                        + "\""));
    return out.toString();
  }
}
