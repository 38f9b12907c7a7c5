package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Options of the dqlite engine that only libdqlite 1.18 has (Debian trixie's images); each is
 * passed to every sidecar as its flag's variable, and an unset field is not passed, so the
 * sidecar's engine-dependent default applies. On an image with libdqlite 1.11.1 a set field stops
 * the sidecar at start with an error naming the missing libdqlite call, which the pod's last
 * termination message shows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EngineSpec {

  @JsonPropertyDescription(
      "Keep each node's database in a file under its data volume instead of in memory (the WAL"
          + " stays in memory): less memory for large databases. Needs libdqlite 1.18; default"
          + " false.")
  private Boolean diskMode;

  @JsonPropertyDescription(
      "Let libdqlite delete raft files it finds corrupt at start (more starts succeed, possibly"
          + " losing entries). Needs libdqlite 1.18; unset: libdqlite's default (on).")
  private Boolean autoRecovery;

  @JsonPropertyDescription(
      "Compress raft snapshots (LZ4). Needs libdqlite 1.18; unset: the sidecar's default for the"
          + " engine it runs on.")
  private Boolean snapshotCompression;

  public Boolean getDiskMode() {
    return diskMode;
  }

  public void setDiskMode(Boolean diskMode) {
    this.diskMode = diskMode;
  }

  public Boolean getAutoRecovery() {
    return autoRecovery;
  }

  public void setAutoRecovery(Boolean autoRecovery) {
    this.autoRecovery = autoRecovery;
  }

  public Boolean getSnapshotCompression() {
    return snapshotCompression;
  }

  public void setSnapshotCompression(Boolean snapshotCompression) {
    this.snapshotCompression = snapshotCompression;
  }
}
