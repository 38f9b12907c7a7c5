package io.dqlite.operator.plan;

/** Raft node ids as go-dqlite prints them ({@code 0x2dc171858c3155be}), read and written. */
public final class MemberIds {

  private MemberIds() {}

  /** {@code 0x} and lower-case hex, unsigned. */
  public static String hex(long id) {
    return "0x" + Long.toHexString(id);
  }

  /**
   * The id of a {@code 0x}-prefixed hex string.
   *
   * @throws IllegalArgumentException if the text is not {@code 0x} followed by 1 to 16 hex digits
   */
  public static long parse(String text) {
    if (text == null || !text.matches("0x[0-9a-fA-F]{1,16}")) {
      throw new IllegalArgumentException(
          "invalid raft node id " + text + ": expected 0x and up to 16 hex digits");
    }
    return Long.parseUnsignedLong(text.substring(2), 16);
  }
}
