package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator last observed, and the bookkeeping that lets it resume after a restart.
 *
 * <p>Condition types are in {@link ConditionTypes}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DqliteClusterStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @StatusReplicas
  @JsonPropertyDescription("Pods of the StatefulSet.")
  private Integer replicas;

  @JsonPropertyDescription("Pods passing their readiness probe.")
  private Integer readyReplicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the pods, for the scale subresource.")
  private String selector;

  @JsonPropertyDescription(
      "The pod (or, for a node outside this cluster's pods, the address) of the raft leader.")
  private String leader;

  @JsonPropertyDescription("Voters in the raft configuration that are online.")
  private Integer voters;

  @JsonPropertyDescription(
      "True once a leader has been seen: from then on no pod may bootstrap a new cluster, pod 0"
          + " included; a pod that lost its volume joins instead.")
  private Boolean bootstrapped;

  @JsonPropertyDescription(
      "The cluster's identity, recorded before the first pod starts; see docs/operator.md,"
          + " Recovery.")
  private ClusterIdentityStatus identity;

  @JsonPropertyDescription("The raft configuration as the leader reported it.")
  private List<MemberStatus> members = new ArrayList<>();

  @JsonPropertyDescription("Ready, Available (raft has quorum), Progressing and Degraded.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("A scale-down in progress; lets an interrupted one resume.")
  private ScaleDownStatus scaleDown;

  @JsonPropertyDescription(
      "The TLS mode the nodes run in, recorded at the first reconciliation and never changed.")
  private TlsStatus tls;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getLeader() {
    return leader;
  }

  public void setLeader(String leader) {
    this.leader = leader;
  }

  public Integer getVoters() {
    return voters;
  }

  public void setVoters(Integer voters) {
    this.voters = voters;
  }

  public Boolean getBootstrapped() {
    return bootstrapped;
  }

  public void setBootstrapped(Boolean bootstrapped) {
    this.bootstrapped = bootstrapped;
  }

  public List<MemberStatus> getMembers() {
    return members;
  }

  public void setMembers(List<MemberStatus> members) {
    this.members = members;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public ScaleDownStatus getScaleDown() {
    return scaleDown;
  }

  public void setScaleDown(ScaleDownStatus scaleDown) {
    this.scaleDown = scaleDown;
  }

  public TlsStatus getTls() {
    return tls;
  }

  public void setTls(TlsStatus tls) {
    this.tls = tls;
  }

  public ClusterIdentityStatus getIdentity() {
    return identity;
  }

  public void setIdentity(ClusterIdentityStatus identity) {
    this.identity = identity;
  }
}
