package io.dqlite.client.protocol;

/** Response message types with their wire codes (libdqlite 1.11.1 {@code src/protocol.h}). */
public enum ResponseType {
  FAILURE(0, "failure"),
  /** The leader request's answer: node id and address ("server" in libdqlite). */
  NODE(1, "node"),
  WELCOME(2, "welcome"),
  /** The cluster request's answer ("servers" in libdqlite). */
  NODES(3, "nodes"),
  DB(4, "db"),
  STMT(5, "stmt"),
  RESULT(6, "result"),
  ROWS(7, "rows"),
  EMPTY(8, "empty"),
  FILES(9, "files"),
  METADATA(10, "metadata");

  private static final ResponseType[] BY_CODE = values();

  private final int code;
  private final String description;

  ResponseType(int code, String description) {
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
  public static ResponseType fromCode(int code) throws ProtocolException {
    if (code < 0 || code >= BY_CODE.length) {
      throw new ProtocolException("unknown response type " + code, null);
    }
    return BY_CODE[code];
  }

  @Override
  public String toString() {
    return description;
  }
}
