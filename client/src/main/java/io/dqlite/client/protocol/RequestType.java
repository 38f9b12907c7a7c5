package io.dqlite.client.protocol;

/** Request message types with their wire codes (libdqlite 1.11.1 {@code src/protocol.h}). */
public enum RequestType {
  LEADER(0, "leader"),
  CLIENT(1, "client"),
  /** Defined by the protocol but not dispatched by libdqlite 1.11.1: it never answers. */
  HEARTBEAT(2, "heartbeat"),
  OPEN(3, "open"),
  PREPARE(4, "prepare"),
  EXEC(5, "exec"),
  QUERY(6, "query"),
  FINALIZE(7, "finalize"),
  EXEC_SQL(8, "exec-sql"),
  QUERY_SQL(9, "query-sql"),
  INTERRUPT(10, "interrupt"),
  /** Sent by raft peers to turn a connection into a raft stream; clients never send it. */
  CONNECT(11, "connect"),
  ADD(12, "add"),
  ASSIGN(13, "assign"),
  REMOVE(14, "remove"),
  DUMP(15, "dump"),
  CLUSTER(16, "cluster"),
  TRANSFER(17, "transfer"),
  DESCRIBE(18, "describe"),
  WEIGHT(19, "weight");

  private static final RequestType[] BY_CODE = new RequestType[20];

  static {
    for (RequestType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final String description;

  RequestType(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The type byte in the message header. */
  public int code() {
    return code;
  }

  /**
   * The type for a header byte.
   *
   * @throws ProtocolException for a code the protocol does not define
   */
  public static RequestType fromCode(int code) throws ProtocolException {
    if (code < 0 || code >= BY_CODE.length) {
      throw new ProtocolException("unknown request type " + code, null);
    }
    return BY_CODE[code];
  }

  @Override
  public String toString() {
    return description;
  }
}
