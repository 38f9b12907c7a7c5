package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MetricsSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's ServiceMonitor ({@link DesiredServiceMonitor}). Active only while the
 * ServiceMonitor CRD exists ({@link CrdPresent}), so the operator runs unchanged without
 * prometheus-operator; reconciled only while {@code spec.metrics.serviceMonitor} is true, and
 * deleted when it turns false ({@link Requested}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = StatefulSetDependent.MANAGED))
public class ServiceMonitorDependent
    extends CRUDKubernetesDependentResource<ServiceMonitor, DqliteCluster> {

  public static final String NAME = "servicemonitor";

  public ServiceMonitorDependent() {
    super(ServiceMonitor.class);
  }

  @Override
  protected ServiceMonitor desired(DqliteCluster cr, Context<DqliteCluster> context) {
    return DesiredServiceMonitor.build(cr);
  }

  /** Whether the resource asks for a ServiceMonitor. */
  public static boolean requested(DqliteCluster cr) {
    MetricsSpec metrics = cr.getSpec().getMetrics();
    return metrics != null && Boolean.TRUE.equals(metrics.getServiceMonitor());
  }

  /**
   * Activation: the ServiceMonitor CRD exists. Without it no ServiceMonitor informer is started (it
   * could not list a resource the API server does not serve).
   */
  public static class CrdPresent implements Condition<ServiceMonitor, DqliteCluster> {
    @Override
    public boolean isMet(
        DependentResource<ServiceMonitor, DqliteCluster> dependentResource,
        DqliteCluster cr,
        Context<DqliteCluster> context) {
      KubernetesClient client = context.getClient();
      return CRD_BY_API_SERVER
          .computeIfAbsent(
              client.getMasterUrl().toString(), url -> new CrdPresence(DesiredServiceMonitor.CRD))
          .present(client);
    }
  }

  /**
   * Reconcile precondition: {@code spec.metrics.serviceMonitor}; when it turns false the
   * ServiceMonitor is deleted.
   */
  public static class Requested implements Condition<ServiceMonitor, DqliteCluster> {
    @Override
    public boolean isMet(
        DependentResource<ServiceMonitor, DqliteCluster> dependentResource,
        DqliteCluster cr,
        Context<DqliteCluster> context) {
      return requested(cr);
    }
  }

  /**
   * What is known of the CRD, per API server (JOSDK instantiates conditions itself, and more than
   * one operator may share a JVM, as in the tests).
   */
  static final Map<String, CrdPresence> CRD_BY_API_SERVER = new ConcurrentHashMap<>();

  /**
   * Whether a CRD exists, looked up at most every {@link #RECHECK}: installing prometheus-operator
   * later is noticed, and so is removing it (the informer is then deregistered, instead of failing
   * every reconciliation).
   */
  static final class CrdPresence {
    private static final Logger log = LoggerFactory.getLogger(ServiceMonitorDependent.class);
    static final Duration RECHECK = Duration.ofMinutes(1);
    private final String crd;
    private Boolean present;
    private Instant checked = Instant.MIN;

    CrdPresence(String crd) {
      this.crd = crd;
    }

    synchronized boolean present(KubernetesClient client) {
      if (checked.plus(RECHECK).isAfter(Instant.now())) {
        return Boolean.TRUE.equals(present);
      }
      checked = Instant.now();
      try {
        present = client.resources(CustomResourceDefinition.class).withName(crd).get() != null;
      } catch (KubernetesClientException e) {
        log.warn("look up CRD {}: {}; ServiceMonitors are not managed", crd, e.getMessage());
        present = false;
      }
      return present;
    }
  }
}
