package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The cluster's NetworkPolicy ({@link DesiredNetworkPolicy}). Reconciled unless {@code
 * spec.networkPolicy.enabled} is false, and deleted when it turns false ({@link Enabled}). The
 * reconciler puts who the operator is ({@link OperatorPeer}) into the workflow context under {@link
 * #OPERATOR_PEER}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StatefulSetDependent.MANAGED))
public class NetworkPolicyDependent
    extends CRUDKubernetesDependentResource<NetworkPolicy, DqliteCluster> {

  public static final String NAME = "networkpolicy";

  /** Workflow-context key of the {@link OperatorPeer}. */
  public static final String OPERATOR_PEER = "dqlite.operatorPeer";

  public NetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(DqliteCluster cr, Context<DqliteCluster> context) {
    OperatorPeer operator =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(OPERATOR_PEER, OperatorPeer.class)
            .orElseThrow(() -> new IllegalStateException("no " + OPERATOR_PEER + " in context"));
    return DesiredNetworkPolicy.build(cr, operator);
  }

  /** Reconcile precondition: {@link DesiredNetworkPolicy#enabled}; when false it is deleted. */
  public static class Enabled implements Condition<NetworkPolicy, DqliteCluster> {
    @Override
    public boolean isMet(
        DependentResource<NetworkPolicy, DqliteCluster> dependentResource,
        DqliteCluster cr,
        Context<DqliteCluster> context) {
      return DesiredNetworkPolicy.enabled(cr);
    }
  }
}
