package io.dqlite.operator.dependents;

import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The cluster's StatefulSet, from {@link DesiredStatefulSet}, with the replica count the scale plan
 * decided: the reconciler puts its {@link ScaleStep} into the workflow context under {@link
 * #SCALE_STEP} before it runs the workflow.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StatefulSetDependent.MANAGED))
public class StatefulSetDependent
    extends CRUDKubernetesDependentResource<StatefulSet, DqliteCluster> {

  public static final String NAME = "statefulset";

  /** Workflow-context key of the scale plan's step. */
  public static final String SCALE_STEP = "dqlite.scaleStep";

  /**
   * Workflow-context key of the TLS Secret's revision ({@link GeneratedTls#REVISION_ANNOTATION},
   * {@link TlsRevision}), the generated one's or the user's, when this pass read a usable Secret.
   */
  public static final String TLS_REVISION = "dqlite.tlsRevision";

  /** Informers cache only the objects this operator manages. */
  static final String MANAGED = ClusterNames.MANAGED_BY_LABEL + "=" + ClusterNames.MANAGER;

  public StatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(DqliteCluster cr, Context<DqliteCluster> context) {
    OptionalInt current =
        context
            .getSecondaryResource(StatefulSet.class)
            .map(sts -> OptionalInt.of(sts.getSpec().getReplicas()))
            .orElse(OptionalInt.empty());
    ScaleStep step =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(SCALE_STEP, ScaleStep.class)
            .orElse(new ScaleStep.Done());
    StatefulSet desired =
        DesiredStatefulSet.build(
            cr,
            replicas(cr.getSpec().getReplicas(), current, step),
            OperatorSettings.environmentClusterDomain());
    Optional<String> revision =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(TLS_REVISION, String.class)
            .or(() -> context.getSecondaryResource(StatefulSet.class).flatMap(s -> tlsRevision(s)));
    revision.ifPresent(r -> withTlsRevision(desired, r));
    return desired;
  }

  /** Whether the pod template mounts a TLS Secret (its pods run with TLS). */
  public static boolean mountsTls(StatefulSet sts) {
    var volumes = sts.getSpec().getTemplate().getSpec().getVolumes();
    return volumes != null && volumes.stream().anyMatch(v -> PodVolumes.TLS.equals(v.getName()));
  }

  /** The TLS revision the pod template carries, if any. */
  public static Optional<String> tlsRevision(StatefulSet sts) {
    Map<String, String> annotations = sts.getSpec().getTemplate().getMetadata().getAnnotations();
    return Optional.ofNullable(
        annotations == null ? null : annotations.get(GeneratedTls.REVISION_ANNOTATION));
  }

  /**
   * Puts the revision on the pod template. When this pass could not read the Secret, the current
   * value is kept: dropping it would restart every pod for nothing.
   */
  static StatefulSet withTlsRevision(StatefulSet sts, String revision) {
    ObjectMeta meta = sts.getSpec().getTemplate().getMetadata();
    Map<String, String> annotations =
        meta.getAnnotations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(meta.getAnnotations());
    annotations.put(GeneratedTls.REVISION_ANNOTATION, revision);
    meta.setAnnotations(annotations);
    return sts;
  }

  /**
   * The replica count to apply: the spec's when the StatefulSet is created; the step's when the
   * plan grows or shrinks it; otherwise the current one, because pods may only go once their
   * members have left raft, and come only once recycled volumes are gone.
   */
  public static int replicas(int spec, OptionalInt current, ScaleStep step) {
    if (current.isEmpty()) {
      return spec;
    }
    if (step instanceof ScaleStep.Grow grow) {
      return grow.replicas();
    }
    if (step instanceof ScaleStep.Shrink shrink) {
      return shrink.replicas();
    }
    return current.getAsInt();
  }
}
