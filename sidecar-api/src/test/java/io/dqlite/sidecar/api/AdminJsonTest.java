package io.dqlite.sidecar.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dqlite.sidecar.api.SidecarView.MemberView;
import io.dqlite.sidecar.api.SidecarView.NodeRef;
import io.dqlite.sidecar.api.SidecarView.Self;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admin bodies' JSON: the field names the sidecar writes are the ones its callers read. */
class AdminJsonTest {

  private static final ObjectMapper TREE = new ObjectMapper();

  private static SidecarView view(String error) {
    return new SidecarView(
        new Self("0x1", "a:9001", "voter", "zone-a", "pod_labels", 42L, true, true),
        error == null ? new NodeRef("0x1", "a:9001") : null,
        error == null
            ? List.of(
                new MemberView("0x1", "a:9001", "voter", true, 42L, 0L, "zone-a"),
                new MemberView("0x2", "b:9001", "stand-by", false, 0L, 0L, null))
            : List.of(),
        "2026-12-06T12:00:00Z",
        error);
  }

  @Test
  void clusterFieldsAsTheOperatorAndTheE2eSuiteReadThem() throws Exception {
    JsonNode json = TREE.readTree(AdminJson.write(view(null)));
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("self", "leader", "members", "observedAt");
    assertThat(json.get("self").fieldNames())
        .toIterable()
        .containsExactly(
            "id", "address", "role", "zone", "zoneSource", "failureDomain", "ready", "leader");
    assertThat(json.at("/members/0").fieldNames())
        .toIterable()
        .containsExactly("id", "address", "role", "online", "failureDomain", "weight", "zone");
    // Other members' zone names are not known to the sidecar: no zone field, not a null one.
    assertThat(json.at("/members/1").has("zone")).isFalse();
    assertThat(AdminJson.readCluster(AdminJson.write(view(null)))).isEqualTo(view(null));
    assertThat(view(null).namesLeader()).isTrue();
  }

  @Test
  void aViewWithoutLeaderCarriesTheError() throws Exception {
    String body = AdminJson.write(view("no leader found"));
    assertThat(TREE.readTree(body).get("error").asText()).isEqualTo("no leader found");
    SidecarView read = AdminJson.readCluster(body);
    assertThat(read.namesLeader()).isFalse();
    assertThat(read.members()).isEmpty();
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    SidecarView read =
        AdminJson.readCluster(
            "{\"self\":{\"id\":\"0x1\",\"new\":1},\"members\":[],\"later\":true}");
    assertThat(read.self().id()).isEqualTo("0x1");
    assertThat(AdminJson.readHandover("{\"reason\":\"busy\",\"retryAfter\":3}").reason())
        .isEqualTo("busy");
  }

  @Test
  void handoverAnswersLeaveOutWhatTheyDoNotHave() throws Exception {
    assertThat(TREE.readTree(AdminJson.write(HandoverAnswer.refused("a handover is running"))))
        .isEqualTo(TREE.readTree("{\"reason\":\"a handover is running\"}"));
    assertThat(TREE.readTree(AdminJson.write(HandoverAnswer.failure("timed out"))))
        .isEqualTo(TREE.readTree("{\"outcome\":\"failure\",\"reason\":\"timed out\"}"));
    HandoverAnswer success =
        HandoverAnswer.success(12, new NodeRef("0x1", "a:9001"), null, "voter", "spare");
    assertThat(TREE.readTree(AdminJson.write(success)))
        .isEqualTo(
            TREE.readTree(
                "{\"outcome\":\"success\",\"durationMs\":12,"
                    + "\"leaderBefore\":{\"id\":\"0x1\",\"address\":\"a:9001\"},"
                    + "\"roleBefore\":\"voter\",\"roleAfter\":\"spare\"}"));
    assertThat(AdminJson.readHandover(AdminJson.write(success))).isEqualTo(success);
  }
}
