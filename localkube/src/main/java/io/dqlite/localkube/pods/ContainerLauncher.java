package io.dqlite.localkube.pods;

import io.dqlite.localkube.podspec.ContainerConfigException;
import io.dqlite.localkube.podspec.Expansion;
import io.dqlite.localkube.volumes.MountMapper;
import io.dqlite.localkube.volumes.PodVolumes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a container spec into a {@link Launch}: the image table gives the entrypoint, the
 * container's env is built and {@code $(VAR)}-expanded into the argv, and mount paths are rewritten
 * to host paths. Adds the simulation's own variables ({@code LOCALKUBE_POD_IP}, {@code
 * LOCALKUBE_POD_ROOT}), the hosts file for JVMs, and fabric8's in-cluster settings when the
 * service-account volume is mounted.
 */
public final class ContainerLauncher {
  static final String SA_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

  /** Variables a process inherits from the agent when the container does not set them. */
  private static final List<String> INHERITED =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME", "USER");

  private final ImageTable images;
  private final ContainerEnv envBuilder;

  public ContainerLauncher(ImageTable images, ContainerEnv envBuilder) {
    this.images = images;
    this.envBuilder = envBuilder;
  }

  Launch prepare(
      Pod pod, Container c, PodVolumes volumes, String podIp, String hostIp, Path hostsFile)
      throws ContainerConfigException {
    ImageTable.Image image =
        images
            .lookup(c.getImage())
            .orElseThrow(
                () ->
                    new ContainerConfigException(
                        "ErrImagePull",
                        "image "
                            + c.getImage()
                            + " is not in the"
                            + " image table "
                            + images.source()
                            + ": add it with the command that runs it"));
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : INHERITED) {
      String v = System.getenv(name);
      if (v != null) {
        env.put(name, v);
      }
    }
    env.putAll(image.env());
    Map<String, String> podEnv = envBuilder.build(pod, c, podIp, hostIp);
    env.putAll(podEnv);

    MountMapper mounts = volumes.mapper(c, env).withImageFiles(image.files());
    Path root;
    try {
      root = volumes.rootfs(c, mounts);
    } catch (IOException e) {
      throw new ContainerConfigException(
          "CreateContainerConfigError",
          "link the mounts of " + c.getName() + ": " + e.getMessage());
    }
    env.put("LOCALKUBE_POD_IP", podIp);
    env.put("LOCALKUBE_POD_ROOT", root.toString());
    String sa = mounts.map(SA_MOUNT);
    if (!sa.equals(SA_MOUNT)) {
      // fabric8 reads these before its fixed in-cluster paths, which do not exist here.
      env.putIfAbsent("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", sa + "/token");
      env.putIfAbsent("KUBERNETES_CERTS_CA_FILE", sa + "/ca.crt");
      env.putIfAbsent("KUBERNETES_NAMESPACE", pod.getMetadata().getNamespace());
    }
    // Cluster names for JVMs. The JDK's own name cache stays as a real node leaves it (answers
    // 30 s, unknown hosts 10 s): the sidecar sets its own (NameCache), and a harness that
    // shortened it for every JVM would hide that.
    String jvm = "-Djdk.net.hosts.file=" + hostsFile;
    env.merge("JAVA_TOOL_OPTIONS", jvm, (old, add) -> old + " " + add);

    // The image table's own command, args and env name this machine's files (the checkout, a
    // JDK): the pod's volumes must not rewrite them (a checkout under /tmp would land in the pod's
    // /tmp volume); only the image's files apply to them.
    MountMapper imageFiles = new MountMapper(Map.of()).withImageFiles(image.files());
    Map<String, String> finalEnv = new LinkedHashMap<>();
    env.forEach(
        (k, v) -> {
          boolean fromImage = image.env().containsKey(k) && !podEnv.containsKey(k);
          finalEnv.put(k, fromImage ? imageFiles.rewrite(v) : mounts.rewrite(v));
        });
    List<String> argv = new ArrayList<>();
    for (ImageTable.Arg a : ImageTable.commandParts(image, c)) {
      String expanded = Expansion.expand(a.value(), finalEnv);
      argv.add(a.fromImage() ? imageFiles.rewrite(expanded) : mounts.rewrite(expanded));
    }
    return new Launch(argv, finalEnv, workingDir(c, image, mounts, root), mounts);
  }

  private static File workingDir(Container c, ImageTable.Image image, MountMapper mounts, Path root)
      throws ContainerConfigException {
    String wd =
        c.getWorkingDir() != null && !c.getWorkingDir().isEmpty()
            ? c.getWorkingDir()
            : image.workingDir();
    if (wd == null || wd.isEmpty()) {
      return root.toFile();
    }
    Path p = Path.of(mounts.map(wd));
    if (!Files.isDirectory(p)) {
      throw new ContainerConfigException(
          "CreateContainerConfigError",
          "working directory "
              + wd
              + (p.toString().equals(wd) ? "" : " (" + p + ")")
              + " does not exist on this machine:"
              + " mount a volume there or fix workingDir in the image table");
    }
    return p.toFile();
  }
}
