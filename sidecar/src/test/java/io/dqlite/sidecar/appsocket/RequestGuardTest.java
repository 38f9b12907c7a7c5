package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.protocol.FailureResponse;
import io.dqlite.client.protocol.RequestType;
import io.dqlite.client.protocol.ResponseType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestGuardTest {

  private static byte[] ids(long db, long stmt) {
    return ByteBuffer.allocate(8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt((int) db)
        .putInt((int) stmt)
        .array();
  }

  private static byte[] word(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  private static final int DB = ResponseType.DB.code();
  private static final int STMT = ResponseType.STMT.code();
  private static final int EMPTY = ResponseType.EMPTY.code();
  private static final int FAILURE = ResponseType.FAILURE.code();

  /** Opens db 0 and prepares statements 0 and 1, as libdqlite answers them. */
  private static RequestGuard withTwoStatements() {
    RequestGuard g = new RequestGuard(false);
    g.learn(RequestType.OPEN, new byte[8], DB, ids(0, 0));
    g.learn(RequestType.PREPARE, word(0), STMT, ids(0, 0));
    g.learn(RequestType.PREPARE, word(0), STMT, ids(0, 1));
    return g;
  }

  static Stream<Arguments> statementRequests() {
    return Stream.of(
        // type, db, stmt, refused
        Arguments.of(RequestType.EXEC, 0, 0, false),
        Arguments.of(RequestType.QUERY, 0, 1, false),
        Arguments.of(RequestType.FINALIZE, 0, 1, false),
        Arguments.of(RequestType.EXEC, 0, 2, true),
        Arguments.of(RequestType.QUERY, 0, 0xffff_ffffL, true),
        Arguments.of(RequestType.FINALIZE, 1, 0, true),
        Arguments.of(RequestType.EXEC, 7, 1, true));
  }

  @ParameterizedTest
  @MethodSource("statementRequests")
  void statementIdsMustBeLiveOnThisConnection(
      RequestType type, long db, long stmt, boolean refused) {
    Optional<FailureResponse> r = withTwoStatements().check(type, ids(db, stmt));
    assertThat(r.isPresent()).isEqualTo(refused);
    r.ifPresent(f -> assertThat(f.code()).isEqualTo(ErrorCodes.SQLITE_NOTFOUND));
  }

  @Test
  void finalizeTakesTheIdBackWhateverTheAnswer() {
    RequestGuard g = withTwoStatements();
    g.learn(RequestType.FINALIZE, ids(0, 0), EMPTY, new byte[8]);
    assertThat(g.check(RequestType.EXEC, ids(0, 0)))
        .get()
        .extracting(FailureResponse::message)
        .asString()
        .contains("no statement with id 0");
    g.learn(RequestType.FINALIZE, ids(0, 1), FAILURE, word(1));
    assertThat(g.statements()).isEmpty();
  }

  @Test
  void nothingIsKnownBeforeOpenOrAfterAReset() {
    RequestGuard g = new RequestGuard(false);
    assertThat(g.check(RequestType.EXEC, ids(0, 0)))
        .get()
        .extracting(FailureResponse::message)
        .asString()
        .contains("no database 0 opened");
    g = withTwoStatements();
    g.reset();
    assertThat(g.databaseOpen()).isFalse();
    assertThat(g.check(RequestType.EXEC, ids(0, 0))).isPresent();
    // A failed open or prepare gives nothing.
    g.learn(RequestType.OPEN, new byte[8], FAILURE, word(5));
    g.learn(RequestType.PREPARE, word(0), FAILURE, word(1));
    assertThat(g.databaseOpen()).isFalse();
    assertThat(g.statements()).isEmpty();
  }

  static Stream<Arguments> membership() {
    return Stream.of(RequestType.ADD, RequestType.ASSIGN, RequestType.REMOVE, RequestType.TRANSFER)
        .map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("membership")
  void membershipRequestsAreRefusedUnlessAllowed(RequestType type) {
    assertThat(new RequestGuard(false).check(type, word(1)))
        .get()
        .extracting(FailureResponse::message)
        .asString()
        .contains(RequestGuard.MEMBERSHIP_FLAG);
    assertThat(new RequestGuard(true).check(type, word(1))).isEmpty();
  }

  @Test
  void readOnlyClusterRequestsAndSqlPass() {
    RequestGuard g = new RequestGuard(false);
    for (RequestType t :
        new RequestType[] {
          RequestType.CLUSTER,
          RequestType.LEADER,
          RequestType.DESCRIBE,
          RequestType.DUMP,
          RequestType.WEIGHT,
          RequestType.OPEN,
          RequestType.PREPARE,
          RequestType.EXEC_SQL,
          RequestType.QUERY_SQL,
          RequestType.INTERRUPT
        }) {
      assertThat(g.check(t, word(0))).as(t.toString()).isEmpty();
    }
  }

  @Test
  void describeOfAnotherFormatIsRefused() {
    assertThat(new RequestGuard(true).check(RequestType.DESCRIBE, word(1)))
        .get()
        .extracting(FailureResponse::code)
        .isEqualTo((long) ErrorCodes.SQLITE_PROTOCOL);
  }
}
