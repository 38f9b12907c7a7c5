package io.dqlite.client.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: malformed bytes are an error that says where, never U+FFFD. */
final class Utf8 {

  private Utf8() {}

  /**
   * Decodes {@code length} bytes of {@code buf} from {@code offset}.
   *
   * @param field what the text is, for the error message
   * @throws MalformedTextException naming the field, the offset in the message body and the bytes
   */
  static String decode(byte[] buf, int offset, int length, String field)
      throws MalformedTextException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(buf, offset, length);
    CharBuffer out = CharBuffer.allocate(length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      int bad = Math.min(result.length(), in.remaining());
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < Math.max(1, bad) && at + i < offset + length; i++) {
        hex.append(String.format("%02x", buf[at + i] & 0xff));
      }
      throw new MalformedTextException(field, at, at - offset, hex.toString());
    }
    return out.flip().toString();
  }
}
