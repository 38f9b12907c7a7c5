package io.dqlite.sidecar.api;

import java.util.Map;
import java.util.Optional;

/**
 * The variables, besides the settings' own ({@link SidecarSetting#env()}), that the sidecar reads
 * from a StatefulSet pod's environment to know its stable DNS name, and that the operator sets
 * through the downward API.
 */
public final class PodVariables {

  public static final String POD_NAME = "POD_NAME";
  public static final String POD_NAMESPACE = "POD_NAMESPACE";
  public static final String POD_IP = "POD_IP";

  /** The headless Service that gives each pod its DNS name. */
  public static final String SERVICE = "DQLITE_SERVICE";

  /** The cluster's DNS domain; {@value #DEFAULT_CLUSTER_DOMAIN} when unset. */
  public static final String CLUSTER_DOMAIN = "DQLITE_CLUSTER_DOMAIN";

  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

  private PodVariables() {}

  /**
   * The pod's stable DNS name with the raft port, {@code
   * $POD_NAME.$DQLITE_SERVICE.$POD_NAMESPACE.svc.$DQLITE_CLUSTER_DOMAIN:9001}, when the first three
   * are set.
   */
  public static Optional<String> defaultAddress(Map<String, String> env) {
    String pod = env.get(POD_NAME);
    String service = env.get(SERVICE);
    String namespace = env.get(POD_NAMESPACE);
    if (blank(pod) || blank(service) || blank(namespace)) {
      return Optional.empty();
    }
    String domain = env.get(CLUSTER_DOMAIN);
    return Optional.of(
        pod
            + "."
            + service
            + "."
            + namespace
            + ".svc."
            + (blank(domain) ? DEFAULT_CLUSTER_DOMAIN : domain)
            + ":"
            + SidecarPorts.RAFT);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
