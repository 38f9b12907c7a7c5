package io.dqlite.client.protocol;

/**
 * A text field of a message (a column name, a text value, an error message, an address) is not
 * well-formed UTF-8. The framing is intact but the message cannot be read faithfully, so, like any
 * protocol error, the connection it came from is closed. Asking again gets the same bytes: this is
 * not worth a retry.
 */
public final class MalformedTextException extends ProtocolException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final int bodyOffset;
  private final int textOffset;
  private final String bytes;

  /**
   * @param field what the text is
   * @param bodyOffset where the first malformed byte is in the message body
   * @param textOffset where it is in the text
   * @param bytes the malformed bytes in hex
   */
  MalformedTextException(String field, int bodyOffset, int textOffset, String bytes) {
    this(field, bodyOffset, textOffset, bytes, null, null);
  }

  private MalformedTextException(
      String field,
      int bodyOffset,
      int textOffset,
      String bytes,
      String peer,
      StackTraceElement[] at) {
    super(
        (peer == null ? "" : "protocol error from " + peer + ": ")
            + "malformed UTF-8 in "
            + field
            + ": byte 0x"
            + bytes
            + " at offset "
            + textOffset
            + " of the text (offset "
            + bodyOffset
            + " of the message body)",
        peer);
    this.field = field;
    this.bodyOffset = bodyOffset;
    this.textOffset = textOffset;
    this.bytes = bytes;
    if (at != null) {
      setStackTrace(at);
    }
  }

  /** What the text is: "name of column 2", "text value of column 3 ('name') in row 4", ... */
  public String field() {
    return field;
  }

  /** Where the first malformed byte is in the message body. */
  public int bodyOffset() {
    return bodyOffset;
  }

  /** The same error, the text described as {@code newField} by a caller that knows more. */
  MalformedTextException withField(String newField) {
    return new MalformedTextException(
        newField, bodyOffset, textOffset, bytes, address(), getStackTrace());
  }

  @Override
  public MalformedTextException withAddress(String peer) {
    return new MalformedTextException(field, bodyOffset, textOffset, bytes, peer, getStackTrace());
  }
}
