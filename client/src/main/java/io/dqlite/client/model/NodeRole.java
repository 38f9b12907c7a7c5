package io.dqlite.client.model;

/**
 * The role of a node in the raft configuration, with the code dqlite uses on the wire and in
 * go-dqlite's YAML files ({@code Role: 0|1|2}).
 */
public enum NodeRole {
  /** Votes in elections and replicates every entry; can become leader. */
  VOTER(0),
  /** Replicates every entry but does not vote; the first choice to replace a voter. */
  STANDBY(1),
  /** Member of the configuration that neither votes nor replicates. */
  SPARE(2);

  private final int code;

  NodeRole(int code) {
    this.code = code;
  }

  /** The protocol code: 0 voter, 1 stand-by, 2 spare. */
  public int code() {
    return code;
  }

  /**
   * The role for a protocol code.
   *
   * @throws IllegalArgumentException for a code dqlite does not define
   */
  public static NodeRole fromCode(long code) {
    for (NodeRole role : values()) {
      if (role.code == code) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "unknown node role code " + code + " (expected 0 voter, 1 stand-by or 2 spare)");
  }

  /** The name go-dqlite prints for this role ({@code voter}, {@code stand-by}, {@code spare}). */
  @Override
  public String toString() {
    return switch (this) {
      case VOTER -> "voter";
      case STANDBY -> "stand-by";
      case SPARE -> "spare";
    };
  }
}
