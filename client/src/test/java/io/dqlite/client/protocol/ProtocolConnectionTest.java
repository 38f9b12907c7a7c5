package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.model.DqliteConnectionException;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.DqliteTimeoutException;
import io.dqlite.client.net.DefaultDialer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection against a scripted socket peer: malformed, truncated and missing frames must end
 * in a typed exception and a closed connection, never a hang; failure responses must not break the
 * connection; streaming rows must leave it usable.
 */
@Timeout(60) // a safety net against hangs, not a speed assertion
class ProtocolConnectionTest {

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
    // A peer may see the client hang up; it must never have seen a request it did not expect.
    for (AutoCloseable r : resources) {
      if (r instanceof FakePeer p && p.failure() != null) {
        assertThat(p.failure()).isNotInstanceOf(AssertionError.class);
      }
    }
  }

  private FakePeer peer(FakePeer.Script script) throws Exception {
    FakePeer p = new FakePeer(script);
    resources.add(p);
    return p;
  }

  private ProtocolConnection connect(FakePeer peer, Duration requestTimeout) throws Exception {
    ProtocolConnection c =
        ProtocolConnection.connect(
            DefaultDialer.INSTANCE, peer.address(), Duration.ofSeconds(5), requestTimeout);
    resources.add(c);
    return c;
  }

  private ProtocolConnection connect(FakePeer peer) throws Exception {
    return connect(peer, Duration.ofSeconds(20));
  }

  private static final byte[] LEADER_ANSWER = new NodeResponse(1, "127.0.0.1:1").encode();

  @Test
  void sendsTheVersionFirstAndDecodesAnswers() throws Exception {
    AtomicReference<String> handshake = new AtomicReference<>();
    FakePeer p =
        peer(
            c -> {
              handshake.set(Hex.of(c.readHandshake()));
              assertThat(c.readRequest()).isEqualTo(new LeaderRequest());
              c.send(LEADER_ANSWER);
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    assertThat(conn.leader()).hasValueSatisfying(n -> assertThat(n.id()).isEqualTo(1));
    assertThat(handshake.get()).isEqualTo("0100000000000000");
  }

  @Test
  void unknownResponseTypeIsAProtocolErrorAndClosesTheConnection() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("01000000 63 00 0000 0000000000000000"));
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unknown response type 99")
        .hasMessageContaining(p.address());
    assertThat(conn.isClosed()).isTrue();
    assertThatThrownBy(conn::leader)
        .isInstanceOf(DqliteConnectionException.class)
        .hasMessageContaining("connection is closed");
  }

  @Test
  void truncatedBodyIsAProtocolError() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("02000000 01 00 0000 0100000000000000"));
              c.close();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("truncated message (8 of 16 body bytes");
    assertThat(conn.isClosed()).isTrue();
  }

  @Test
  void truncatedHeaderIsAProtocolError() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("01000000"));
              c.close();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("truncated message header (4 of 8");
  }

  @Test
  void lengthClaimBeyondWhatJavaCanHoldIsRefusedUpFront() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("ffffffff 01 00 0000 0100000000000000"));
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOf(FrameTooLargeException.class)
        .hasMessageContaining("announces a body of 34359738360 bytes");
  }

  @Test
  void bodyOverTheConfiguredLimitIsRefusedBeforeItIsReadAndClosesTheConnection() throws Exception {
    // The peer sends only the header of a 4104-byte body and then waits for the client to hang
    // up: a client that tried to read the body would wait for the request timeout instead.
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("01020000 07 00 0000"));
              c.awaitClientClose();
            });
    ProtocolConnection conn =
        ProtocolConnection.connect(
            DefaultDialer.INSTANCE,
            p.address(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            4096);
    resources.add(conn);
    long start = System.nanoTime();
    assertThatThrownBy(conn::cluster)
        .isInstanceOfSatisfying(
            FrameTooLargeException.class,
            e -> {
              assertThat(e.bodyBytes()).isEqualTo(4104);
              assertThat(e.limit()).isEqualTo(4096);
              assertThat(e.address()).isEqualTo(p.address());
            })
        .hasMessageContaining(p.address())
        .hasMessageContaining("4104 bytes")
        .hasMessageContaining("limit of 4096 bytes")
        .hasMessageContaining("maxFrameSize");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(conn.isClosed()).isTrue();
    assertThat(conn.maxFrameSize()).isEqualTo(4096);
  }

  @Test
  void bodyAtTheLimitIsAccepted() throws Exception {
    byte[] answer = new NodeResponse(1, "x".repeat(4096 - 16)).encode(); // body: 8 + 4080 + 8
    assertThat(answer.length - MessageHeader.SIZE).isEqualTo(4096);
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(answer);
              c.awaitClientClose();
            });
    ProtocolConnection conn =
        ProtocolConnection.connect(
            DefaultDialer.INSTANCE,
            p.address(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            4096);
    resources.add(conn);
    assertThat(conn.leader()).get().extracting(n -> n.address().length()).isEqualTo(4080);
  }

  @Test
  void malformedUtf8InAnAddressIsAProtocolErrorNamingTheField() throws Exception {
    // NODE body: id 1, address "a\xffb" NUL-padded.
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("02000000 01 00 0000 0100000000000000 61ff620000000000"));
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOfSatisfying(
            MalformedTextException.class,
            e -> {
              assertThat(e.field()).isEqualTo("node address");
              assertThat(e.bodyOffset()).isEqualTo(9);
            })
        .hasMessageContaining(p.address())
        .hasMessageContaining("malformed UTF-8 in node address: byte 0xff at offset 1");
    assertThat(conn.isClosed()).isTrue();
  }

  @Test
  void largeLengthClaimGrowsTheBufferOnlyAsDataArrives() throws Exception {
    // 1 GiB claimed, 8 bytes sent: must fail as truncated, not try to allocate the gigabyte.
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("00000008 01 00 0000 0100000000000000"));
              c.close();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("truncated message (8 of 1073741824 body bytes");
  }

  @Test
  void emptyBodyIsAProtocolError() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("00000000 08 00 0000"));
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("body of 0 bytes");
  }

  @Test
  void peerClosingBeforeAnsweringIsAConnectionError() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.close();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOf(DqliteConnectionException.class)
        .isNotInstanceOf(ProtocolException.class)
        .hasMessageContaining("node closed the connection");
    assertThat(conn.isClosed()).isTrue();
  }

  @Test
  void silentPeerTimesOutAndTheConnectionCloses() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p, Duration.ofMillis(300));
    assertThatThrownBy(conn::cluster)
        .isInstanceOf(DqliteTimeoutException.class)
        .hasMessageContaining("no answer within 300 ms");
    assertThat(conn.isClosed()).isTrue();
  }

  @Test
  void deadlinesHoldOnAbstractUnixSocketsToo() throws Exception {
    try (io.dqlite.client.net.AbstractUnixServerSocket server =
        io.dqlite.client.net.AbstractUnixServerSocket.bind("", 4)) {
      ProtocolConnection conn =
          ProtocolConnection.connect(
              DefaultDialer.INSTANCE,
              server.address(),
              Duration.ofSeconds(5),
              Duration.ofMillis(300));
      resources.add(conn);
      try (io.dqlite.client.net.AbstractUnixSocket peer = server.accept()) {
        // The peer reads nothing and answers nothing.
        assertThatThrownBy(conn::leader)
            .isInstanceOf(DqliteTimeoutException.class)
            .hasMessageContaining(server.address());
        assertThat(conn.isClosed()).isTrue();
      }
    }
  }

  @Test
  void peerStoppingMidBodyTimesOut() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("03000000 01 00 0000 0100000000000000"));
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p, Duration.ofMillis(300));
    assertThatThrownBy(conn::leader).isInstanceOf(DqliteTimeoutException.class);
  }

  @Test
  void failureResponseIsTypedAndLeavesTheConnectionUsable() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(new FailureResponse(10250, "not leader"));
              c.readRequest();
              c.send(LEADER_ANSWER);
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(() -> conn.execSql(0, "INSERT", List.of()))
        .isInstanceOfSatisfying(
            DqliteException.class,
            e -> {
              assertThat(e.code()).isEqualTo(10250);
              assertThat(e.isLeadershipLost()).isTrue();
              assertThat(e.address()).isEqualTo(p.address());
              assertThat(e.getMessage()).contains("exec-sql").contains("not leader");
            });
    assertThat(conn.isClosed()).isFalse();
    assertThat(conn.leader()).isPresent();
  }

  @Test
  void unexpectedResponseTypeIsAProtocolError() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(new EmptyResponse());
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(conn::leader)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("expected a NodeResponse, got empty");
    assertThat(conn.isClosed()).isTrue();
  }

  private static RowsResponse batch(long from, int count, boolean more) {
    List<Row> rows = new ArrayList<>();
    for (long i = from; i < from + count; i++) {
      rows.add(new Row(List.of(ValueType.INTEGER), List.of(i)));
    }
    return new RowsResponse(List.of("n"), rows, more);
  }

  @Test
  void rowsStreamAcrossBatches() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              assertThat(c.readRequest()).isInstanceOf(QuerySqlRequest.class);
              c.send(batch(0, 3, true));
              c.send(batch(3, 0, true));
              c.send(batch(3, 2, false));
              c.readRequest();
              c.send(LEADER_ANSWER);
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    List<Object> seen = new ArrayList<>();
    try (Rows rows = conn.querySql(0, "SELECT n", List.of())) {
      assertThat(rows.columnNames()).containsExactly("n");
      while (rows.next()) {
        seen.add(rows.get(0));
      }
    }
    assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(conn.leader()).isPresent();
  }

  @Test
  void closingRowsEarlyInterruptsAndDrains() throws Exception {
    AtomicReference<Request> interrupt = new AtomicReference<>();
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              // Like libdqlite 1.11.1: every batch is pushed before the interrupt is read.
              c.send(FakePeer.Conn.concat(batch(0, 2, true).encode(), batch(2, 2, false).encode()));
              interrupt.set(c.readRequest());
              c.send(new EmptyResponse());
              c.readRequest();
              c.send(LEADER_ANSWER);
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    Rows rows = conn.querySql(0, "SELECT n", List.of());
    assertThat(rows.next()).isTrue();
    assertThatThrownBy(conn::leader)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("still streaming");
    rows.close();
    assertThat(interrupt.get()).isEqualTo(new InterruptRequest(0));
    assertThat(conn.leader()).isPresent();
    assertThat(rows.next()).isFalse();
  }

  @Test
  void failureInTheMiddleOfRowsEndsThemAndFreesTheConnection() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(batch(0, 1, true));
              c.send(new FailureResponse(5, "database is locked"));
              c.readRequest();
              c.send(LEADER_ANSWER);
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    Rows rows = conn.querySql(0, "SELECT n", List.of());
    assertThat(rows.next()).isTrue();
    assertThatThrownBy(rows::next)
        .isInstanceOfSatisfying(DqliteException.class, e -> assertThat(e.isBusy()).isTrue());
    rows.close();
    assertThat(conn.leader()).isPresent();
  }

  @Test
  void garbageOnOneConnectionDoesNotDisturbAnother() throws Exception {
    FakePeer bad =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(Hex.bytes("0100000001000000 ffffffffffffffff"));
              c.awaitClientClose();
            });
    FakePeer good =
        peer(
            c -> {
              c.readHandshake();
              for (int i = 0; i < 2; i++) {
                c.readRequest();
                c.send(LEADER_ANSWER);
              }
              c.awaitClientClose();
            });
    ProtocolConnection badConn = connect(bad);
    ProtocolConnection goodConn = connect(good);
    assertThat(goodConn.leader()).isPresent();
    assertThatThrownBy(badConn::leader).isInstanceOf(ProtocolException.class);
    assertThat(goodConn.leader()).isPresent();
    assertThat(goodConn.isClosed()).isFalse();
  }

  @Test
  void refusesStatementIdsItDidNotPrepareWithoutSendingThem() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              assertThat(c.readRequest()).isEqualTo(new PrepareRequest(0, "SELECT 1"));
              c.send(new StmtResponse(0, 4, 0));
              assertThat(c.readRequest()).isEqualTo(new FinalizeRequest(0, 4));
              c.send(new EmptyResponse());
              assertThat(c.readRequest()).isEqualTo(new LeaderRequest());
              c.send(LEADER_ANSWER);
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    assertThatThrownBy(() -> conn.exec(0, 3, List.of()))
        .isInstanceOfSatisfying(
            DqliteException.class,
            e -> {
              assertThat(e.code()).isEqualTo(12);
              assertThat(e.getMessage()).contains("no statement with id 3").contains("not sent");
            });
    StatementInfo stmt = conn.prepare(0, "SELECT 1");
    conn.finalizeStatement(0, stmt.id());
    assertThatThrownBy(() -> conn.query(0, stmt.id(), List.of()))
        .isInstanceOf(DqliteException.class);
    assertThatThrownBy(() -> conn.finalizeStatement(0, stmt.id()))
        .isInstanceOf(DqliteException.class);
    assertThat(conn.leader()).isPresent();
  }

  @Test
  void closeFromAnotherThreadAbortsABlockedRequest() throws Exception {
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                conn.leader();
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    // Wait until the request is in flight (the peer consumed it), then close.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                t.getState() == Thread.State.RUNNABLE
                    || t.getState() == Thread.State.WAITING
                    || !t.isAlive());
    conn.close();
    t.join(20_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(DqliteConnectionException.class);
    conn.close(); // idempotent
  }

  /**
   * Found by HostilePeerFuzzTest: a later batch with other columns was accepted, and reading the
   * first batch's columns from its rows threw IndexOutOfBoundsException into the application.
   */
  @Test
  void aLaterBatchWithOtherColumnsIsAProtocolError() throws Exception {
    Row twoColumns = new Row(List.of(ValueType.INTEGER, ValueType.INTEGER), List.of(1L, 2L));
    Row oneColumn = new Row(List.of(ValueType.INTEGER), List.of(3L));
    FakePeer p =
        peer(
            c -> {
              c.readHandshake();
              c.readRequest();
              c.send(
                  FakePeer.Conn.concat(
                      new RowsResponse(List.of("a", "b"), List.of(twoColumns), true).encode(),
                      new RowsResponse(List.of("a"), List.of(oneColumn), false).encode()));
              c.awaitClientClose();
            });
    ProtocolConnection conn = connect(p);
    try (Rows rows = conn.querySql(0, "SELECT a, b FROM t", List.of())) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.get(1)).isEqualTo(2L);
      assertThatThrownBy(rows::next)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("a batch with columns [a] in a result set with columns [a, b]")
          .hasMessageContaining(p.address());
    }
    assertThat(conn.isClosed()).isTrue();
  }
}
