package io.dqlite.client.protocol;

import java.util.HexFormat;

/** Hex strings with spaces and line breaks, for readable golden bytes. */
final class Hex {

  private Hex() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
