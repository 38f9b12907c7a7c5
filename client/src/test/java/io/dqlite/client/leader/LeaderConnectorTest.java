package io.dqlite.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.protocol.ClientRequest;
import io.dqlite.client.protocol.FakePeer;
import io.dqlite.client.protocol.LeaderRequest;
import io.dqlite.client.protocol.NodeResponse;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.WelcomeResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The search order and outcomes of the leader search, against scripted socket peers that answer the
 * leader request with fixed addresses, and against dead ports.
 */
@Timeout(60) // a safety net against hangs, not a speed assertion
class LeaderConnectorTest {

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  private static ConnectorConfig fast(int retryLimit) {
    return ConnectorConfig.builder()
        .dialTimeout(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofSeconds(5))
        .backoffFactor(Duration.ofMillis(1))
        .backoffCap(Duration.ofMillis(5))
        .retryLimit(retryLimit)
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** A peer that answers one leader request with {@code reported}, then maybe registers us. */
  private FakePeer peer(String[] self, String reported, AtomicInteger registrations)
      throws IOException {
    FakePeer p =
        FakePeer.repeating(
            c -> {
              c.readHandshake();
              assertThat(c.readRequest()).isEqualTo(new LeaderRequest());
              String answer = reported == null ? self[0] : reported;
              c.send(new NodeResponse(answer.isEmpty() ? 0 : 7, answer));
              if (answer.equals(self[0])) {
                assertThat(c.readRequest()).isEqualTo(new ClientRequest(0));
                registrations.incrementAndGet();
                c.send(new WelcomeResponse(15000));
              }
              c.awaitClientClose();
            });
    resources.add(p);
    self[0] = p.address();
    return p;
  }

  /** A peer that says it is the leader. */
  private FakePeer leaderPeer(AtomicInteger registrations) throws IOException {
    return peer(new String[1], null, registrations);
  }

  private static String deadAddress() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  private ProtocolConnection connect(NodeStore store, ConnectorConfig config) throws Exception {
    ProtocolConnection c = new LeaderConnector(store, config).connect();
    resources.add(c);
    return c;
  }

  @Test
  void followsTheReportedLeaderAndRegisters() throws Exception {
    AtomicInteger registrations = new AtomicInteger();
    FakePeer leader = leaderPeer(registrations);
    FakePeer follower = peer(new String[1], leader.address(), registrations);
    ProtocolConnection c = connect(InMemoryNodeStore.of(follower.address()), fast(0));
    assertThat(c.address()).isEqualTo(leader.address());
    assertThat(registrations).hasValue(1);
    assertThat(c.requestTimeout()).isEqualTo(fast(0).requestTimeout());
  }

  @Test
  void triesVotersBeforeStandBysAndSpares() throws Exception {
    AtomicInteger registrations = new AtomicInteger();
    FakePeer voter = leaderPeer(registrations);
    String deadSpare = deadAddress();
    NodeStore store =
        new InMemoryNodeStore(
            List.of(
                new NodeInfo(3, deadSpare, NodeRole.SPARE),
                new NodeInfo(2, deadAddress(), NodeRole.STANDBY),
                new NodeInfo(1, voter.address(), NodeRole.VOTER)));
    ProtocolConnection c = connect(store, fast(0));
    assertThat(c.address()).isEqualTo(voter.address());
  }

  @Test
  void namesEveryDeadAddressWhenGivingUp() throws Exception {
    String a = deadAddress();
    String b = deadAddress();
    assertThatThrownBy(() -> connect(InMemoryNodeStore.of(a, b), fast(2)))
        .isInstanceOfSatisfying(
            NoLeaderException.class,
            e -> {
              assertThat(e.attempts())
                  .extracting(NoLeaderException.Attempt::address)
                  .containsExactly(a, b);
              assertThat(e.attempts())
                  .allSatisfy(at -> assertThat(at.outcome()).contains("refused"));
              assertThat(e.getMessage())
                  .contains("retry limit of 2 reached after 3 round(s)")
                  .contains(a)
                  .contains(b);
              assertThat(e.isRetryable()).isTrue();
            });
  }

  @Test
  void reportsANodeThatKnowsNoLeader() throws Exception {
    FakePeer clueless = peer(new String[1], "", new AtomicInteger());
    assertThatThrownBy(() -> connect(InMemoryNodeStore.of(clueless.address()), fast(1)))
        .isInstanceOf(NoLeaderException.class)
        .hasMessageContaining(clueless.address() + " (knows no leader)");
  }

  @Test
  void reportsALeaderThatDoesNotClaimLeadership() throws Exception {
    String[] otherSelf = new String[1];
    FakePeer other = peer(otherSelf, "10.0.0.1:1", new AtomicInteger());
    FakePeer first = peer(new String[1], other.address(), new AtomicInteger());
    assertThatThrownBy(() -> connect(InMemoryNodeStore.of(first.address()), fast(1)))
        .isInstanceOfSatisfying(
            NoLeaderException.class,
            e ->
                assertThat(e.getMessage())
                    .contains(first.address() + " (reports leader " + other.address() + ")")
                    .contains("but names 10.0.0.1:1"));
  }

  @Test
  void emptyStoreGivesUpAtTheDeadline() {
    ConnectorConfig config = fast(0).toBuilder().connectTimeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> connect(new InMemoryNodeStore(List.of()), config))
        .isInstanceOf(NoLeaderException.class)
        .hasMessageContaining("deadline of 200 ms reached")
        .hasMessageContaining("node store is empty");
  }

  @Test
  void interruptionStopsTheSearchAndKeepsTheFlag() throws Exception {
    String dead = deadAddress();
    ConnectorConfig slow =
        fast(0).toBuilder()
            .backoffFactor(Duration.ofSeconds(5))
            .backoffCap(Duration.ofSeconds(5))
            .build();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> connect(InMemoryNodeStore.of(dead), slow))
          .isInstanceOf(NoLeaderException.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  /**
   * A node that names a unix socket as the leader (an abstract name, a path) is not followed: the
   * client would dial a socket on its own machine. The hint is dropped, with the reason, and the
   * search goes on among the configured nodes.
   */
  @Test
  void aLeaderHintThatIsNoTcpAddressIsNotFollowed() throws Exception {
    String abstractName = "@h3-client-not-followed-" + ProcessHandle.current().pid();
    FakePeer liar = peer(new String[1], abstractName, new AtomicInteger());
    FakePeer pathLiar =
        peer(new String[1], "/tmp/h3-client-not-followed.sock", new AtomicInteger());
    AtomicInteger registrations = new AtomicInteger();
    FakePeer leader = leaderPeer(registrations);
    ProtocolConnection c =
        connect(
            InMemoryNodeStore.of(liar.address(), pathLiar.address(), leader.address()), fast(0));
    assertThat(c.address()).isEqualTo(leader.address());
    assertThat(registrations).hasValue(1);

    assertThatThrownBy(
            () -> connect(InMemoryNodeStore.of(liar.address(), pathLiar.address()), fast(1)))
        .isInstanceOfSatisfying(
            NoLeaderException.class,
            e -> {
              // Only the two configured nodes were tried: no attempt at either socket.
              assertThat(e.attempts())
                  .extracting(NoLeaderException.Attempt::address)
                  .containsExactly(liar.address(), pathLiar.address());
              assertThat(e.attempts())
                  .allSatisfy(
                      at -> assertThat(at.outcome()).contains("not followed: not a TCP host:port"));
              assertThat(e.getMessage()).contains(abstractName);
            });
  }
}
