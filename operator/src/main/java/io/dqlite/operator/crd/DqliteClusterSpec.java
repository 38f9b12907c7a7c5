package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.dqlite.sidecar.roles.RolesConfig;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/**
 * The desired dqlite cluster. Every default lives here, both as a {@code @Default} in the generated
 * schema (so the API server fills it in) and as the field's initial value (so specs built in Java
 * read the same).
 *
 * <p>Rules the API server enforces, in the schema and as CEL rules: voters odd and at least 3;
 * counts never negative; {@code zoneLabel}, the storage class and size, and the TLS mode fixed
 * after creation, because changing any of them would need every pod's volume or peer connections
 * rebuilt at once. Within {@code spec.tls} the mode cannot change, and a {@code secretName} cannot
 * be removed; {@code spec.tls} may be added to a cluster without it (to name the mode it runs in,
 * e.g. {@code plaintext: true} on a cluster created before TLS became the default). Whatever the
 * spec says later, the operator keeps the mode recorded in {@code status.tls} and warns when the
 * spec asks for another ({@link io.dqlite.operator.plan.TlsModeDecision}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(oldSelf.tls) || !has(oldSelf.tls.secretName)"
            + " || (has(self.tls) && has(self.tls.secretName))",
    message =
        "tls.secretName cannot be removed: the cluster runs with that Secret's certificates since"
            + " its creation (nodes with other certificates could not talk to them)",
    reason = "FieldValueForbidden")
public class DqliteClusterSpec {

  public static final int DEFAULT_REPLICAS = 3;
  public static final int DEFAULT_VOTERS = RolesConfig.DEFAULT_VOTERS;
  public static final int DEFAULT_STANDBYS = RolesConfig.DEFAULT_STANDBYS;
  public static final String DEFAULT_IMAGE = "dqlite-k8s/sidecar:0.1.0";
  public static final String DEFAULT_ZONE_LABEL = "topology.kubernetes.io/zone";

  /** The socket file in the pod's shared app-socket directory (an emptyDir at /run/dqlite). */
  public static final String DEFAULT_APP_SOCKET = "/run/dqlite/dqlite.sock";

  @SpecReplicas
  @Min(1)
  @Default("" + DEFAULT_REPLICAS)
  @JsonPropertyDescription(
      "Number of pods, each one dqlite node. Scaling down drains and removes the highest ordinals"
          + " from raft first. At least 1.")
  private Integer replicas = DEFAULT_REPLICAS;

  @Min(3)
  @Default("" + DEFAULT_VOTERS)
  @ValidationRule(
      value = "self % 2 == 1",
      message = "voters must be an odd number greater than 1 (3, 5, 7, ...)")
  @JsonPropertyDescription(
      "How many nodes vote in raft (go-dqlite's Voters): odd, at least 3. With 1 or 2 replicas one"
          + " node votes (voters stay odd: a pair of voters loses its quorum with either node);"
          + " with 3 up to this count, every node votes.")
  private Integer voters = DEFAULT_VOTERS;

  @Min(0)
  @Default("" + DEFAULT_STANDBYS)
  @JsonPropertyDescription(
      "How many non-voting nodes replicate every entry, ready to replace a lost voter at once"
          + " (go-dqlite's StandBys, default 3). Nodes beyond voters + standBys are spares.")
  private Integer standBys = DEFAULT_STANDBYS;

  @Default(DEFAULT_IMAGE)
  @JsonPropertyDescription("The dqlite sidecar image.")
  private String image = DEFAULT_IMAGE;

  @Default("IfNotPresent")
  @JsonPropertyDescription("Pull policy of the sidecar image.")
  private ImagePullPolicy imagePullPolicy = ImagePullPolicy.IF_NOT_PRESENT;

  // A full PodTemplateSpec schema is thousands of lines and the API server would still not
  // validate a pod the way the pod validator does; keep it opaque and let the StatefulSet
  // controller report mistakes (surfaced in the Degraded condition).
  @SchemaFrom(type = JsonNode.class)
  @JsonPropertyDescription(
      "Optional pod template for the application: its containers run beside the dqlite sidecar"
          + " and get the app-socket volume mounted at /run/dqlite; its labels, annotations,"
          + " volumes, init containers and scheduling fields are merged into each pod. Not"
          + " validated by the CRD schema.")
  private PodTemplateSpec podTemplate;

  @Default(DEFAULT_APP_SOCKET)
  @Pattern("^(@[A-Za-z0-9._-]{1,100}|/run/dqlite/[A-Za-z0-9._-]{1,100})$")
  @JsonPropertyDescription(
      "Where the sidecar serves the application's database in each pod, given to every container"
          + " of podTemplate as DQLITE_APP_SOCKET: a socket file in the shared /run/dqlite"
          + " directory (default; mode 0660, guarded by file permissions), or @name, an abstract"
          + " unix socket private to the pod's network namespace, which needs no volume mount."
          + " Use @name only where each pod has its own network namespace (not with hostNetwork).")
  private String appSocket = DEFAULT_APP_SOCKET;

  @Default("{}")
  @JsonPropertyDescription("The volume of each node's raft data.")
  private StorageSpec storage = new StorageSpec();

  @JsonPropertyDescription("Compute resources of the dqlite sidecar container.")
  private ResourceRequirements resources;

  @Default(DEFAULT_ZONE_LABEL)
  @ValidationRule(
      value = "self == oldSelf",
      message = "zoneLabel is immutable: the nodes' failure domains were derived from it")
  @Pattern("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription(
      "Node label holding the zone: pods spread over it and each node's failure domain is"
          + " derived from it. Immutable.")
  private String zoneLabel = DEFAULT_ZONE_LABEL;

  @JsonPropertyDescription("Raft tuning; unset fields keep the sidecar's defaults.")
  private RaftSpec raft;

  @JsonPropertyDescription(
      "Options of libdqlite 1.18 (disk mode, auto-recovery, snapshot compression); unset fields"
          + " keep the sidecar's defaults. On an image with libdqlite 1.11.1 a set field stops the"
          + " sidecar at start, naming the missing call (the pod's last termination message).")
  private EngineSpec engine;

  @JsonPropertyDescription(
      "TLS between nodes and for clients. Absent: the operator generates certificates (mutual"
          + " TLS); a cluster created before that default keeps running plaintext and is told to"
          + " set plaintext: true. Or an existing Secret (secretName), or plaintext: true. The mode"
          + " is fixed at creation (status.tls.mode).")
  private TlsSpec tls;

  @JsonPropertyDescription(
      "The NetworkPolicy the operator creates (default: enabled): port 9001 only from the"
          + " cluster's pods, the operator and pods labelled dqlite.io/client=<name>; port 8081"
          + " only from the operator and metricsFrom.")
  private NetworkPolicySpec networkPolicy;

  @JsonPropertyDescription("Metrics scraping.")
  private MetricsSpec metrics;

  @JsonPropertyDescription(
      "How the sidecars find their zone (spec.zoneLabel): from their pod's labels by default;"
          + " readNodeLabels for clusters whose pods lack the label.")
  private ZonesSpec zones;

  @JsonPropertyDescription(
      "What to do when this DqliteCluster is created over volumes that already hold data;"
          + " see docs/operator.md, Recovery.")
  private RecoverySpec recovery;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getVoters() {
    return voters;
  }

  public void setVoters(Integer voters) {
    this.voters = voters;
  }

  public Integer getStandBys() {
    return standBys;
  }

  public void setStandBys(Integer standBys) {
    this.standBys = standBys;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ImagePullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public PodTemplateSpec getPodTemplate() {
    return podTemplate;
  }

  public void setPodTemplate(PodTemplateSpec podTemplate) {
    this.podTemplate = podTemplate;
  }

  public String getAppSocket() {
    return appSocket;
  }

  public void setAppSocket(String appSocket) {
    this.appSocket = appSocket;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public String getZoneLabel() {
    return zoneLabel;
  }

  public void setZoneLabel(String zoneLabel) {
    this.zoneLabel = zoneLabel;
  }

  public RaftSpec getRaft() {
    return raft;
  }

  public void setRaft(RaftSpec raft) {
    this.raft = raft;
  }

  public EngineSpec getEngine() {
    return engine;
  }

  public void setEngine(EngineSpec engine) {
    this.engine = engine;
  }

  public TlsSpec getTls() {
    return tls;
  }

  public void setTls(TlsSpec tls) {
    this.tls = tls;
  }

  public ZonesSpec getZones() {
    return zones;
  }

  public void setZones(ZonesSpec zones) {
    this.zones = zones;
  }

  public RecoverySpec getRecovery() {
    return recovery;
  }

  public void setRecovery(RecoverySpec recovery) {
    this.recovery = recovery;
  }

  public MetricsSpec getMetrics() {
    return metrics;
  }

  public void setMetrics(MetricsSpec metrics) {
    this.metrics = metrics;
  }

  public NetworkPolicySpec getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(NetworkPolicySpec networkPolicy) {
    this.networkPolicy = networkPolicy;
  }
}
