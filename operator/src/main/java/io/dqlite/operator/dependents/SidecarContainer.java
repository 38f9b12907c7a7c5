package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.crd.EngineSpec;
import io.dqlite.operator.crd.RaftSpec;
import io.dqlite.operator.crd.TlsMode;
import io.dqlite.operator.crd.ZonesSpec;
import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.PodVariables;
import io.dqlite.sidecar.api.SidecarSetting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/** The dqlite sidecar container of every pod. */
public final class SidecarContainer {

  private SidecarContainer() {}

  /** The sidecar container for a cluster; pure. */
  public static Container build(DqliteCluster cr, String clusterDomain) {
    DqliteClusterSpec spec = cr.getSpec();
    return new ContainerBuilder()
        .withName(Sidecar.CONTAINER_NAME)
        .withImage(spec.getImage())
        .withImagePullPolicy(spec.getImagePullPolicy().value())
        // The image's entrypoint is the launcher; only its argument is given, so that a runtime
        // mapping the image to another launcher (localkube's image table) starts it too.
        .withArgs(Sidecar.RUN)
        .withEnv(env(cr, clusterDomain))
        .addNewPort()
        .withName(Sidecar.RAFT_PORT_NAME)
        .withContainerPort(Sidecar.RAFT_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName(Sidecar.ADMIN_PORT_NAME)
        .withContainerPort(Sidecar.ADMIN_PORT)
        .withProtocol("TCP")
        .endPort()
        // The JVM and libdqlite start in seconds, but a node joining a busy cluster may take
        // longer: the startup probe gives it two minutes before liveness applies.
        .withStartupProbe(httpProbe(Sidecar.LIVEZ, 2, 60))
        .withLivenessProbe(httpProbe(Sidecar.LIVEZ, 10, 3))
        .withReadinessProbe(httpProbe(Sidecar.READYZ, 5, 2))
        // Hand leadership and the voter role to another node before SIGTERM closes this one.
        .withNewLifecycle()
        .withNewPreStop()
        .withNewExec()
        .withCommand(Sidecar.LAUNCHER, Sidecar.HANDOVER)
        .endExec()
        .endPreStop()
        .endLifecycle()
        .withResources(spec.getResources())
        // A sidecar that cannot start (an engine option its libdqlite lacks, a bad flag) exits
        // with the reason as its last log line: the kubelet copies the log's tail into the pod's
        // status (lastState.terminated.message), where kubectl describe shows it.
        .withTerminationMessagePolicy(Sidecar.TERMINATION_MESSAGE_POLICY)
        .withSecurityContext(PodSecurity.container())
        .withVolumeMounts(mounts(cr))
        .build();
  }

  static List<EnvVar> env(DqliteCluster cr, String clusterDomain) {
    DqliteClusterSpec spec = cr.getSpec();
    List<EnvVar> env = new ArrayList<>();
    env.add(fieldRef(PodVariables.POD_NAME, "metadata.name"));
    env.add(fieldRef(PodVariables.POD_NAMESPACE, "metadata.namespace"));
    env.add(fieldRef(SidecarSetting.NODE_NAME.env(), "spec.nodeName"));
    env.add(fieldRef(PodVariables.POD_IP, "status.podIP"));
    env.add(value(SidecarSetting.DIR, Sidecar.DATA_DIR));
    env.add(value(PodVariables.SERVICE, ClusterNames.headlessService(cr)));
    // $(POD_NAME) is expanded by the kubelet; it must be defined above. The result is
    // ClusterNames.podAddress for this pod's ordinal.
    env.add(
        value(
            SidecarSetting.ADDRESS,
            "$("
                + PodVariables.POD_NAME
                + ")."
                + ClusterNames.podDomain(cr, clusterDomain)
                + ":"
                + Sidecar.RAFT_PORT));
    env.add(
        new EnvVarBuilder()
            .withName(SidecarSetting.JOIN.env())
            .withNewValueFrom()
            .withNewConfigMapKeyRef(JoinSeeds.KEY, ClusterNames.joinConfigMap(cr), false)
            .endValueFrom()
            .build());
    // One cluster per name: the identity (absent until recorded) and whether the cluster exists.
    env.add(configMapKey(SidecarSetting.CLUSTER_ID.env(), cr, JoinSeeds.CLUSTER_ID_KEY, true));
    env.add(
        configMapKey(SidecarSetting.CLUSTER_EXISTS.env(), cr, JoinSeeds.CLUSTER_EXISTS_KEY, false));
    env.add(value(SidecarSetting.VOTERS, String.valueOf(spec.getVoters())));
    env.add(value(SidecarSetting.STANDBYS, String.valueOf(spec.getStandBys())));
    env.add(value(SidecarSetting.ZONE_LABEL, spec.getZoneLabel()));
    // Kubernetes 1.36 copies the node's zone label onto the pod when it is bound, so the
    // downward API gives the zone without any permission to read Nodes. Older clusters (or a
    // custom zoneLabel not copied) give an empty zone: every node then shares one failure domain.
    env.add(fieldRef(SidecarSetting.ZONE.env(), "metadata.labels['" + spec.getZoneLabel() + "']"));
    env.add(value(SidecarSetting.APP_SOCKET, appSocket(spec)));
    // The pod IP rather than the wildcard: probes and the operator reach the pod IP anyway, and
    // where pods share a host network (the local control plane) a wildcard listener would take
    // the port from every other pod.
    env.add(
        value(
            SidecarSetting.ADMIN_ADDRESS, "$(" + PodVariables.POD_IP + "):" + Sidecar.ADMIN_PORT));
    env.add(value(SidecarSetting.ADMIN_TOKEN_FILE, Sidecar.ADMIN_DIR + "/" + AdminApi.TOKEN_KEY));
    env.add(
        value(
            SidecarSetting.HANDOVER_TIMEOUT,
            SidecarSetting.HANDOVER_TIMEOUT.defaultValue().orElseThrow()));
    RaftSpec raft = spec.getRaft();
    if (raft != null) {
      addIfSet(env, SidecarSetting.ROLES_ADJUSTMENT_FREQUENCY, raft.getRolesAdjustmentFrequency());
      addIfSet(env, SidecarSetting.NETWORK_LATENCY, raft.getNetworkLatency());
      addIfSet(env, SidecarSetting.SNAPSHOT_THRESHOLD, raft.getSnapshotThreshold());
      addIfSet(env, SidecarSetting.SNAPSHOT_TRAILING, raft.getSnapshotTrailing());
    }
    EngineSpec engine = spec.getEngine();
    if (engine != null) {
      addIfSet(env, SidecarSetting.DISK_MODE, engine.getDiskMode());
      addIfSet(env, SidecarSetting.AUTO_RECOVERY, engine.getAutoRecovery());
      addIfSet(env, SidecarSetting.SNAPSHOT_COMPRESSION, engine.getSnapshotCompression());
    }
    if (TlsMode.of(cr).tls()) {
      env.add(value(SidecarSetting.TLS_CERT, Sidecar.TLS_DIR + "/tls.crt"));
      env.add(value(SidecarSetting.TLS_KEY, Sidecar.TLS_DIR + "/tls.key"));
      env.add(value(SidecarSetting.TLS_CA, Sidecar.TLS_DIR + "/ca.crt"));
    }
    return env;
  }

  private static List<VolumeMount> mounts(DqliteCluster cr) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount(ClusterNames.DATA_VOLUME, Sidecar.DATA_DIR, false));
    mounts.add(mount(PodVolumes.APP_SOCKET, Sidecar.APP_SOCKET_DIR, false));
    mounts.add(mount(PodVolumes.TMP, Sidecar.TMP_DIR, false));
    mounts.add(mount(PodVolumes.ADMIN, Sidecar.ADMIN_DIR, true));
    if (TlsMode.of(cr).tls()) {
      mounts.add(mount(PodVolumes.TLS, Sidecar.TLS_DIR, true));
    }
    if (ZonesSpec.readNodeLabels(cr)) {
      // A mount at the token path also keeps the ServiceAccount admission from adding its own
      // there, should the user's account automount tokens.
      mounts.add(mount(PodVolumes.KUBE_API, Sidecar.SERVICE_ACCOUNT_DIR, true));
    }
    return mounts;
  }

  /** The app socket the sidecar serves and every application container is told about. */
  static String appSocket(DqliteClusterSpec spec) {
    return spec.getAppSocket() != null ? spec.getAppSocket() : DqliteClusterSpec.DEFAULT_APP_SOCKET;
  }

  static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly ? Boolean.TRUE : null)
        .build();
  }

  private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(Sidecar.ADMIN_PORT_NAME))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(3)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static void addIfSet(List<EnvVar> env, SidecarSetting setting, Object value) {
    if (value != null) {
      env.add(value(setting, value.toString()));
    }
  }

  /** The variable of {@code setting}, which the sidecar reads as it would the flag. */
  static EnvVar value(SidecarSetting setting, String value) {
    return value(setting.env(), value);
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar configMapKey(String name, DqliteCluster cr, String key, boolean optional) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewConfigMapKeyRef(key, ClusterNames.joinConfigMap(cr), optional)
        .endValueFrom()
        .build();
  }

  private static EnvVar fieldRef(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
