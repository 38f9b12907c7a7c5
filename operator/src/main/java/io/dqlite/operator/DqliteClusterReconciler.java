package io.dqlite.operator;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.dependents.ClientServiceDependent;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.HeadlessServiceDependent;
import io.dqlite.operator.dependents.JoinConfigMapDependent;
import io.dqlite.operator.dependents.PodDisruptionBudgetDependent;
import io.dqlite.operator.dependents.ServiceAccountDependent;
import io.dqlite.operator.dependents.StatefulSetDependent;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.util.Optional;

/**
 * Reconciles a DqliteCluster: the workflow applies the owned objects (the StatefulSet last, once
 * the objects its pods refer to exist); this class only reports what it observes in the status.
 *
 * <p>Not here yet: reading the raft membership from the sidecars, the scale plan's drain and remove
 * steps (until then the StatefulSet never shrinks), the rolling-update gate, conditions, and {@code
 * status.bootstrapped}.
 */
@ControllerConfiguration(name = DqliteClusterReconciler.NAME)
@Workflow(
    dependents = {
      @Dependent(name = ServiceAccountDependent.NAME, type = ServiceAccountDependent.class),
      @Dependent(name = JoinConfigMapDependent.NAME, type = JoinConfigMapDependent.class),
      @Dependent(name = HeadlessServiceDependent.NAME, type = HeadlessServiceDependent.class),
      @Dependent(name = ClientServiceDependent.NAME, type = ClientServiceDependent.class),
      @Dependent(
          name = PodDisruptionBudgetDependent.NAME,
          type = PodDisruptionBudgetDependent.class),
      @Dependent(
          name = StatefulSetDependent.NAME,
          type = StatefulSetDependent.class,
          dependsOn = {
            ServiceAccountDependent.NAME,
            JoinConfigMapDependent.NAME,
            HeadlessServiceDependent.NAME
          })
    })
public class DqliteClusterReconciler implements Reconciler<DqliteCluster> {

  public static final String NAME = "dqlitecluster";

  @Override
  public UpdateControl<DqliteCluster> reconcile(DqliteCluster cr, Context<DqliteCluster> context) {
    DqliteClusterStatus status =
        observed(cr, context.getSecondaryResource(StatefulSet.class, StatefulSetDependent.NAME));
    if (Serialization.asJson(status).equals(Serialization.asJson(cr.getStatus()))) {
      return UpdateControl.noUpdate();
    }
    DqliteCluster patch = new DqliteCluster();
    patch.setMetadata(cr.getMetadata());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  /** The status with what the StatefulSet shows; every other field is kept as it was. */
  static DqliteClusterStatus observed(DqliteCluster cr, Optional<StatefulSet> statefulSet) {
    DqliteClusterStatus status =
        cr.getStatus() == null ? new DqliteClusterStatus() : Serialization.clone(cr.getStatus());
    status.setObservedGeneration(cr.getMetadata().getGeneration());
    status.setSelector(ClusterNames.selector(cr));
    status.setReplicas(
        statefulSet.map(StatefulSet::getStatus).map(StatefulSetStatus::getReplicas).orElse(0));
    status.setReadyReplicas(
        statefulSet.map(StatefulSet::getStatus).map(StatefulSetStatus::getReadyReplicas).orElse(0));
    return status;
  }
}
