package io.dqlite.localkube.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.localkube.podspec.ContainerConfigException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodVolumesTest {
  @TempDir Path tmp;
  private final Map<String, ConfigMap> configMaps = new HashMap<>();
  private final List<String> tokenRequests = new ArrayList<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private final VolumeSources sources =
      new VolumeSources() {
        @Override
        public Optional<ConfigMap> configMap(String ns, String name) {
          return Optional.ofNullable(configMaps.get(name));
        }

        @Override
        public Optional<Secret> secret(String ns, String name) {
          return Optional.of(
              new SecretBuilder()
                  .withData(Map.of("tls.key", Base64.getEncoder().encodeToString("KEY".getBytes())))
                  .build());
        }

        @Override
        public Token token(
            String ns, String sa, String audience, long seconds, String pod, String uid) {
          tokenRequests.add(ns + "/" + sa + "/" + pod);
          return new Token("token-" + tokenRequests.size(), now.plusSeconds(seconds));
        }

        @Override
        public Optional<Path> claimDirectory(String ns, String claim) {
          return claim.equals("data") ? Optional.of(tmp.resolve("pv/pvc-1")) : Optional.empty();
        }
      };

  private Pod pod(String... volumes) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("db")
            .withName("db-0")
            .withUid("u1")
            .withLabels(Map.of("app", "db"))
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName("dqlite")
            .addNewContainer()
            .withName("c")
            .endContainer()
            .endSpec();
    for (String v : volumes) {
      switch (v) {
        case "scratch":
          b.editSpec()
              .addNewVolume()
              .withName(v)
              .withNewEmptyDir()
              .endEmptyDir()
              .endVolume()
              .endSpec();
          break;
        case "cfg":
          b.editSpec()
              .addNewVolume()
              .withName(v)
              .withNewConfigMap()
              .withName("cfg")
              .addNewItem()
              .withKey("a")
              .withPath("conf/a.txt")
              .withMode(0600)
              .endItem()
              .endConfigMap()
              .endVolume()
              .endSpec();
          break;
        case "tls":
          b.editSpec()
              .addNewVolume()
              .withName(v)
              .withNewSecret()
              .withSecretName("tls")
              .endSecret()
              .endVolume()
              .endSpec();
          break;
        case "data":
          b.editSpec()
              .addNewVolume()
              .withName(v)
              .withNewPersistentVolumeClaim()
              .withClaimName("data")
              .endPersistentVolumeClaim()
              .endVolume()
              .endSpec();
          break;
        case "sa":
          b.editSpec()
              .addNewVolume()
              .withName(v)
              .withNewProjected()
              .addNewSource()
              .withNewServiceAccountToken()
              .withPath("token")
              .withExpirationSeconds(3600L)
              .endServiceAccountToken()
              .endSource()
              .addNewSource()
              .withNewConfigMap()
              .withName("kube-root-ca.crt")
              .addNewItem()
              .withKey("ca.crt")
              .withPath("ca.crt")
              .endItem()
              .endConfigMap()
              .endSource()
              .addNewSource()
              .withNewDownwardAPI()
              .addNewItem()
              .withPath("namespace")
              .withNewFieldRef()
              .withFieldPath("metadata.namespace")
              .endFieldRef()
              .endItem()
              .addNewItem()
              .withPath("labels")
              .withNewFieldRef()
              .withFieldPath("metadata.labels")
              .endFieldRef()
              .endItem()
              .endDownwardAPI()
              .endSource()
              .endProjected()
              .endVolume()
              .endSpec();
          break;
        default:
          throw new IllegalArgumentException(v);
      }
    }
    return b.build();
  }

  private PodVolumes volumes(Pod pod) {
    return new PodVolumes(
        pod,
        tmp.resolve("pod"),
        sources,
        "127.1.0.1",
        "127.0.2.1",
        Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void writesEveryKindAndMapsMountsWithSubPaths() throws Exception {
    configMaps.put("cfg", new ConfigMapBuilder().withData(Map.of("a", "A", "b", "B")).build());
    configMaps.put(
        "kube-root-ca.crt", new ConfigMapBuilder().withData(Map.of("ca.crt", "CA")).build());
    Pod pod = pod("scratch", "cfg", "tls", "data", "sa");
    PodVolumes v = volumes(pod);
    Map<String, Path> dirs = v.prepare();

    assertThat(dirs.get("scratch")).isDirectory();
    Path a = dirs.get("cfg").resolve("conf/a.txt");
    assertThat(a).hasContent("A");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a)))
        .isEqualTo("rw-------");
    assertThat(dirs.get("cfg").resolve("b")).doesNotExist();
    assertThat(dirs.get("tls").resolve("tls.key")).hasContent("KEY");
    assertThat(dirs.get("data")).isEqualTo(tmp.resolve("pv/pvc-1")).isDirectory();
    assertThat(dirs.get("sa").resolve("token")).hasContent("token-1");
    assertThat(dirs.get("sa").resolve("ca.crt")).hasContent("CA");
    assertThat(dirs.get("sa").resolve("namespace")).hasContent("db");
    assertThat(dirs.get("sa").resolve("labels")).hasContent("app=\"db\"");
    assertThat(tokenRequests).containsExactly("db/dqlite/db-0");

    Container c =
        new ContainerBuilder()
            .withName("c")
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/var/lib/dqlite")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("scratch")
            .withMountPath("/tmp/x")
            .withSubPathExpr("$(POD)")
            .endVolumeMount()
            .build();
    MountMapper m = v.mapper(c, Map.of("POD", "db-0"));
    assertThat(m.map("/var/lib/dqlite/raft")).isEqualTo(tmp.resolve("pv/pvc-1/raft").toString());
    assertThat(m.map("/tmp/x")).isEqualTo(dirs.get("scratch").resolve("db-0").toString());
    Path root = v.rootfs(c, m);
    assertThat(root.resolve("var/lib/dqlite")).isSymbolicLink();
    assertThat(Files.readSymbolicLink(root.resolve("var/lib/dqlite")))
        .isEqualTo(tmp.resolve("pv/pvc-1"));
  }

  @Test
  void refreshRewritesChangedContentAndRenewsTokensAt80Percent() throws Exception {
    configMaps.put("cfg", new ConfigMapBuilder().withData(Map.of("a", "1")).build());
    configMaps.put(
        "kube-root-ca.crt", new ConfigMapBuilder().withData(Map.of("ca.crt", "CA")).build());
    PodVolumes v =
        new PodVolumes(
            pod("cfg", "sa"),
            tmp.resolve("pod"),
            sources,
            "127.1.0.1",
            "127.0.2.1",
            new MutableClock());
    Path dir = v.prepare().get("cfg");
    configMaps.put("cfg", new ConfigMapBuilder().withData(Map.of("a", "2")).build());
    now = now.plusSeconds(2000);
    v.prepare();
    assertThat(dir.resolve("conf/a.txt")).hasContent("2");
    assertThat(tokenRequests).hasSize(1);
    now = now.plusSeconds(1000); // 3000 s of 3600: past 80%
    v.prepare();
    assertThat(tokenRequests).hasSize(2);
  }

  @Test
  void missingConfigMapOrUnboundClaimIsAContainerConfigError() {
    assertThatThrownBy(() -> volumes(pod("cfg")).prepare())
        .isInstanceOf(ContainerConfigException.class)
        .hasMessageContaining("configmap \"cfg\" not found");
    Pod unbound =
        new PodBuilder(pod())
            .editSpec()
            .addNewVolume()
            .withName("d")
            .withNewPersistentVolumeClaim()
            .withClaimName("other")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec()
            .build();
    assertThatThrownBy(() -> volumes(unbound).prepare()).hasMessageContaining("not bound yet");
  }

  @Test
  void subPathMayNotEscapeTheVolume() throws Exception {
    PodVolumes v = volumes(pod("scratch"));
    v.prepare();
    Container c =
        new ContainerBuilder()
            .withName("c")
            .addNewVolumeMount()
            .withName("scratch")
            .withMountPath("/x")
            .withSubPath("../../etc")
            .endVolumeMount()
            .build();
    assertThatThrownBy(() -> v.mapper(c, Map.of())).hasMessageContaining("..");
  }

  private final class MutableClock extends Clock {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
