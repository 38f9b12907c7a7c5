package io.dqlite.operator.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.http.HttpServer;
import io.dqlite.http.Request;
import io.dqlite.http.Response;
import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.SidecarView;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client against a server answering what the sidecar's admin server answers (bodies in the
 * shape {@code io.dqlite.sidecar.daemon.SidecarAdmin} renders, indented as it sends them, and the
 * token checked with the contract's {@link AdminApi#carriesToken}).
 */
class HttpSidecarAdminTest {

  static final String CLUSTER_OK =
      """
      {
        "self" : {
          "id" : "0x2dc171858c3155be",
          "address" : "db-0.db-headless.shop.svc.cluster.local:9001",
          "role" : "voter",
          "zone" : "zone-a",
          "zoneSource" : "downward",
          "failureDomain" : 1234,
          "ready" : true,
          "leader" : true
        },
        "leader" : {
          "id" : "0x2dc171858c3155be",
          "address" : "db-0.db-headless.shop.svc.cluster.local:9001"
        },
        "members" : [ {
          "id" : "0x2dc171858c3155be",
          "address" : "db-0.db-headless.shop.svc.cluster.local:9001",
          "role" : "voter",
          "online" : true,
          "failureDomain" : 1234,
          "weight" : 0,
          "zone" : "zone-a"
        }, {
          "id" : "0xa1",
          "address" : "db-1.db-headless.shop.svc.cluster.local:9001",
          "role" : "standby",
          "online" : false,
          "failureDomain" : 0,
          "weight" : 0
        } ],
        "observedAt" : "2026-11-25T10:00:00Z",
        "futureField" : {"ignored": true}
      }
      """;

  static final String CLUSTER_NO_LEADER =
      """
      {
        "self" : {
          "id" : "0xa1",
          "address" : "db-1.db-headless.shop.svc.cluster.local:9001",
          "role" : null,
          "zone" : null,
          "zoneSource" : "none",
          "failureDomain" : 0,
          "ready" : false,
          "leader" : false
        },
        "leader" : null,
        "members" : [ ],
        "observedAt" : "2026-11-25T10:00:00Z",
        "error" : "node not ready yet (joining)"
      }
      """;

  static final AdminToken TOKEN = AdminToken.of("the-admin-token");

  HttpServer server;
  URI base;
  volatile int clusterStatus = 200;
  volatile String clusterBody = CLUSTER_OK;
  volatile int handoverStatus = 200;
  volatile String handoverBody =
      "{\"outcome\":\"success\",\"durationMs\":12,\"leaderBefore\":null,\"leaderAfter\":null,"
          + "\"roleBefore\":\"voter\",\"roleAfter\":\"spare\"}";
  final List<String> handoverNodes = new CopyOnWriteArrayList<>();

  /** As the sidecar: 401 without the token, the token compared by the contract's own check. */
  @BeforeEach
  void start() throws IOException {
    server =
        HttpServer.builder("fake-sidecar")
            .slowPool(1, 4, "busy\n")
            .slow(
                "GET",
                AdminApi.CLUSTER,
                this::refusal,
                r -> Response.of(clusterStatus, Response.JSON, clusterBody))
            .slow(
                "POST",
                AdminApi.HANDOVER,
                this::refusal,
                r -> {
                  handoverNodes.add(r.queryParameter(AdminApi.NODE_PARAMETER).orElse("none"));
                  return Response.of(handoverStatus, Response.JSON, handoverBody);
                })
            .start("127.0.0.1", 0);
    base = URI.create("http://127.0.0.1:" + server.address().getPort());
  }

  private Response refusal(Request r) {
    return AdminApi.carriesToken(r.header(AdminApi.AUTHORIZATION), "the-admin-token")
        ? null
        : Response.of(401, Response.JSON, "{\"reason\":\"wrong credentials\"}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  final HttpSidecarAdmin admin = new HttpSidecarAdmin(Duration.ofSeconds(5));

  @Test
  void readsTheClusterView() throws Exception {
    SidecarView view = admin.cluster(base, TOKEN).get(10, TimeUnit.SECONDS);
    assertThat(view.namesLeader()).isTrue();
    assertThat(view.leader().id()).isEqualTo("0x2dc171858c3155be");
    assertThat(view.self().zone()).isEqualTo("zone-a");
    assertThat(view.members()).hasSize(2);
    assertThat(view.members().get(1).role()).isEqualTo("standby");
    assertThat(view.members().get(1).online()).isFalse();
    Membership m = MembershipReader.fromSidecar(view, java.util.Map.of(), java.util.List.of());
    assertThat(m.member(0x2dc171858c3155beL).orElseThrow().failureDomain()).isEqualTo(1234L);
    assertThat(m.member(0xa1).orElseThrow().failureDomain()).as("offline").isNull();
  }

  @Test
  void a503CarriesTheReason() throws Exception {
    clusterStatus = 503;
    clusterBody = CLUSTER_NO_LEADER;
    SidecarView view = admin.cluster(base, TOKEN).get(10, TimeUnit.SECONDS);
    assertThat(view.namesLeader()).isFalse();
    assertThat(view.error()).isEqualTo("node not ready yet (joining)");
  }

  @Test
  void otherAnswersAndUnreachableSidecarsFail() throws Exception {
    clusterStatus = 500;
    clusterBody = "boom";
    assertThatThrownBy(() -> admin.cluster(base, TOKEN).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("boom");
    int port = base.getPort();
    server.close();
    assertThatThrownBy(
            () ->
                admin
                    .cluster(URI.create("http://127.0.0.1:" + port), TOKEN)
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void handsOver() throws Exception {
    SidecarAdmin.HandoverResult result = admin.handover(base, TOKEN, 0xa1);
    assertThat(result.succeeded()).isTrue();
    assertThat(result.roleAfter()).isEqualTo("spare");
    assertThat(result.describe()).isEqualTo("handed over, now spare");
    assertThat(handoverNodes).containsExactly("0xa1");

    handoverStatus = 409;
    handoverBody = "{\"reason\":\"a handover is already running\"}";
    result = admin.handover(base, TOKEN, 0xa1);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.describe()).contains("409").contains("already running");
  }

  @Test
  void callsCarryTheTokenAndAWrongOneIsAFailureNotAView() throws Exception {
    assertThatThrownBy(() -> admin.cluster(base, AdminToken.of("stale")).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("wrong credentials");
    assertThatThrownBy(() -> admin.cluster(base, AdminToken.NONE).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("HTTP 401");
    SidecarAdmin.HandoverResult refused = admin.handover(base, AdminToken.of("stale"), 0xa1);
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.describe()).contains("401").contains("wrong credentials");
    assertThat(handoverNodes).isEmpty();
    assertThat(TOKEN.toString()).doesNotContain("the-admin-token");
  }
}
