package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names, labels, selectors and node addresses of everything a {@link DqliteCluster} owns, shared by
 * the desired-state builders, the reconciler and the tests.
 *
 * <p>Node addresses have exactly one form, {@code
 * <pod>.<name>-headless.<namespace>.svc.<domain>:9001}: go-dqlite decides which node leads by
 * comparing addresses as strings, so the sidecar's {@code DQLITE_ADDRESS}, the join seeds and the
 * operator's mapping from members to pods must all produce the same string.
 */
public final class ClusterNames {

  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String APP_NAME = "dqlite";
  public static final String MANAGER = "dqlite-operator";

  /** Name of the volume claim template; PVCs are {@code dqlite-data-<pod>}. */
  public static final String DATA_VOLUME = "dqlite-data";

  private ClusterNames() {}

  /** The StatefulSet: the cluster's own name, so pods are {@code <name>-<ordinal>}. */
  public static String statefulSet(DqliteCluster cr) {
    return cr.getMetadata().getName();
  }

  /** The headless Service giving each pod its stable DNS name (the StatefulSet's serviceName). */
  public static String headlessService(DqliteCluster cr) {
    return cr.getMetadata().getName() + "-headless";
  }

  /** The client Service: one stable address from which clients find the leader. */
  public static String clientService(DqliteCluster cr) {
    return cr.getMetadata().getName();
  }

  public static String podDisruptionBudget(DqliteCluster cr) {
    return cr.getMetadata().getName();
  }

  /** The NetworkPolicy guarding the pods' ports. */
  public static String networkPolicy(DqliteCluster cr) {
    return cr.getMetadata().getName();
  }

  public static String serviceAccount(DqliteCluster cr) {
    return cr.getMetadata().getName();
  }

  /** The ConfigMap holding the join seeds, read by every pod at start (see {@link JoinSeeds}). */
  public static String joinConfigMap(DqliteCluster cr) {
    return cr.getMetadata().getName() + "-join";
  }

  /** The Secret the operator generates when {@code spec.tls.generate} is true. */
  public static String generatedTlsSecret(DqliteCluster cr) {
    return cr.getMetadata().getName() + "-tls";
  }

  /**
   * The Secret with the generated CA's certificate and key, from which the operator issues node
   * certificates; never mounted into a pod.
   */
  public static String generatedTlsCaSecret(DqliteCluster cr) {
    return cr.getMetadata().getName() + "-tls-ca";
  }

  /**
   * The Secret holding the admin token the sidecars require on {@code /cluster} and {@code
   * /handover}; mounted into the sidecar container only.
   */
  public static String adminSecret(DqliteCluster cr) {
    return cr.getMetadata().getName() + "-admin";
  }

  /**
   * The controller reference of what the operator creates outside its workflow (the generated
   * Secrets): the garbage collector deletes it with {@code cr}.
   */
  public static OwnerReference ownerReference(DqliteCluster cr) {
    return new OwnerReferenceBuilder()
        .withApiVersion(HasMetadata.getApiVersion(DqliteCluster.class))
        .withKind(HasMetadata.getKind(DqliteCluster.class))
        .withName(cr.getMetadata().getName())
        .withUid(cr.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(false)
        .build();
  }

  public static String podName(DqliteCluster cr, int ordinal) {
    return statefulSet(cr) + "-" + ordinal;
  }

  /** The PVC of one pod, as the StatefulSet controller names it. */
  public static String dataClaim(DqliteCluster cr, int ordinal) {
    return DATA_VOLUME + "-" + podName(cr, ordinal);
  }

  /** The DNS domain of the pods: {@code <name>-headless.<namespace>.svc.<clusterDomain>}. */
  public static String podDomain(DqliteCluster cr, String clusterDomain) {
    return headlessService(cr) + "." + cr.getMetadata().getNamespace() + ".svc." + clusterDomain;
  }

  /** The raft address of one pod's node, the only form used anywhere. */
  public static String podAddress(DqliteCluster cr, int ordinal, String clusterDomain) {
    return podName(cr, ordinal) + "." + podDomain(cr, clusterDomain) + ":" + Sidecar.RAFT_PORT;
  }

  /**
   * The pod ordinal of a raft address, or empty if the address is not one of this cluster's pods.
   */
  public static OptionalInt ordinalOf(DqliteCluster cr, String address, String clusterDomain) {
    Pattern pattern =
        Pattern.compile(
            Pattern.quote(statefulSet(cr) + "-")
                + "(0|[1-9][0-9]{0,8})"
                + Pattern.quote("." + podDomain(cr, clusterDomain) + ":" + Sidecar.RAFT_PORT));
    Matcher matcher = pattern.matcher(address);
    return matcher.matches()
        ? OptionalInt.of(Integer.parseInt(matcher.group(1)))
        : OptionalInt.empty();
  }

  /** The ordinal of a pod named {@code <statefulset>-<ordinal>}; empty for any other name. */
  public static OptionalInt podOrdinal(DqliteCluster cr, String podName) {
    String prefix = statefulSet(cr) + "-";
    if (podName == null || !podName.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    String rest = podName.substring(prefix.length());
    return rest.matches("0|[1-9][0-9]{0,8}")
        ? OptionalInt.of(Integer.parseInt(rest))
        : OptionalInt.empty();
  }

  /** The labels that select this cluster's pods; never changed after creation. */
  public static Map<String, String> selectorLabels(DqliteCluster cr) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME_LABEL, APP_NAME);
    labels.put(INSTANCE_LABEL, cr.getMetadata().getName());
    return labels;
  }

  /** The labels of every owned object: the selector labels plus component and manager. */
  public static Map<String, String> labels(DqliteCluster cr) {
    Map<String, String> labels = selectorLabels(cr);
    labels.put(COMPONENT_LABEL, "database");
    labels.put(MANAGED_BY_LABEL, MANAGER);
    return labels;
  }

  /** The pod selector as a string, for {@code status.selector} and the scale subresource. */
  public static String selector(DqliteCluster cr) {
    StringBuilder selector = new StringBuilder();
    selectorLabels(cr)
        .forEach(
            (key, value) ->
                selector
                    .append(selector.length() == 0 ? "" : ",")
                    .append(key)
                    .append('=')
                    .append(value));
    return selector.toString();
  }
}
