package io.dqlite.localkube.volumes;

import io.dqlite.localkube.podspec.ContainerConfigException;
import io.dqlite.localkube.podspec.DownwardApi;
import io.dqlite.localkube.podspec.Expansion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's volumes as host directories under {@code podDir/volumes/<name>}: emptyDir, configMap,
 * secret, downwardAPI, projected (service-account token, ConfigMap, Secret, downward API),
 * persistentVolumeClaim (the bound PV's directory, which outlives the pod) and hostPath (itself).
 * {@link #prepare()} writes them and can be called again to refresh their content; tokens are
 * renewed at 80% of their lifetime, like the kubelet does.
 */
public final class PodVolumes {
  private Pod pod;
  private final Path podDir;
  private final VolumeSources api;
  private final String podIp;
  private final String hostIp;
  private final Clock clock;
  private final Map<String, Path> prepared = new LinkedHashMap<>();
  private final Map<String, Instant> tokenRenewal = new HashMap<>();
  private final Map<String, String> tokens = new HashMap<>();

  public PodVolumes(
      Pod pod, Path podDir, VolumeSources api, String podIp, String hostIp, Clock clock) {
    this.pod = pod;
    this.podDir = podDir;
    this.api = api;
    this.podIp = podIp;
    this.hostIp = hostIp;
    this.clock = clock;
  }

  /** A newer version of the pod (same UID): the next {@link #prepare()} renders its fields. */
  public synchronized void update(Pod newer) {
    this.pod = newer;
  }

  /** Writes (or refreshes) every volume; returns volume name → host directory. */
  public synchronized Map<String, Path> prepare() throws ContainerConfigException {
    List<Volume> volumes = pod.getSpec().getVolumes();
    if (volumes != null) {
      for (Volume v : volumes) {
        prepared.put(v.getName(), prepare(v));
      }
    }
    return Map.copyOf(prepared);
  }

  private Path prepare(Volume v) throws ContainerConfigException {
    Path dir = podDir.resolve("volumes").resolve(v.getName());
    String ns = pod.getMetadata().getNamespace();
    try {
      if (v.getEmptyDir() != null) {
        Files.createDirectories(dir);
        return dir;
      }
      if (v.getHostPath() != null) {
        Path host = Path.of(v.getHostPath().getPath());
        String type = v.getHostPath().getType();
        if ("DirectoryOrCreate".equals(type)) {
          Files.createDirectories(host);
        } else if (!Files.exists(host) && type != null && !type.isEmpty()) {
          throw new ContainerConfigException(
              "CreateContainerConfigError",
              "hostPath " + host + " (type " + type + ") does not exist");
        }
        return host;
      }
      if (v.getPersistentVolumeClaim() != null) {
        String claim = v.getPersistentVolumeClaim().getClaimName();
        Path claimDir =
            api.claimDirectory(ns, claim)
                .orElseThrow(
                    () ->
                        new ContainerConfigException(
                            "ContainerCreating",
                            "PersistentVolumeClaim " + ns + "/" + claim + " is not bound yet"));
        Files.createDirectories(claimDir);
        return claimDir;
      }
      Map<String, FileContent> files = new LinkedHashMap<>();
      if (v.getConfigMap() != null) {
        var src = v.getConfigMap();
        Optional<ConfigMap> cm = api.configMap(ns, src.getName());
        if (cm.isEmpty() && !Boolean.TRUE.equals(src.getOptional())) {
          throw notFound("configmap", ns, src.getName());
        }
        cm.ifPresent(
            c ->
                addKeys(
                    files,
                    strings(c.getData()),
                    c.getBinaryData(),
                    src.getItems(),
                    src.getDefaultMode()));
      } else if (v.getSecret() != null) {
        var src = v.getSecret();
        Optional<Secret> s = api.secret(ns, src.getSecretName());
        if (s.isEmpty() && !Boolean.TRUE.equals(src.getOptional())) {
          throw notFound("secret", ns, src.getSecretName());
        }
        s.ifPresent(
            x ->
                addKeys(files, DownwardApi.decoded(x), null, src.getItems(), src.getDefaultMode()));
      } else if (v.getDownwardAPI() != null) {
        addDownward(files, v.getDownwardAPI().getItems(), v.getDownwardAPI().getDefaultMode());
      } else if (v.getProjected() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) {
          addProjection(files, v.getName(), p, v.getProjected().getDefaultMode());
        }
      } else {
        throw new ContainerConfigException(
            "CreateContainerConfigError",
            "volume "
                + v.getName()
                + ": this volume type is not simulated (supported: emptyDir, configMap, secret,"
                + " downwardAPI, projected, persistentVolumeClaim, hostPath)");
      }
      FileWriter.sync(dir, files);
      return dir;
    } catch (IOException e) {
      throw new ContainerConfigException(
          "CreateContainerConfigError", "volume " + v.getName() + ": " + e.getMessage());
    }
  }

  private void addProjection(
      Map<String, FileContent> files, String volume, VolumeProjection p, Integer mode)
      throws ContainerConfigException {
    String ns = pod.getMetadata().getNamespace();
    if (p.getConfigMap() != null) {
      var src = p.getConfigMap();
      Optional<ConfigMap> cm = api.configMap(ns, src.getName());
      if (cm.isEmpty() && !Boolean.TRUE.equals(src.getOptional())) {
        throw notFound("configmap", ns, src.getName());
      }
      cm.ifPresent(
          c -> addKeys(files, strings(c.getData()), c.getBinaryData(), src.getItems(), mode));
    } else if (p.getSecret() != null) {
      var src = p.getSecret();
      Optional<Secret> s = api.secret(ns, src.getName());
      if (s.isEmpty() && !Boolean.TRUE.equals(src.getOptional())) {
        throw notFound("secret", ns, src.getName());
      }
      s.ifPresent(x -> addKeys(files, DownwardApi.decoded(x), null, src.getItems(), mode));
    } else if (p.getDownwardAPI() != null) {
      addDownward(files, p.getDownwardAPI().getItems(), mode);
    } else if (p.getServiceAccountToken() != null) {
      ServiceAccountTokenProjection t = p.getServiceAccountToken();
      String key = volume + "/" + t.getPath();
      Instant renewAt = tokenRenewal.get(key);
      if (renewAt == null || !clock.instant().isBefore(renewAt)) {
        long seconds = t.getExpirationSeconds() == null ? 3600 : t.getExpirationSeconds();
        VolumeSources.Token token =
            api.token(
                ns,
                serviceAccount(),
                t.getAudience(),
                seconds,
                pod.getMetadata().getName(),
                pod.getMetadata().getUid());
        Duration life = Duration.between(clock.instant(), token.expiry());
        tokenRenewal.put(key, clock.instant().plus(life.multipliedBy(8).dividedBy(10)));
        tokens.put(key, token.token());
      }
      files.put(
          t.getPath(),
          new FileContent(
              tokens.get(key).getBytes(StandardCharsets.UTF_8), mode == null ? 0644 : mode));
    } else {
      throw new ContainerConfigException(
          "CreateContainerConfigError", "volume " + volume + ": unsupported projection " + p);
    }
  }

  private void addDownward(
      Map<String, FileContent> files, List<DownwardAPIVolumeFile> items, Integer defaultMode)
      throws ContainerConfigException {
    if (items == null) {
      return;
    }
    for (DownwardAPIVolumeFile item : items) {
      String value;
      if (item.getFieldRef() != null) {
        value = DownwardApi.field(pod, item.getFieldRef().getFieldPath(), podIp, hostIp);
      } else {
        Container c =
            pod.getSpec().getContainers().stream()
                .filter(x -> x.getName().equals(item.getResourceFieldRef().getContainerName()))
                .findFirst()
                .orElse(pod.getSpec().getContainers().get(0));
        value = DownwardApi.resource(c, item.getResourceFieldRef());
      }
      files.put(
          item.getPath(),
          new FileContent(
              value.getBytes(StandardCharsets.UTF_8), modeOf(item.getMode(), defaultMode)));
    }
  }

  private static void addKeys(
      Map<String, FileContent> files,
      Map<String, String> data,
      Map<String, String> binary,
      List<KeyToPath> items,
      Integer defaultMode) {
    Map<String, byte[]> all = new LinkedHashMap<>();
    if (data != null) {
      data.forEach((k, v) -> all.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (binary != null) {
      binary.forEach((k, v) -> all.put(k, java.util.Base64.getDecoder().decode(v)));
    }
    if (items == null || items.isEmpty()) {
      all.forEach((k, v) -> files.put(k, new FileContent(v, modeOf(null, defaultMode))));
    } else {
      for (KeyToPath item : items) {
        byte[] v = all.get(item.getKey());
        if (v != null) {
          files.put(item.getPath(), new FileContent(v, modeOf(item.getMode(), defaultMode)));
        }
      }
    }
  }

  /**
   * The mapping of one container's mount paths to host paths ({@code subPath} and {@code
   * subPathExpr} resolved against the container's env); call after {@link #prepare()}.
   */
  public synchronized MountMapper mapper(Container c, Map<String, String> env)
      throws ContainerConfigException {
    Map<String, Path> mounts = new LinkedHashMap<>();
    if (c.getVolumeMounts() != null) {
      for (VolumeMount m : c.getVolumeMounts()) {
        Path base = prepared.get(m.getName());
        if (base == null) {
          throw new ContainerConfigException(
              "CreateContainerConfigError",
              "volumeMount " + m.getName() + " of container " + c.getName() + ": no such volume");
        }
        String sub =
            m.getSubPathExpr() != null ? Expansion.expand(m.getSubPathExpr(), env) : m.getSubPath();
        Path host = base;
        if (sub != null && !sub.isEmpty()) {
          if (sub.startsWith("/") || sub.contains("..")) {
            throw new ContainerConfigException(
                "CreateContainerConfigError",
                "subPath " + sub + " must be relative and must not contain '..'");
          }
          host = base.resolve(sub);
          try {
            if (!Files.exists(host)) {
              Files.createDirectories(host);
            }
          } catch (IOException e) {
            throw new ContainerConfigException(
                "CreateContainerConfigError", "subPath " + host + ": " + e.getMessage());
          }
        }
        mounts.put(m.getMountPath(), host);
      }
    }
    try {
      return new MountMapper(mounts);
    } catch (IllegalArgumentException e) {
      throw new ContainerConfigException("CreateContainerConfigError", e.getMessage());
    }
  }

  /**
   * Links every mount path of a container under {@code podDir/rootfs/<container>}, the directory
   * passed as {@code LOCALKUBE_POD_ROOT}: {@code $LOCALKUBE_POD_ROOT/var/lib/x} is the volume
   * mounted at {@code /var/lib/x}.
   */
  public Path rootfs(Container c, MountMapper mapper) throws IOException {
    Path root = podDir.resolve("rootfs").resolve(c.getName());
    Files.createDirectories(root);
    for (Map.Entry<String, Path> m : mapper.mounts().entrySet()) {
      Path link = root.resolve(m.getKey().substring(1));
      Files.createDirectories(link.getParent());
      if (Files.isSymbolicLink(link)) {
        Files.delete(link);
      }
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, m.getValue());
      }
    }
    return root;
  }

  private String serviceAccount() {
    String sa = pod.getSpec().getServiceAccountName();
    return sa == null || sa.isEmpty() ? "default" : sa;
  }

  private static int modeOf(Integer mode, Integer defaultMode) {
    return mode != null ? mode : defaultMode != null ? defaultMode : 0644;
  }

  private static Map<String, String> strings(Map<String, String> data) {
    return data == null ? Map.of() : data;
  }

  private static ContainerConfigException notFound(String kind, String ns, String name) {
    return new ContainerConfigException(
        "CreateContainerConfigError", kind + " \"" + name + "\" not found in namespace " + ns);
  }

  /** File bytes and permission bits. */
  record FileContent(byte[] bytes, int mode) {}
}
