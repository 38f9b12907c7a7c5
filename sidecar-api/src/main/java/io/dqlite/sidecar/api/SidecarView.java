package io.dqlite.sidecar.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dqlite.client.model.NodeRole;
import java.util.List;
import java.util.Locale;

/**
 * One sidecar's answer to {@code GET /cluster} on its admin port: the raft configuration as the
 * leader reported it, every member probed by the sidecar, and what the sidecar says about itself.
 * The sidecar writes this record and the operator and the tests read it ({@link AdminJson}), so a
 * field renamed on one side is renamed on the other. Unknown fields are ignored so that a newer
 * sidecar does not break an older operator.
 *
 * <p>The sidecar answers 200 with a leader, or 503 with {@code error} set and no leader (then
 * {@code members} is empty); both bodies parse into this record.
 *
 * @param self the answering node
 * @param leader the leader it found, or null
 * @param members every member of the configuration (empty when {@code error} is set)
 * @param observedAt when the sidecar took the view (ISO-8601)
 * @param error why the view is incomplete, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SidecarView(
    Self self,
    NodeRef leader,
    List<MemberView> members,
    String observedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

  public SidecarView {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** Whether the view names a leader and lists the configuration. */
  public boolean namesLeader() {
    return error == null
        && leader != null
        && leader.id() != null
        && leader.id().matches("0x[0-9a-fA-F]{1,16}")
        && leader.address() != null
        && !members.isEmpty();
  }

  /**
   * The answering node.
   *
   * @param id raft id, 0x-hex
   * @param address its raft address
   * @param role its role as the leader lists it; null while it is not a member yet
   * @param zone the zone it derived its failure domain from, or null
   * @param zoneSource where the zone came from (e.g. {@code downward}, {@code node}, {@code none})
   * @param failureDomain its failure domain
   * @param ready its readiness verdict
   * @param leader whether it is the leader
   * @param engine the libdqlite under it; absent from sidecars that predate it
   * @param raftLog where its raft log ends on disk, read when the view was taken; absent from
   *     sidecars that predate it
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Self(
      String id,
      String address,
      String role,
      String zone,
      String zoneSource,
      Long failureDomain,
      Boolean ready,
      Boolean leader,
      @JsonInclude(JsonInclude.Include.NON_NULL) Engine engine,
      @JsonInclude(JsonInclude.Include.NON_NULL) RaftLog raftLog) {

    /** Without the raft log position, as sidecars that predate it answer. */
    public Self(
        String id,
        String address,
        String role,
        String zone,
        String zoneSource,
        Long failureDomain,
        Boolean ready,
        Boolean leader,
        Engine engine) {
      this(id, address, role, zone, zoneSource, failureDomain, ready, leader, engine, null);
    }

    /** Without the engine, as sidecars that predate it answer. */
    public Self(
        String id,
        String address,
        String role,
        String zone,
        String zoneSource,
        Long failureDomain,
        Boolean ready,
        Boolean leader) {
      this(id, address, role, zone, zoneSource, failureDomain, ready, leader, null, null);
    }
  }

  /**
   * Where a node's raft log ends on its disk, read from its data directory by its own sidecar (no
   * libdqlite call tells it for a running node): closed segments by name, open segments batch by
   * batch up to the first one that is not whole, snapshots by name. A lower bound: an entry counts
   * once it is written whole. The operator compares a restarted member's with the leader's before
   * the next pod of a rolling update restarts (docs/operator.md, "Caught up").
   *
   * @param lastIndex the last raft index on disk; null when the directory could not be read
   * @param error why it could not be read, or null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RaftLog(Long lastIndex, @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

    public static RaftLog at(long lastIndex) {
      return new RaftLog(lastIndex, null);
    }

    public static RaftLog unreadable(String error) {
      return new RaftLog(null, error);
    }
  }

  /**
   * The engine under a node.
   *
   * @param version libdqlite's version as it reports it (1.11.1 says 1.10.0, 1.18.1 says 1.18.0)
   * @param library the library file loaded, where known
   * @param exports the optional calls it exports (disk mode, describe_last_entry, ...)
   * @param diskMode whether the database is kept on disk
   * @param autoRecovery the option as set; null = libdqlite's default
   * @param snapshotCompression the option as set; null = libdqlite's default
   * @param lastEntryAtStart the last raft entry found on disk before the node started; null where
   *     libdqlite cannot tell (1.11.1)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Engine(
      String version,
      String library,
      List<String> exports,
      boolean diskMode,
      Boolean autoRecovery,
      Boolean snapshotCompression,
      LastEntry lastEntryAtStart) {}

  /** A raft log position. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LastEntry(long index, long term) {}

  /** A node named by id and address. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NodeRef(String id, String address) {}

  /**
   * A member as the sidecar saw it.
   *
   * @param id raft id, 0x-hex
   * @param address raft address
   * @param role {@code voter}, {@code standby} or {@code spare}
   * @param online whether it answered the sidecar's describe probe (2 s)
   * @param failureDomain what it reported, 0 when it did not answer
   * @param weight what it reported, 0 when it did not answer
   * @param zone set only on the answering node's own entry
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MemberView(
      String id,
      String address,
      String role,
      Boolean online,
      Long failureDomain,
      Long weight,
      @JsonInclude(JsonInclude.Include.NON_NULL) String zone) {}

  /**
   * The role for a name as the sidecar ({@code standby}) or go-dqlite ({@code stand-by}) prints it.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static NodeRole role(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "voter" -> NodeRole.VOTER;
      case "standby", "stand-by" -> NodeRole.STANDBY;
      case "spare" -> NodeRole.SPARE;
      default ->
          throw new IllegalArgumentException(
              "unknown role " + name + " (expected voter, standby or spare)");
    };
  }
}
