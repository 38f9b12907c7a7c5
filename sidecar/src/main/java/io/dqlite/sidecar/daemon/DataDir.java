package io.dqlite.sidecar.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one check of the data directory the App does not make: raft's files without {@code
 * info.yaml}. The App would take such a directory for a new node, write a new identity and join (or
 * bootstrap) next to a raft log written under another id: a node whose log and configuration
 * contradict its identity. A lost or deleted {@code info.yaml} is an operator's mistake to repair,
 * not something to start through.
 */
final class DataDir {

  /**
   * The files libraft's uv backend writes: {@code metadata1}/{@code metadata2}, closed segments
   * ({@code 0000000000000001-0000000000000002}), open segments ({@code open-1}), snapshots ({@code
   * snapshot-1-2-3} and its {@code .meta}).
   */
  private static final Pattern RAFT_FILE =
      Pattern.compile("metadata[12]|\\d{16}-\\d{16}|open-\\d+|snapshot-\\d+-\\d+-\\d+(\\.meta)?");

  private DataDir() {}

  /** The names among {@code names} that are raft's files, sorted. */
  static List<String> raftFiles(Collection<String> names) {
    return names.stream().filter(n -> RAFT_FILE.matcher(n).matches()).sorted().toList();
  }

  /**
   * Refuses a directory that holds raft files but no {@code info.yaml}.
   *
   * @throws IOException naming the directory, the files, and the two ways out
   */
  static void requireIdentityWithRaftData(Path dir) throws IOException {
    if (!Files.isDirectory(dir) || Files.exists(dir.resolve("info.yaml"))) {
      return;
    }
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names = files.map(p -> p.getFileName().toString()).toList();
    }
    List<String> raft = raftFiles(names);
    if (raft.isEmpty()) {
      return;
    }
    String shown =
        String.join(", ", raft.subList(0, Math.min(4, raft.size())))
            + (raft.size() > 4 ? " and " + (raft.size() - 4) + " more" : "");
    throw new IOException(
        "data directory "
            + dir
            + " holds raft data ("
            + shown
            + ") but no info.yaml, the node's identity: starting would make a new node over"
            + " another node's raft log. Restore info.yaml (and cluster.yaml) from a backup of this"
            + " directory to restart the node as itself, or empty the directory to join as a new"
            + " node (the old member is then removed: by the operator when it replaces it, else by"
            + " hand with `.remove` in the dqlite shell)");
  }

  /**
   * The cluster id recorded in the directory ({@link ClusterIdentity#FILE}), if any.
   *
   * @throws IOException when the file exists but cannot be read, or is empty
   */
  static Optional<String> readClusterId(Path dir) throws IOException {
    Path file = dir.resolve(ClusterIdentity.FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String id = Files.readString(file).strip();
    if (id.isEmpty()) {
      throw new IOException(
          file
              + " is empty: write the cluster's id into it (the --cluster-id the other nodes"
              + " were started with), or delete it to take the id given now");
    }
    return Optional.of(id);
  }

  /** Records {@code id} in the directory, replacing the file atomically. */
  static void writeClusterId(Path dir, String id) throws IOException {
    Files.createDirectories(dir);
    io.dqlite.client.leader.YamlNodeStore.writeAtomically(
        dir.resolve(ClusterIdentity.FILE), id + "\n");
  }
}
