package io.dqlite.operator.dependents;

import static io.dqlite.operator.dependents.TestClusters.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.EngineSpec;
import io.dqlite.operator.crd.RaftSpec;
import io.dqlite.operator.crd.RetentionPolicy;
import io.dqlite.operator.crd.RetentionSpec;
import io.dqlite.operator.crd.StorageSpec;
import io.dqlite.operator.crd.TlsSpec;
import io.dqlite.operator.crd.TlsStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DesiredStatefulSetTest {

  static Container sidecar(StatefulSet sts) {
    return sts.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(Sidecar.CONTAINER_NAME))
        .findFirst()
        .orElseThrow();
  }

  static Map<String, EnvVar> env(Container container) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    container.getEnv().forEach(e -> env.put(e.getName(), e));
    return env;
  }

  static Map<String, String> mounts(Container container) {
    Map<String, String> mounts = new LinkedHashMap<>();
    container.getVolumeMounts().forEach(m -> mounts.put(m.getName(), m.getMountPath()));
    return mounts;
  }

  private static StatefulSet build(DqliteCluster cr) {
    return DesiredStatefulSet.build(cr, cr.getSpec().getReplicas(), DOMAIN);
  }

  @Test
  void statefulSetShape() {
    DqliteCluster cr = TestClusters.cluster();
    StatefulSet sts = DesiredStatefulSet.build(cr, 5, DOMAIN);
    assertThat(sts.getMetadata().getName()).isEqualTo(ClusterNames.statefulSet(cr));
    assertThat(sts.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(sts.getSpec().getReplicas()).as("the count the operator decided").isEqualTo(5);
    assertThat(sts.getSpec().getServiceName()).isEqualTo(ClusterNames.headlessService(cr));
    assertThat(sts.getSpec().getSelector().getMatchLabels())
        .isEqualTo(ClusterNames.selectorLabels(cr));
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(ClusterNames.selectorLabels(cr));
    assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
  }

  @ParameterizedTest(name = "size {0}, class {1}, whenScaled {2}, whenDeleted {3}")
  @CsvSource({
    "1Gi, , Delete, Retain",
    "20Gi, fast-ssd, Retain, Delete",
    "500Mi, local, Delete, Delete",
  })
  void volumeClaimTemplateAndRetention(
      String size, String storageClass, String whenScaled, String whenDeleted) {
    DqliteCluster cr =
        TestClusters.cluster(
            spec -> {
              StorageSpec storage = new StorageSpec();
              storage.setSize(size);
              storage.setStorageClassName(storageClass);
              RetentionSpec retention = new RetentionSpec();
              retention.setWhenScaled(RetentionPolicy.valueOf(whenScaled.toUpperCase()));
              retention.setWhenDeleted(RetentionPolicy.valueOf(whenDeleted.toUpperCase()));
              storage.setRetention(retention);
              spec.setStorage(storage);
            });
    StatefulSet sts = build(cr);
    var claim = sts.getSpec().getVolumeClaimTemplates().get(0);
    assertThat(sts.getSpec().getVolumeClaimTemplates()).hasSize(1);
    assertThat(claim.getMetadata().getName()).isEqualTo(ClusterNames.DATA_VOLUME);
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(claim.getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity(size));
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo(storageClass);
    var policy = sts.getSpec().getPersistentVolumeClaimRetentionPolicy();
    assertThat(policy.getWhenScaled()).isEqualTo(whenScaled);
    assertThat(policy.getWhenDeleted()).isEqualTo(whenDeleted);
  }

  @Test
  void defaultsWhenStorageIsUnsetInJava() {
    DqliteCluster cr = TestClusters.cluster(spec -> spec.setStorage(null));
    StatefulSet sts = build(cr);
    assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled())
        .isEqualTo("Delete");
    assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
        .isEqualTo("Retain");
    assertThat(cr.getSpec().getStorage()).as("the spec is not modified").isNull();
  }

  @Test
  void sidecarRunsTheLauncherWithProbesOnTheAdminPort() {
    Container sidecar = sidecar(build(TestClusters.cluster()));
    assertThat(sidecar.getImage()).isEqualTo("dqlite-k8s/sidecar:0.1.0");
    assertThat(sidecar.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(sidecar.getCommand()).as("the image's entrypoint, the launcher").isEmpty();
    assertThat(sidecar.getArgs()).containsExactly("run");
    assertThat(sidecar.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("dqlite:9001", "admin:8081");
    assertProbe(sidecar.getReadinessProbe(), "/readyz");
    assertProbe(sidecar.getLivenessProbe(), "/livez");
    assertProbe(sidecar.getStartupProbe(), "/livez");
    assertThat(sidecar.getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("/opt/dqlite/bin/dqlite-sidecar", "handover");
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(Sidecar.ADMIN_PORT_NAME);
  }

  @Test
  void graceCoversAHandoverWithMargin() {
    PodSpec pod = build(TestClusters.cluster()).getSpec().getTemplate().getSpec();
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(90L);
    assertThat(
            env(sidecar(build(TestClusters.cluster()))).get("DQLITE_HANDOVER_TIMEOUT").getValue())
        .isEqualTo("60s");
  }

  @Test
  void sidecarEnvironment() {
    DqliteCluster cr = TestClusters.cluster(spec -> spec.setVoters(5));
    Map<String, EnvVar> env = env(sidecar(build(cr)));
    assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env.get("NODE_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("spec.nodeName");
    assertThat(env.get("POD_IP").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.podIP");
    assertThat(env.get("DQLITE_ZONE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.labels['topology.kubernetes.io/zone']");
    assertThat(env.get("DQLITE_ZONE_LABEL").getValue()).isEqualTo("topology.kubernetes.io/zone");
    assertThat(env.get("DQLITE_DIR").getValue()).isEqualTo("/var/lib/dqlite");
    assertThat(env.get("DQLITE_SERVICE").getValue()).isEqualTo("db-headless");
    assertThat(env.get("DQLITE_VOTERS").getValue()).isEqualTo("5");
    assertThat(env.get("DQLITE_STANDBYS").getValue()).isEqualTo("3");
    assertThat(env.get("DQLITE_APP_SOCKET").getValue())
        .isEqualTo(DqliteClusterSpec.DEFAULT_APP_SOCKET);
    assertThat(env.get("DQLITE_ADMIN_ADDRESS").getValue()).isEqualTo("$(POD_IP):8081");
    var join = env.get("DQLITE_JOIN").getValueFrom().getConfigMapKeyRef();
    assertThat(join.getName()).isEqualTo(ClusterNames.joinConfigMap(cr));
    assertThat(join.getKey()).isEqualTo(JoinSeeds.KEY);
    assertThat(env).doesNotContainKeys("DQLITE_NETWORK_LATENCY");
    assertThat(env.get("DQLITE_TLS_CERT").getValue())
        .as("TLS is the default")
        .isEqualTo("/etc/dqlite/tls/tls.crt");
  }

  @Test
  void addressExpandsToThePodAddressTheOperatorUses() {
    DqliteCluster cr = TestClusters.cluster();
    List<String> names = sidecar(build(cr)).getEnv().stream().map(EnvVar::getName).toList();
    assertThat(names.indexOf("POD_NAME"))
        .as("$(POD_NAME) is only expanded if defined earlier")
        .isLessThan(names.indexOf("DQLITE_ADDRESS"));
    String address = env(sidecar(build(cr))).get("DQLITE_ADDRESS").getValue();
    for (int ordinal : new int[] {0, 3}) {
      assertThat(address.replace("$(POD_NAME)", ClusterNames.podName(cr, ordinal)))
          .isEqualTo(ClusterNames.podAddress(cr, ordinal, DOMAIN));
    }
  }

  @Test
  void raftTuningOnlyWhenSet() {
    RaftSpec raft = new RaftSpec();
    raft.setRolesAdjustmentFrequency("10s");
    raft.setSnapshotThreshold(1024L);
    Map<String, EnvVar> env = env(sidecar(build(TestClusters.cluster(spec -> spec.setRaft(raft)))));
    assertThat(env.get("DQLITE_ROLES_ADJUSTMENT_FREQUENCY").getValue()).isEqualTo("10s");
    assertThat(env.get("DQLITE_SNAPSHOT_THRESHOLD").getValue()).isEqualTo("1024");
    assertThat(env).doesNotContainKeys("DQLITE_NETWORK_LATENCY", "DQLITE_SNAPSHOT_TRAILING");
  }

  /**
   * spec.engine: each field set becomes its sidecar variable with the same value; unset fields are
   * not passed, so the sidecar's engine-dependent default applies. Columns: diskMode, autoRecovery,
   * snapshotCompression (empty: unset); the variables expected, NAME=value;...
   */
  @ParameterizedTest(name = "diskMode {0}, autoRecovery {1}, snapshotCompression {2}: {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        " | | | ",
        "true | | | DQLITE_DISK_MODE=true",
        "false | false | false |"
            + " DQLITE_DISK_MODE=false;DQLITE_AUTO_RECOVERY=false;DQLITE_SNAPSHOT_COMPRESSION=false",
        " | true | | DQLITE_AUTO_RECOVERY=true",
        " | | true | DQLITE_SNAPSHOT_COMPRESSION=true",
      })
  void engineOptionsOnlyWhenSet(
      Boolean diskMode, Boolean autoRecovery, Boolean compression, String expected) {
    EngineSpec engine = new EngineSpec();
    engine.setDiskMode(diskMode);
    engine.setAutoRecovery(autoRecovery);
    engine.setSnapshotCompression(compression);
    Map<String, EnvVar> env =
        env(sidecar(build(TestClusters.cluster(spec -> spec.setEngine(engine)))));
    Map<String, String> engineEnv = new LinkedHashMap<>();
    for (String name :
        List.of("DQLITE_DISK_MODE", "DQLITE_AUTO_RECOVERY", "DQLITE_SNAPSHOT_COMPRESSION")) {
      if (env.containsKey(name)) {
        engineEnv.put(name, env.get(name).getValue());
      }
    }
    Map<String, String> want = new LinkedHashMap<>();
    if (expected != null) {
      for (String pair : expected.split(";")) {
        want.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    assertThat(engineEnv).isEqualTo(want);
  }

  @Test
  void withoutSpecEngineNoEngineVariable() {
    Map<String, EnvVar> env = env(sidecar(build(TestClusters.cluster())));
    assertThat(env)
        .doesNotContainKeys(
            "DQLITE_DISK_MODE", "DQLITE_AUTO_RECOVERY", "DQLITE_SNAPSHOT_COMPRESSION");
  }

  @Test
  void aSidecarThatCannotStartLeavesItsLastLogLinesInThePodStatus() {
    assertThat(sidecar(build(TestClusters.cluster())).getTerminationMessagePolicy())
        .isEqualTo("FallbackToLogsOnError");
  }

  @ParameterizedTest(name = "secretName {0}, generate {1}: Secret {2}")
  @CsvSource({"my-certs, false, my-certs", ", true, db-tls", "my-certs, , my-certs", ", , db-tls"})
  void tlsMountsTheSecretAndPointsTheSidecarAtIt(
      String secretName, Boolean generate, String expectedSecret) {
    TlsSpec tls = new TlsSpec();
    tls.setSecretName(secretName);
    tls.setGenerate(generate);
    StatefulSet sts = build(TestClusters.cluster(spec -> spec.setTls(tls)));
    Map<String, EnvVar> env = env(sidecar(sts));
    assertThat(env.get("DQLITE_TLS_CERT").getValue()).isEqualTo("/etc/dqlite/tls/tls.crt");
    assertThat(env.get("DQLITE_TLS_KEY").getValue()).isEqualTo("/etc/dqlite/tls/tls.key");
    assertThat(env.get("DQLITE_TLS_CA").getValue()).isEqualTo("/etc/dqlite/tls/ca.crt");
    Volume volume = volume(sts, PodVolumes.TLS);
    assertThat(volume.getSecret().getSecretName()).isEqualTo(expectedSecret);
    VolumeMount mount =
        sidecar(sts).getVolumeMounts().stream()
            .filter(m -> m.getName().equals(PodVolumes.TLS))
            .findFirst()
            .orElseThrow();
    assertThat(mount.getMountPath()).isEqualTo("/etc/dqlite/tls");
    assertThat(mount.getReadOnly()).isTrue();
  }

  @Test
  void withoutSpecTlsANewClusterGetsTheGeneratedSecret() {
    StatefulSet sts = build(TestClusters.cluster());
    assertThat(volume(sts, PodVolumes.TLS).getSecret().getSecretName()).isEqualTo("db-tls");
    assertThat(StatefulSetDependent.mountsTls(sts)).isTrue();
  }

  @Test
  void plaintextOnlyWhenAskedForOrRecorded() {
    StatefulSet optedOut = build(TestClusters.cluster(spec -> spec.setTls(TlsSpec.disabled())));
    DqliteCluster legacy = TestClusters.cluster();
    legacy.setStatus(new DqliteClusterStatus());
    legacy.getStatus().setTls(new TlsStatus("Disabled", null, null));
    for (StatefulSet sts : List.of(optedOut, build(legacy))) {
      assertThat(env(sidecar(sts))).doesNotContainKeys("DQLITE_TLS_CERT", "DQLITE_TLS_CA");
      assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
          .noneMatch(v -> v.getName().equals(PodVolumes.TLS));
      assertThat(mounts(sidecar(sts))).doesNotContainKey(PodVolumes.TLS);
      assertThat(StatefulSetDependent.mountsTls(sts)).isFalse();
    }
  }

  static Volume volume(StatefulSet sts, String name) {
    return sts.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  @Test
  void volumesAndMounts() {
    StatefulSet sts = build(TestClusters.cluster());
    assertThat(volume(sts, PodVolumes.APP_SOCKET).getEmptyDir()).isNotNull();
    assertThat(volume(sts, PodVolumes.TMP).getEmptyDir()).isNotNull();
    assertThat(mounts(sidecar(sts)))
        .containsExactly(
            entry(ClusterNames.DATA_VOLUME, "/var/lib/dqlite"),
            entry(PodVolumes.APP_SOCKET, "/run/dqlite"),
            entry(PodVolumes.TMP, "/tmp"),
            entry(PodVolumes.ADMIN, "/etc/dqlite/admin"),
            entry(PodVolumes.TLS, "/etc/dqlite/tls"));
  }

  @Test
  void theAdminSecretIsMountedReadOnlyIntoTheSidecarOnly() {
    StatefulSet sts = build(TestClusters.cluster());
    Volume volume = volume(sts, PodVolumes.ADMIN);
    assertThat(volume.getSecret().getSecretName()).isEqualTo("db-admin");
    assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0440);
    VolumeMount mount =
        sidecar(sts).getVolumeMounts().stream()
            .filter(m -> m.getName().equals(PodVolumes.ADMIN))
            .findFirst()
            .orElseThrow();
    assertThat(mount.getReadOnly()).isTrue();
    assertThat(sidecar(sts).getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains("DQLITE_ADMIN_TOKEN_FILE=/etc/dqlite/admin/token");
  }

  @Test
  void restrictedSecurityContexts() {
    StatefulSet sts = build(TestClusters.cluster());
    var pod = sts.getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getRunAsUser()).isEqualTo(Sidecar.RUN_AS_USER);
    assertThat(pod.getFsGroup()).isEqualTo(Sidecar.RUN_AS_USER);
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = sidecar(sts).getSecurityContext();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getRunAsUser()).isEqualTo(Sidecar.RUN_AS_USER);
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void ownServiceAccountWithoutToken() {
    PodSpec pod = build(TestClusters.cluster()).getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("db");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void spreadsOverTheZoneLabelThenHosts() {
    DqliteCluster cr = TestClusters.cluster(spec -> spec.setZoneLabel("example.com/rack"));
    List<TopologySpreadConstraint> spread =
        build(cr).getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
    assertThat(spread)
        .extracting(TopologySpreadConstraint::getTopologyKey)
        .containsExactly("example.com/rack", "kubernetes.io/hostname");
    assertThat(spread)
        .allSatisfy(
            c -> {
              assertThat(c.getMaxSkew()).isEqualTo(1);
              assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
              assertThat(c.getLabelSelector().getMatchLabels())
                  .isEqualTo(ClusterNames.selectorLabels(cr));
            });
    assertThat(
            env(sidecar(build(cr))).get("DQLITE_ZONE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.labels['example.com/rack']");
  }

  @Test
  void resourcesGoToTheSidecar() {
    var resources =
        new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
            .addToRequests("memory", new Quantity("256Mi"))
            .build();
    assertThat(
            sidecar(build(TestClusters.cluster(spec -> spec.setResources(resources))))
                .getResources())
        .isEqualTo(resources);
  }
}
