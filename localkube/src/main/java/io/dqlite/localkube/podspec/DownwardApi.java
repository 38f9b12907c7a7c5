package io.dqlite.localkube.podspec;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The downward API's values, shared by env vars and downwardAPI volumes. */
public final class DownwardApi {
  private static final Pattern SUBSCRIPT =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)']");

  private DownwardApi() {}

  /**
   * A downward-API field, as env vars and downwardAPI volumes see it. {@code metadata.labels} and
   * {@code metadata.annotations} (whole maps) render as {@code key="value"} lines.
   */
  public static String field(Pod pod, String path, String podIp, String hostIp)
      throws ContainerConfigException {
    var meta = pod.getMetadata();
    Matcher m = SUBSCRIPT.matcher(path);
    if (m.matches()) {
      Map<String, String> map =
          m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
      return map == null ? "" : map.getOrDefault(m.group(2), "");
    }
    switch (path) {
      case "metadata.name":
        return meta.getName();
      case "metadata.namespace":
        return meta.getNamespace();
      case "metadata.uid":
        return meta.getUid();
      case "metadata.labels":
        return PodNames.keyValueLines(meta.getLabels());
      case "metadata.annotations":
        return PodNames.keyValueLines(meta.getAnnotations());
      case "spec.nodeName":
        return pod.getSpec().getNodeName();
      case "spec.serviceAccountName":
        return pod.getSpec().getServiceAccountName();
      case "status.podIP":
      case "status.podIPs":
        return podIp;
      case "status.hostIP":
      case "status.hostIPs":
        return hostIp;
      default:
        throw missing("unsupported downward API field " + path);
    }
  }

  /** A resource limit or request; limits fall back to the node's allocatable (none is enforced). */
  public static String resource(Container c, ResourceFieldSelector ref)
      throws ContainerConfigException {
    String resource = ref.getResource();
    var resources = c.getResources();
    Quantity q = null;
    if (resources != null) {
      String[] parts = resource.split("\\.", 2);
      Map<String, Quantity> map =
          parts[0].equals("limits")
              ? resources.getLimits()
              : parts[0].equals("requests") ? resources.getRequests() : null;
      if (map != null && parts.length == 2) {
        q = map.get(parts[1]);
      }
    }
    if (q == null) {
      q =
          resource.endsWith("cpu")
              ? new Quantity(Integer.toString(NodeCapacity.cpus()))
              : resource.endsWith("memory")
                  ? new Quantity(Long.toString(NodeCapacity.memoryBytes()))
                  : null;
    }
    if (q == null) {
      throw missing("unsupported resourceFieldRef " + resource);
    }
    BigDecimal divisor =
        ref.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(ref.getDivisor());
    BigDecimal value = Quantity.getAmountInBytes(q).divide(divisor, 0, RoundingMode.CEILING);
    return value.toPlainString();
  }

  /** A Secret's data, base64-decoded, with stringData on top. */
  public static Map<String, String> decoded(Secret secret) {
    Map<String, String> out = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      out.putAll(secret.getStringData());
    }
    return out;
  }

  private static ContainerConfigException missing(String message) {
    return new ContainerConfigException("CreateContainerConfigError", message);
  }
}
