package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.net.DefaultDialer;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer that answers every request with a mutated answer of the right type (or another type, or
 * noise, or a stream of batches) over a real socket: whatever it sends, every call on the
 * connection returns or raises a {@link DqliteException}, within its deadline, and the connection
 * is either usable or closed. Runs for {@code -Ddqlite.fuzz.millis} (default 1500), seed {@code
 * -Ddqlite.fuzz.seed}.
 */
class HostilePeerFuzzTest {

  private static final Logger log = LoggerFactory.getLogger(HostilePeerFuzzTest.class);
  private static final long MILLIS = FuzzLoop.MILLIS;
  private static final long SEED = FuzzLoop.SEED;
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(100);

  private static final List<Response> SEEDS = FuzzCorpus.responses();

  /** The valid answers to {@code type}, which the peer mutates. */
  private static List<byte[]> answersTo(RequestType type) {
    ResponseType wanted =
        switch (type) {
          case LEADER -> ResponseType.NODE;
          case CLIENT -> ResponseType.WELCOME;
          case OPEN -> ResponseType.DB;
          case PREPARE -> ResponseType.STMT;
          case EXEC, EXEC_SQL -> ResponseType.RESULT;
          case QUERY, QUERY_SQL -> ResponseType.ROWS;
          case DUMP -> ResponseType.FILES;
          case CLUSTER -> ResponseType.NODES;
          case DESCRIBE -> ResponseType.METADATA;
          default -> ResponseType.EMPTY;
        };
    return FuzzLoop.fitting(SEEDS, wanted);
  }

  @Test
  void whateverThePeerAnswersOnlyDqliteExceptionsComeOut() throws Exception {
    log.info("hostile peer for {} ms, -Ddqlite.fuzz.seed={}", MILLIS, SEED);
    try (FakePeer peer = FakePeer.repeating(this::answerBadly)) {
      int calls =
          assertTimeoutPreemptively(
              Duration.ofMillis(MILLIS).plusSeconds(60),
              () -> drive(peer.address()),
              () -> "a call hung (seed " + SEED + ")");
      log.info("{} calls against a hostile peer, all ended in a value or a DqliteException", calls);
      assertThat(calls).isPositive();
    }
  }

  /** The peer: per request, a mutated answer, sometimes noise, sometimes more than one frame. */
  private void answerBadly(FakePeer.Conn c) throws Exception {
    SplittableRandom random = new SplittableRandom(SEED ^ System.nanoTime());
    Mutator mutator = new Mutator(random.nextLong());
    c.readHandshake();
    while (true) {
      Request request;
      try {
        request = c.readRequest();
      } catch (Exception e) {
        return; // the client hung up, or sent what a hostile answer made it send
      }
      List<byte[]> answers = answersTo(request.type());
      byte[] answer = answers.get(random.nextInt(answers.size()));
      int dice = random.nextInt(10);
      if (dice < 6) {
        answer = mutator.mutate(answer);
      } else if (dice == 6) {
        answer = mutator.randomBytes(random.nextInt(40));
      } else if (dice == 7) {
        answer = SEEDS.get(random.nextInt(SEEDS.size())).encode(); // a valid answer of any type
      }
      if (request.type() == RequestType.QUERY_SQL || request.type() == RequestType.INTERRUPT) {
        // A stream: the answer, maybe the last batch, maybe the interrupt's confirmation.
        byte[] end =
            new RowsResponse(
                    List.of("x"), List.of(new Row(List.of(ValueType.INTEGER), List.of(1L))), false)
                .encode();
        answer = FakePeer.Conn.concat(answer, random.nextBoolean() ? end : new byte[0]);
        answer = FakePeer.Conn.concat(answer, new EmptyResponse().encode());
      }
      try {
        c.send(answer);
      } catch (Exception e) {
        return;
      }
      if (random.nextInt(8) == 0) {
        return; // hang up after the answer: the client sees the end of the stream
      }
    }
  }

  /** The client: random calls until the time is up, reconnecting after each broken one. */
  private static int drive(String address) throws Exception {
    return FuzzLoop.drive(
        13,
        DqliteException.class,
        new FuzzLoop.Target<ProtocolConnection>() {
          @Override
          public ProtocolConnection open() throws DqliteException {
            return ProtocolConnection.connect(
                DefaultDialer.INSTANCE, address, Duration.ofSeconds(5), REQUEST_TIMEOUT);
          }

          @Override
          public boolean isClosed(ProtocolConnection c) {
            return c.isClosed();
          }

          @Override
          public void call(ProtocolConnection c, int which) throws DqliteException {
            HostilePeerFuzzTest.call(c, which);
          }
        });
  }

  private static void call(ProtocolConnection c, int which) throws DqliteException {
    switch (which) {
      case 0 -> c.leader();
      case 1 -> c.cluster();
      case 2 -> c.registerClient(1);
      case 3 -> c.open("app");
      case 4 -> c.prepare(0, "SELECT 1");
      case 5 -> c.execSql(0, "INSERT INTO t VALUES (?)", List.of(1L));
      case 6 -> {
        try (Rows rows = c.querySql(0, "SELECT * FROM t", List.of())) {
          while (rows.next()) { // every column the result set announced, as JDBC reads them
            for (int i = 0; i < rows.columnCount(); i++) {
              rows.get(i);
            }
          }
        }
      }
      case 7 -> {
        try (Rows rows = c.querySql(0, "SELECT * FROM t", List.of())) {
          rows.next(); // then closed early: interrupt and drain
        }
      }
      case 8 -> c.dump("app");
      case 9 -> c.describe();
      case 10 -> c.assign(2, NodeRole.VOTER);
      case 11 -> c.transfer(2);
      default -> c.weight(3);
    }
  }
}
