package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Raft tuning passed to every sidecar. An unset field is not passed, so the sidecar's (and
 * libdqlite's) default applies, as in go-dqlite where zero values are not handed to C.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.snapshotThreshold) || !has(self.snapshotTrailing)"
            + " || self.snapshotTrailing >= self.snapshotThreshold",
    message =
        "raft: snapshotTrailing must be at least snapshotThreshold (libdqlite keeps no fewer"
            + " entries than it snapshots); set one alone and the other follows it")
public class RaftSpec {

  /** A duration as the sidecar parses it: a whole number and one unit. */
  public static final String DURATION_PATTERN = "^[0-9]+(ms|s|m|h)$";

  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription(
      "How often the leader re-balances roles, e.g. 30s (the sidecar's default).")
  private String rolesAdjustmentFrequency;

  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription(
      "Typical round-trip time between nodes, e.g. 20ms; raft timeouts are scaled from it.")
  private String networkLatency;

  @Min(1)
  @JsonPropertyDescription("Raft log entries after which a snapshot is taken.")
  private Long snapshotThreshold;

  @Min(0)
  @JsonPropertyDescription("Raft log entries kept after a snapshot.")
  private Long snapshotTrailing;

  public String getRolesAdjustmentFrequency() {
    return rolesAdjustmentFrequency;
  }

  public void setRolesAdjustmentFrequency(String rolesAdjustmentFrequency) {
    this.rolesAdjustmentFrequency = rolesAdjustmentFrequency;
  }

  public String getNetworkLatency() {
    return networkLatency;
  }

  public void setNetworkLatency(String networkLatency) {
    this.networkLatency = networkLatency;
  }

  public Long getSnapshotThreshold() {
    return snapshotThreshold;
  }

  public void setSnapshotThreshold(Long snapshotThreshold) {
    this.snapshotThreshold = snapshotThreshold;
  }

  public Long getSnapshotTrailing() {
    return snapshotTrailing;
  }

  public void setSnapshotTrailing(Long snapshotTrailing) {
    this.snapshotTrailing = snapshotTrailing;
  }
}
