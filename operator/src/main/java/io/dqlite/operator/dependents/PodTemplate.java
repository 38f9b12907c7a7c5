package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.sidecar.api.SidecarSetting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pod template: the user's {@code spec.podTemplate} (if any) with the dqlite sidecar, its
 * volumes and the operator's defaults merged in.
 *
 * <p>Merge rules: every field of the user's template is kept; the selector labels, the sidecar
 * container and the operator's volumes always win (a user volume or container with a reserved name
 * is replaced); the security context, service account, topology spread and termination grace period
 * are the operator's unless the user set them (the grace period never drops below what a handover
 * needs). Each user container gets the app-socket directory and {@code DQLITE_APP_SOCKET}.
 */
public final class PodTemplate {

  private PodTemplate() {}

  /** The pod template for a cluster; pure. */
  public static PodTemplateSpec build(DqliteCluster cr, String clusterDomain) {
    PodTemplateSpec user = cr.getSpec().getPodTemplate();
    PodTemplateSpec base =
        user == null ? new PodTemplateSpec() : new PodTemplateSpecBuilder(user).build();
    PodSpec userSpec = base.getSpec() == null ? new PodSpec() : base.getSpec();
    return new PodTemplateSpecBuilder()
        .withMetadata(metadata(cr, base.getMetadata()))
        .withSpec(spec(cr, userSpec, clusterDomain))
        .build();
  }

  private static ObjectMeta metadata(DqliteCluster cr, ObjectMeta user) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (user != null) {
      if (user.getLabels() != null) {
        labels.putAll(user.getLabels());
      }
      if (user.getAnnotations() != null) {
        annotations.putAll(user.getAnnotations());
      }
    }
    labels.putAll(ClusterNames.labels(cr));
    ObjectMeta meta = new ObjectMeta();
    meta.setLabels(labels);
    meta.setAnnotations(annotations.isEmpty() ? null : annotations);
    return meta;
  }

  private static PodSpec spec(DqliteCluster cr, PodSpec user, String clusterDomain) {
    PodSpecBuilder spec = new PodSpecBuilder(user);
    spec.withContainers(containers(cr, user, clusterDomain));
    spec.withVolumes(volumes(cr, user));
    if (user.getSecurityContext() == null) {
      spec.withSecurityContext(PodSecurity.pod());
    }
    if (user.getServiceAccountName() == null) {
      // No container gets the account's token: the sidecar's zone comes from the downward API,
      // or, with spec.zones.readNodeLabels, from a token volume mounted into it alone.
      spec.withServiceAccountName(ClusterNames.serviceAccount(cr));
      spec.withAutomountServiceAccountToken(false);
    }
    if (user.getTopologySpreadConstraints() == null
        || user.getTopologySpreadConstraints().isEmpty()) {
      spec.withTopologySpreadConstraints(spread(cr));
    }
    long grace =
        Math.max(
            Sidecar.TERMINATION_GRACE_PERIOD_SECONDS,
            user.getTerminationGracePeriodSeconds() == null
                ? 0
                : user.getTerminationGracePeriodSeconds());
    spec.withTerminationGracePeriodSeconds(grace);
    return spec.build();
  }

  /** The user's containers (app socket added), then the sidecar. */
  static List<Container> containers(DqliteCluster cr, PodSpec user, String clusterDomain) {
    List<Container> containers = new ArrayList<>();
    if (user.getContainers() != null) {
      for (Container container : user.getContainers()) {
        if (!Sidecar.CONTAINER_NAME.equals(container.getName())) {
          containers.add(withAppSocket(container, SidecarContainer.appSocket(cr.getSpec())));
        }
      }
    }
    containers.add(SidecarContainer.build(cr, clusterDomain));
    return containers;
  }

  private static Container withAppSocket(Container container, String appSocket) {
    ContainerBuilder builder = new ContainerBuilder(container);
    boolean mounted =
        container.getVolumeMounts() != null
            && container.getVolumeMounts().stream()
                .anyMatch(m -> PodVolumes.APP_SOCKET.equals(m.getName()));
    if (!mounted) {
      builder.addToVolumeMounts(
          SidecarContainer.mount(PodVolumes.APP_SOCKET, Sidecar.APP_SOCKET_DIR, false));
    }
    boolean hasEnv =
        container.getEnv() != null
            && container.getEnv().stream()
                .anyMatch(e -> SidecarSetting.APP_SOCKET.env().equals(e.getName()));
    if (!hasEnv) {
      builder.addToEnv(new EnvVar(SidecarSetting.APP_SOCKET.env(), appSocket, null));
    }
    return builder.build();
  }

  private static List<Volume> volumes(DqliteCluster cr, PodSpec user) {
    List<Volume> ours = PodVolumes.build(cr);
    Set<String> reserved =
        ours.stream().map(Volume::getName).collect(Collectors.toCollection(java.util.HashSet::new));
    reserved.add(ClusterNames.DATA_VOLUME);
    List<Volume> volumes = new ArrayList<>();
    if (user.getVolumes() != null) {
      user.getVolumes().stream().filter(v -> !reserved.contains(v.getName())).forEach(volumes::add);
    }
    volumes.addAll(ours);
    return volumes;
  }

  /**
   * Spread over zones and then hosts, as a preference: a hard constraint would leave pods pending
   * on nodes without a zone label, as in most single-zone and local clusters.
   */
  static List<TopologySpreadConstraint> spread(DqliteCluster cr) {
    return List.of(
        spreadOver(cr, cr.getSpec().getZoneLabel()), spreadOver(cr, "kubernetes.io/hostname"));
  }

  private static TopologySpreadConstraint spreadOver(DqliteCluster cr, String topologyKey) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey(topologyKey)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector()
        .withMatchLabels(ClusterNames.selectorLabels(cr))
        .endLabelSelector()
        .build();
  }
}
