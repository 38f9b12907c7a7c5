package io.dqlite.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks a short, unused state directory {@code <root>/<n>} for this JVM's control plane. Short
 * because the pods' app sockets are files under it and unix socket paths are limited (see {@link
 * LocalPaths#MAX_SOCKET_PATH}). A directory left by a JVM that died is reaped by {@code
 * LocalControlPlane.start()} (its owner.pid names a dead process) and skipped here.
 */
final class StateDirs {

  private static final int MAX = 99;

  private StateDirs() {}

  static Path claim(Path root) throws IOException {
    Files.createDirectories(root);
    for (int n = 1; n <= MAX; n++) {
      Path dir = root.resolve(Integer.toString(n));
      try {
        Files.createDirectory(dir);
        return dir;
      } catch (java.nio.file.FileAlreadyExistsException taken) {
        // another suite's (or a dead one's, reaped by the next start there)
      }
    }
    throw new IOException(
        "no free state directory "
            + root
            + "/1.."
            + MAX
            + ": remove stale ones (each holds an"
            + " owner.pid; `localkube/control-plane.sh down --wipe` with LOCALKUBE_DIR set to it)");
  }
}
