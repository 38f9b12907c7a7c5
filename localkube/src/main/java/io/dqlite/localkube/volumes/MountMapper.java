package io.dqlite.localkube.volumes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulation boundary for volumes: a process cannot be given a mount namespace, so a
 * container's mount paths are translated to the host directories that hold the volumes. Every
 * {@code /mount/path} (or a path below it) found in the command line and the env values is
 * rewritten: as a whole word, after {@code =}, and inside {@code :}- or {@code ,}-separated lists.
 * A path the application builds at run time from a constant is not seen; such applications read
 * {@code LOCALKUBE_POD_ROOT}, under which every mount path exists as a symbolic link.
 */
public final class MountMapper {
  private static final Pattern PIECES = Pattern.compile("[^=:,\\s]+|[=:,\\s]+");

  /** Mount paths, longest first so that nested mounts win. */
  private final List<Map.Entry<String, Path>> mounts;

  /** {@code mounts}: container mount path → host directory (or file, for subPath mounts). */
  public MountMapper(Map<String, Path> mounts) {
    List<Map.Entry<String, Path>> list = new ArrayList<>();
    for (Map.Entry<String, Path> e : mounts.entrySet()) {
      String p = normalise(e.getKey());
      if (p.equals("/")) {
        throw new IllegalArgumentException(
            "a volume cannot be mounted at / in the process"
                + " simulation: choose a mount path below it");
      }
      list.add(Map.entry(p, e.getValue()));
    }
    list.sort(
        Comparator.comparingInt((Map.Entry<String, Path> e) -> e.getKey().length()).reversed());
    this.mounts = List.copyOf(list);
  }

  /**
   * This mapper plus an image's own files (container path → host path). A volume mounted over an
   * image path hides it, as in a container, so files under a mount path are left out.
   */
  public MountMapper withImageFiles(Map<String, String> files) {
    Map<String, Path> all = new LinkedHashMap<>(mounts());
    for (Map.Entry<String, String> f : files.entrySet()) {
      String path = normalise(f.getKey());
      if (map(path).equals(path)) {
        all.put(path, Path.of(f.getValue()));
      }
    }
    return new MountMapper(all);
  }

  /** The host path for a container path; paths under no mount are returned unchanged. */
  public String map(String containerPath) {
    if (containerPath == null || !containerPath.startsWith("/")) {
      return containerPath;
    }
    for (Map.Entry<String, Path> m : mounts) {
      String mount = m.getKey();
      if (containerPath.equals(mount) || containerPath.equals(mount + "/")) {
        return m.getValue().toString() + containerPath.substring(mount.length());
      }
      if (containerPath.startsWith(mount + "/")) {
        return m.getValue().resolve(containerPath.substring(mount.length() + 1)).toString();
      }
    }
    return containerPath;
  }

  /** {@code arg} with every container path under a mount replaced by its host path. */
  public String rewrite(String arg) {
    if (arg == null || arg.indexOf('/') < 0 || mounts.isEmpty()) {
      return arg;
    }
    StringBuilder out = new StringBuilder(arg.length());
    Matcher m = PIECES.matcher(arg);
    while (m.find()) {
      out.append(map(m.group()));
    }
    return out.toString();
  }

  /** Every element of {@code args} rewritten. */
  public List<String> rewrite(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    for (String a : args) {
      out.add(rewrite(a));
    }
    return out;
  }

  /** The mounts, container path → host path, longest path first. */
  public Map<String, Path> mounts() {
    Map<String, Path> out = new LinkedHashMap<>();
    mounts.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static String normalise(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("mount path must be absolute: " + path);
    }
    String p = path.replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
