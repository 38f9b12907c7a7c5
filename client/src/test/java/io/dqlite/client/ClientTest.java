package io.dqlite.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.protocol.AddRequest;
import io.dqlite.client.protocol.AssignRequest;
import io.dqlite.client.protocol.EmptyResponse;
import io.dqlite.client.protocol.FakePeer;
import io.dqlite.client.protocol.Request;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@link Client#add} puts on the wire, against a scripted peer that accepts everything. */
@Timeout(60) // a safety net against hangs, not a speed assertion
class ClientTest {

  private static List<Request> requestsOf(NodeInfo node) throws Exception {
    List<Request> seen = new CopyOnWriteArrayList<>();
    try (FakePeer peer =
        new FakePeer(
            c -> {
              c.readHandshake();
              while (true) {
                seen.add(c.readRequest());
                c.send(new EmptyResponse());
              }
            })) {
      try (Client client = Client.connect(peer.address())) {
        client.add(node);
      }
    }
    return seen;
  }

  @Test
  void addingASpareSendsOnlyAdd() throws Exception {
    assertThat(requestsOf(new NodeInfo(9, "h:1", NodeRole.SPARE)))
        .containsExactly(new AddRequest(9, "h:1"));
  }

  @Test
  void addingIdZeroIsRefusedWithoutSending() throws Exception {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> requestsOf(new NodeInfo(0, "h:1", NodeRole.SPARE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node id 0")
        .hasMessageContaining("h:1");
  }

  @Test
  void addingWithAnotherRoleAssignsItAfterwards() throws Exception {
    assertThat(requestsOf(new NodeInfo(9, "h:1", NodeRole.STANDBY)))
        .containsExactly(new AddRequest(9, "h:1"), new AssignRequest(9, NodeRole.STANDBY));
    assertThat(requestsOf(new NodeInfo(9, "h:1", NodeRole.VOTER)))
        .containsExactly(new AddRequest(9, "h:1"), new AssignRequest(9, NodeRole.VOTER));
  }
}
