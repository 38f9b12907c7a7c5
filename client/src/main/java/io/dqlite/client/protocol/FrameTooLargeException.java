package io.dqlite.client.protocol;

/**
 * A message header announced a body larger than the configured limit. Nothing of the body was read
 * or allocated; the connection is closed, since the rest of its stream cannot be skipped safely.
 * Asking again gets the same answer: raise the limit ({@code maxFrameSize}) if the answer is
 * legitimate.
 */
public final class FrameTooLargeException extends ProtocolException {

  private static final long serialVersionUID = 1L;

  private final int type;
  private final long bodyBytes;
  private final long limit;

  FrameTooLargeException(int type, long bodyBytes, long limit) {
    this(type, bodyBytes, limit, null);
  }

  private FrameTooLargeException(int type, long bodyBytes, long limit, String peer) {
    super(
        (peer == null ? "" : "response from " + peer + ": ")
            + "a message of type "
            + type
            + " announces a body of "
            + bodyBytes
            + " bytes, more than the limit of "
            + limit
            + " bytes; refused before reading it. If the answer is legitimate (a large row or"
            + " dump), raise the limit: JDBC property maxFrameSize, or"
            + " ConnectorConfig.Builder.maxFrameSize",
        peer);
    this.bodyBytes = bodyBytes;
    this.limit = limit;
    this.type = type;
  }

  /** The body size the header announced. */
  public long bodyBytes() {
    return bodyBytes;
  }

  /** The limit it exceeded. */
  public long limit() {
    return limit;
  }

  @Override
  public FrameTooLargeException withAddress(String peer) {
    FrameTooLargeException e = new FrameTooLargeException(type, bodyBytes, limit, peer);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
