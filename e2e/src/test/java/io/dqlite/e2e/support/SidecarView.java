package io.dqlite.e2e.support;

import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.AdminJson;
import io.dqlite.sidecar.api.SidecarPorts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A sidecar's {@code GET /cluster} (docs/sidecar.md, "Admin endpoints"), read at the pod's IP and
 * admin port with sidecar-api's record, flattened for the tests: the node itself and the leader's
 * configuration.
 */
public record SidecarView(
    String selfId,
    String selfAddress,
    String selfRole,
    String selfZone,
    long selfFailureDomain,
    String leaderId,
    String leaderAddress,
    List<Member> members) {

  public static final int ADMIN_PORT = SidecarPorts.ADMIN;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One member of the raft configuration as the leader reports it. */
  public record Member(
      String id, String address, String role, boolean online, long failureDomain) {}

  /**
   * Reads the view of the pod's sidecar, authenticated with its cluster's admin token (the
   * operator's {@code <cluster>-admin} Secret, read through {@code client}); fails with the answer
   * when it is not 200.
   */
  public static SidecarView of(KubernetesClient client, Pod pod)
      throws IOException, InterruptedException {
    String ip = pod.getStatus().getPodIP();
    if (ip == null || ip.isBlank()) {
      throw new IOException("pod " + pod.getMetadata().getName() + " has no IP yet");
    }
    URI uri = URI.create("http://" + ip + ":" + ADMIN_PORT + AdminApi.CLUSTER);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header(AdminApi.AUTHORIZATION, AdminApi.bearer(adminToken(client, pod)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + uri + ": " + r.statusCode() + " " + r.body());
    }
    return parse(r.body());
  }

  /** The admin token of the pod's cluster, from the Secret the operator keeps. */
  public static String adminToken(KubernetesClient client, Pod pod) throws IOException {
    String ns = pod.getMetadata().getNamespace();
    String cluster = pod.getMetadata().getLabels().get(ClusterNames.INSTANCE_LABEL);
    Secret secret = client.secrets().inNamespace(ns).withName(cluster + "-admin").get();
    if (secret == null
        || secret.getData() == null
        || secret.getData().get(AdminApi.TOKEN_KEY) == null) {
      throw new IOException("no admin Secret " + ns + "/" + cluster + "-admin with a token key");
    }
    return new String(
        Base64.getDecoder().decode(secret.getData().get(AdminApi.TOKEN_KEY)),
        StandardCharsets.UTF_8);
  }

  /**
   * Whether the pod's sidecar reports that it leads ({@code dqlite_leader 1} in {@code /metrics},
   * from its cached view, refreshed every few seconds). Cheap, unlike {@code /cluster}, which
   * searches for the leader on every call and can block for its whole search deadline while there
   * is none.
   */
  public static boolean leads(Pod pod) throws IOException, InterruptedException {
    String ip = pod.getStatus().getPodIP();
    if (ip == null || ip.isBlank()) {
      return false;
    }
    URI uri = URI.create("http://" + ip + ":" + ADMIN_PORT + AdminApi.METRICS);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200
        && r.body()
            .lines()
            .anyMatch(
                l -> l.startsWith("dqlite_leader ") && !l.endsWith(" 0.0") && !l.endsWith(" 0"));
  }

  /** The answer, read with the record the sidecar writes it from. */
  static SidecarView parse(String body) throws IOException {
    io.dqlite.sidecar.api.SidecarView view = AdminJson.readCluster(body);
    List<Member> members = new ArrayList<>();
    for (io.dqlite.sidecar.api.SidecarView.MemberView m : view.members()) {
      members.add(
          new Member(
              m.id(),
              m.address(),
              m.role(),
              Boolean.TRUE.equals(m.online()),
              m.failureDomain() == null ? -1 : m.failureDomain()));
    }
    io.dqlite.sidecar.api.SidecarView.Self self = view.self();
    io.dqlite.sidecar.api.SidecarView.NodeRef leader = view.leader();
    return new SidecarView(
        self.id(),
        self.address(),
        self.role(),
        self.zone(),
        self.failureDomain() == null ? -1 : self.failureDomain(),
        leader == null ? null : leader.id(),
        leader == null ? null : leader.address(),
        List.copyOf(members));
  }

  public long voters() {
    return members.stream().filter(m -> m.role().equals("voter")).count();
  }

  public long standBys() {
    return members.stream().filter(m -> m.role().equals("stand-by")).count();
  }
}
