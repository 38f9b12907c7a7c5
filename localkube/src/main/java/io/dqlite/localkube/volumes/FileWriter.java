package io.dqlite.localkube.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a volume's files: each file is replaced atomically (write beside, then rename) and only
 * when its content changed, so a reader never sees half a file; files no longer wanted are removed.
 */
final class FileWriter {
  private FileWriter() {}

  static void sync(Path dir, Map<String, PodVolumes.FileContent> files) throws IOException {
    Files.createDirectories(dir);
    Set<Path> wanted = new HashSet<>();
    for (Map.Entry<String, PodVolumes.FileContent> e : files.entrySet()) {
      Path target = dir.resolve(e.getKey()).normalize();
      if (!target.startsWith(dir) || e.getKey().startsWith("/")) {
        throw new IOException("path " + e.getKey() + " escapes the volume");
      }
      wanted.add(target);
      Files.createDirectories(target.getParent());
      byte[] bytes = e.getValue().bytes();
      if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
        Files.setPosixFilePermissions(target, permissions(e.getValue().mode()));
        continue;
      }
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.write(tmp, bytes);
      Files.setPosixFilePermissions(tmp, permissions(e.getValue().mode()));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).collect(Collectors.toList())) {
        if (!wanted.contains(p)) {
          Files.delete(p);
        }
      }
    }
  }

  /** Unix mode bits → permissions; the owner may always read and write (we are the owner). */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        p.add(bits[i]);
      }
    }
    return p;
  }
}
