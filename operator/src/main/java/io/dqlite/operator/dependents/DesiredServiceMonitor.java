package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prometheus-operator ServiceMonitor scraping every sidecar's {@code /metrics} through the
 * headless Service's {@code admin} port (published for not-ready pods too, so a node that cannot
 * join still reports). A {@link ServiceMonitor}, i.e. a {@link GenericKubernetesResource}: the
 * operator does not depend on prometheus-operator's model.
 */
public final class DesiredServiceMonitor {

  public static final String GROUP = "monitoring.coreos.com";
  public static final String VERSION = "v1";
  public static final String KIND = "ServiceMonitor";
  public static final String PLURAL = "servicemonitors";
  public static final String CRD = PLURAL + "." + GROUP;
  public static final String INTERVAL = "30s";

  private DesiredServiceMonitor() {}

  public static ServiceMonitor build(DqliteCluster cr) {
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("port", Sidecar.ADMIN_PORT_NAME);
    endpoint.put("path", Sidecar.METRICS);
    endpoint.put("interval", INTERVAL);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("selector", Map.of("matchLabels", new LinkedHashMap<>(ClusterNames.labels(cr))));
    spec.put("namespaceSelector", Map.of("matchNames", List.of(cr.getMetadata().getNamespace())));
    spec.put("endpoints", List.of(endpoint));
    ServiceMonitor monitor = new ServiceMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder()
            .withName(ClusterNames.headlessService(cr))
            .withNamespace(cr.getMetadata().getNamespace())
            .withLabels(ClusterNames.labels(cr))
            .build());
    monitor.setAdditionalProperty("spec", spec);
    return monitor;
  }
}
