package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * The StatefulSet's persistentVolumeClaimRetentionPolicy.
 *
 * <p>{@code whenScaled} defaults to Delete: a node scaled away has been removed from raft, so its
 * data is of no further use, and a volume kept for a later scale-up would bring back a node whose
 * {@code info.yaml} names a member the cluster no longer has (it would not rejoin). {@code
 * whenDeleted} defaults to Retain, so deleting the resource by mistake loses no data.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetentionSpec {

  @Default("Delete")
  @JsonPropertyDescription(
      "Volumes of pods removed by a scale-down: Delete (default; the node has left raft) or"
          + " Retain.")
  private RetentionPolicy whenScaled = RetentionPolicy.DELETE;

  @Default("Retain")
  @JsonPropertyDescription("Volumes when the DqliteCluster is deleted: Retain (default) or Delete.")
  private RetentionPolicy whenDeleted = RetentionPolicy.RETAIN;

  public RetentionPolicy getWhenScaled() {
    return whenScaled;
  }

  public void setWhenScaled(RetentionPolicy whenScaled) {
    this.whenScaled = whenScaled;
  }

  public RetentionPolicy getWhenDeleted() {
    return whenDeleted;
  }

  public void setWhenDeleted(RetentionPolicy whenDeleted) {
    this.whenDeleted = whenDeleted;
  }
}
