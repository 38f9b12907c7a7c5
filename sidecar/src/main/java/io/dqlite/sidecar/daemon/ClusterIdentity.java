package io.dqlite.sidecar.daemon;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which cluster a node belongs to, and whether it may found one: {@code --cluster-id} and {@code
 * --cluster-exists}. The id is written into the data directory ({@value #FILE}) on the first start
 * and compared on every later one, so a volume of one cluster never starts in another cluster of
 * the same name; {@code --cluster-exists} says the cluster already exists (the operator found its
 * volumes), so a node with an empty directory must join it, never bootstrap a second one.
 *
 * @param clusterId the identity the node is told, empty when none is given (no check is made)
 * @param bootstrapAllowed false with {@code --cluster-exists}
 */
public record ClusterIdentity(Optional<String> clusterId, boolean bootstrapAllowed) {

  /** The file in the data directory holding the cluster id, one line. */
  public static final String FILE = "cluster-id";

  /** What an id may be: a label value (the operator labels the claims with it), e.g. a UUID. */
  private static final Pattern ID =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

  public ClusterIdentity {
    Objects.requireNonNull(clusterId, "clusterId");
    clusterId.ifPresent(
        id -> {
          if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                "--cluster-id "
                    + id
                    + ": expected 1 to 63 letters, digits, '.', '_' or '-', starting and ending"
                    + " with a letter or digit (a label value)");
          }
        });
  }

  /** No id, bootstrap allowed: go-dqlite's behaviour. */
  public static ClusterIdentity none() {
    return new ClusterIdentity(Optional.empty(), true);
  }

  /** What to do before the node starts. */
  public sealed interface Check {}

  /** Start; write {@code write} into the directory first when present. */
  public record Proceed(Optional<String> write) implements Check {}

  /** Do not start: {@code message} says why and how to fix it. */
  public record Refuse(String message) implements Check {}

  /**
   * Decides, from what the directory holds and what the node is told. Pure.
   *
   * @param dir the data directory (named in messages)
   * @param kind the join plan's decision
   * @param recorded the id in the directory's {@value #FILE}, if any
   */
  public Check check(Path dir, JoinPlan.Kind kind, Optional<String> recorded) {
    if (recorded.isPresent() && clusterId.isPresent() && !recorded.equals(clusterId)) {
      return new Refuse(
          "data directory "
              + dir
              + " belongs to cluster "
              + recorded.get()
              + ", but this node was started for cluster "
              + clusterId.get()
              + " (--cluster-id): its data is another cluster's (a volume left by an earlier"
              + " cluster of the same name). Delete this volume to join as a new node, or, if"
              + " this data is the one to keep, start every node with --cluster-id "
              + recorded.get()
              + " (under the operator: spec.recovery.clusterId: "
              + recorded.get()
              + "; docs/operator.md, Recovery)");
    }
    if (kind == JoinPlan.Kind.BOOTSTRAP && !bootstrapAllowed) {
      return new Refuse(
          "data directory "
              + dir
              + " holds no node (no info.yaml) and no other node is left to join through, but"
              + " cluster "
              + clusterId.orElse("(no --cluster-id)")
              + " already exists (--cluster-exists): refusing to bootstrap a second cluster"
              + " under the same name. Restore this volume, or start the nodes that hold the"
              + " cluster's data so that this node joins them; to give the old data up, delete"
              + " its volumes (under the operator: every PersistentVolumeClaim data-<name>-N;"
              + " docs/operator.md, Recovery)");
    }
    if (clusterId.isPresent() && recorded.isEmpty()) {
      return new Proceed(clusterId);
    }
    return new Proceed(Optional.empty());
  }
}
