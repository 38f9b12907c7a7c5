package io.dqlite.sidecar.app;

import io.dqlite.client.leader.YamlNodeStore;
import io.dqlite.client.model.NodeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The App's files in its directory, in go-dqlite's formats (app/files.go, v1.11.9), so that a
 * directory written by go-dqlite's App (e.g. {@code dqlite-demo}) opens here and the other way
 * round:
 *
 * <ul>
 *   <li>{@code info.yaml}: this node, {@code ID} (unsigned decimal), {@code Address}, {@code Role};
 *   <li>{@code cluster.yaml}: the members as last seen ({@link YamlNodeStore});
 *   <li>{@code join}: an empty flag file, present from a joiner's first start until it was added.
 * </ul>
 *
 * Files are replaced atomically with mode 0600, as go-dqlite's renameio does.
 */
final class AppFiles {

  static final String INFO = "info.yaml";
  static final String STORE = "cluster.yaml";
  static final String JOIN = "join";

  private AppFiles() {}

  static boolean exists(Path dir, String file) {
    return Files.exists(dir.resolve(file));
  }

  static NodeInfo readInfo(Path dir) throws IOException {
    return YamlNodeStore.readNode(dir.resolve(INFO));
  }

  static void writeInfo(Path dir, NodeInfo info) throws IOException {
    YamlNodeStore.writeAtomically(dir.resolve(INFO), YamlNodeStore.formatNode(info));
  }

  /** Creates the empty join flag file. */
  static void writeJoin(Path dir) throws IOException {
    YamlNodeStore.writeAtomically(dir.resolve(JOIN), "");
  }

  /** cluster.yaml; the file need not exist yet. */
  static YamlNodeStore store(Path dir) throws IOException {
    return YamlNodeStore.open(dir.resolve(STORE));
  }

  /** Removes a file; a missing file is not an error. */
  static void remove(Path dir, String file) throws IOException {
    Files.deleteIfExists(dir.resolve(file));
  }

  /** Removes a file while undoing a failed start: never throws. */
  static void removeQuietly(Path dir, String file) {
    try {
      remove(dir, file);
    } catch (IOException ignored) {
      // Undoing is best effort; the start error is what the caller sees.
    }
  }
}
