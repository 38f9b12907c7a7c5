package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * A scale-down in progress, written before the first member is drained so that the operator, after
 * a restart, knows which raft ids it set out to remove: an id absent from raft then means "already
 * removed" (never remove twice), and a pod whose id was removed must not be kept as it is if the
 * scale-down is cancelled (its data directory names a member raft no longer has).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScaleDownStatus {

  @JsonPropertyDescription("The replica count being scaled down to.")
  private Integer replicas;

  @JsonPropertyDescription("The members to remove, highest ordinal first.")
  private List<Removal> removals = new ArrayList<>();

  public ScaleDownStatus() {}

  public ScaleDownStatus(Integer replicas, List<Removal> removals) {
    this.replicas = replicas;
    this.removals = removals;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public List<Removal> getRemovals() {
    return removals;
  }

  public void setRemovals(List<Removal> removals) {
    this.removals = removals;
  }

  /** One member set to leave: the pod ordinal and the raft id it had when the plan was made. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Removal {

    @JsonPropertyDescription("Ordinal of the pod.")
    private Integer ordinal;

    @JsonPropertyDescription("Raft node id, 0x and lower-case hex.")
    private String id;

    @JsonPropertyDescription(
        "Set once the pod's volume was deleted so it rejoins as a new member; the entry goes"
            + " when it has.")
    private Boolean recycled;

    public Removal() {}

    public Removal(Integer ordinal, String id) {
      this.ordinal = ordinal;
      this.id = id;
    }

    public Integer getOrdinal() {
      return ordinal;
    }

    public void setOrdinal(Integer ordinal) {
      this.ordinal = ordinal;
    }

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public Boolean getRecycled() {
      return recycled;
    }

    public void setRecycled(Boolean recycled) {
      this.recycled = recycled;
    }
  }
}
