package io.dqlite.sidecar.appsocket;

import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.protocol.FailureResponse;
import io.dqlite.client.protocol.RequestType;
import io.dqlite.client.protocol.ResponseType;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What one app-socket session may forward to the leader, and the ids it learned from the answers.
 * Pure: the session feeds it the first word of each request and response body, and it decides.
 *
 * <p>libdqlite 1.11.1 dies (SIGSEGV in {@code stmt__registry_get}) on an {@code exec}, {@code
 * query} or {@code finalize} naming a finalized statement while a later one still exists, and
 * (SIGABRT, a second response written on one request) on a {@code describe} of another format than
 * 0. So statement ids are tracked per upstream connection, as the STMT answers give them out and
 * FINALIZE takes them back, and any other id is answered here with SQLITE_NOTFOUND, as the node
 * answers an id it never gave. See docs/protocol.md, "Quirks of libdqlite 1.11.1".
 *
 * <p>Membership requests (add, assign, remove, transfer) are refused unless allowed: the operator
 * owns membership, and an application in the pod must not reshape the cluster.
 */
final class RequestGuard {

  /** The flag that lets membership requests through. */
  static final String MEMBERSHIP_FLAG = "--app-socket-membership=allow";

  private final boolean membershipAllowed;
  private final Set<Long> statements = new HashSet<>();
  private boolean databaseOpen;
  private long database;

  RequestGuard(boolean membershipAllowed) {
    this.membershipAllowed = membershipAllowed;
  }

  /**
   * The failure to answer instead of forwarding, or empty to forward.
   *
   * @param head the first bytes of the body (at least 8: a body is never empty and word-aligned)
   */
  Optional<FailureResponse> check(RequestType type, byte[] head) {
    switch (type) {
      case EXEC, QUERY, FINALIZE -> {
        long db = uint32(head, 0);
        long stmt = uint32(head, 4);
        if (!databaseOpen || db != database) {
          return refuse(
              ErrorCodes.SQLITE_NOTFOUND,
              "app socket: no database " + db + " opened on this connection; open it first");
        }
        if (!statements.contains(stmt)) {
          return refuse(
              ErrorCodes.SQLITE_NOTFOUND,
              "app socket: no statement with id "
                  + stmt
                  + " on this connection (finalized, or"
                  + " never prepared here); prepare it again");
        }
        return Optional.empty();
      }
      case DESCRIBE -> {
        long format = uint64(head, 0);
        if (format != 0) {
          return refuse(
              ErrorCodes.SQLITE_PROTOCOL,
              "app socket: describe format "
                  + Long.toUnsignedString(format)
                  + " is not supported (only 0; libdqlite 1.11.1 crashes on others)");
        }
        return Optional.empty();
      }
      case ADD, ASSIGN, REMOVE, TRANSFER -> {
        if (membershipAllowed) {
          return Optional.empty();
        }
        return refuse(
            ErrorCodes.SQLITE_ERROR,
            "app socket: "
                + type
                + " changes the cluster's membership and is refused here (the"
                + " operator manages membership; start the sidecar with "
                + MEMBERSHIP_FLAG
                + " to let applications do it)");
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** The metrics label of a refusal of {@code type}: statement, describe or membership. */
  static String reason(RequestType type) {
    return switch (type) {
      case EXEC, QUERY, FINALIZE -> "statement";
      case DESCRIBE -> "describe";
      default -> "membership";
    };
  }

  /**
   * Learns from the final answer to a forwarded request.
   *
   * @param requestHead the first bytes of the request body
   * @param responseType the type code of the answer
   * @param responseHead the first bytes of the answer's body
   */
  void learn(RequestType type, byte[] requestHead, int responseType, byte[] responseHead) {
    switch (type) {
      case OPEN -> {
        if (responseType == ResponseType.DB.code()) {
          databaseOpen = true;
          database = uint32(responseHead, 0);
        }
      }
      case PREPARE -> {
        if (responseType == ResponseType.STMT.code() && responseHead.length >= 8) {
          statements.add(uint32(responseHead, 4));
        }
      }
      case FINALIZE -> {
        // Whatever the answer: SQLite frees a statement even when finalizing it reports an error,
        // and an id that might be gone must never be forwarded again.
        statements.remove(uint32(requestHead, 4));
      }
      default -> {
        // Nothing else gives or takes ids.
      }
    }
  }

  /** Forgets every id: the upstream connection that held them is gone. */
  void reset() {
    statements.clear();
    databaseOpen = false;
  }

  /** Whether this session opened a database on its current upstream. */
  boolean databaseOpen() {
    return databaseOpen;
  }

  /** Statement ids live on the current upstream, for tests. */
  Set<Long> statements() {
    return Set.copyOf(statements);
  }

  private static Optional<FailureResponse> refuse(long code, String message) {
    return Optional.of(new FailureResponse(code, message));
  }

  static long uint32(byte[] b, int off) {
    if (b.length < off + 4) {
      return -1;
    }
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }

  static long uint64(byte[] b, int off) {
    if (b.length < off + 8) {
      return -1;
    }
    return uint32(b, off) | uint32(b, off + 4) << 32;
  }
}
