package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One node of the raft configuration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemberStatus {

  @JsonPropertyDescription("The pod running this node; unset when its address is not one of ours.")
  private String pod;

  @JsonPropertyDescription("Raft node id as go-dqlite prints it: 0x and lower-case hex.")
  private String id;

  @JsonPropertyDescription("The address the node is known by in raft.")
  private String address;

  @JsonPropertyDescription("voter, stand-by or spare.")
  private String role;

  @JsonPropertyDescription(
      "The zone the node's sidecar derived its failure domain from, as it reports it about itself;"
          + " unset when it reports none or its own report could not be read.")
  private String zone;

  @JsonPropertyDescription(
      "Where the sidecar found its zone: flag, pod_labels, node or none; unreported when the"
          + " operator could not read the sidecar's own view (then zone is unset, not guessed).")
  private String zoneSource;

  @JsonPropertyDescription(
      "The failure domain the node reports (what raft's role algorithm spreads voters by; 0 = none).")
  private Long failureDomain;

  @JsonPropertyDescription("Whether the node answered the last probe.")
  private Boolean online;

  public MemberStatus() {}

  public MemberStatus(String pod, String id, String address, String role, Boolean online) {
    this.pod = pod;
    this.id = id;
    this.address = address;
    this.role = role;
    this.online = online;
  }

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  public String getZoneSource() {
    return zoneSource;
  }

  public void setZoneSource(String zoneSource) {
    this.zoneSource = zoneSource;
  }

  public Long getFailureDomain() {
    return failureDomain;
  }

  public void setFailureDomain(Long failureDomain) {
    this.failureDomain = failureDomain;
  }

  public Boolean getOnline() {
    return online;
  }

  public void setOnline(Boolean online) {
    this.online = online;
  }
}
