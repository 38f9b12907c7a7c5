package io.dqlite.sidecar.raftlog;

/**
 * The checksum libraft puts on each batch of its log ({@code byteCrc32} in raft's src/byte.c, also
 * in dqlite 1.18's vendored raft): CRC-32 with the polynomial 0x04C11DB7 fed most significant bit
 * first, initial value as given, no reflection and no final XOR. It is not {@link
 * java.util.zip.CRC32} (which reflects and inverts).
 */
final class RaftCrc32 {

  private static final int[] TABLE = table();

  private RaftCrc32() {}

  private static int[] table() {
    int[] t = new int[256];
    for (int i = 0; i < 256; i++) {
      int c = i << 24;
      for (int bit = 0; bit < 8; bit++) {
        c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
      }
      t[i] = c;
    }
    return t;
  }

  /**
   * The checksum of {@code length} bytes of {@code buf} from {@code offset}, continuing {@code
   * crc}.
   */
  static int update(int crc, byte[] buf, int offset, int length) {
    int c = crc;
    for (int i = offset; i < offset + length; i++) {
      c = (c << 8) ^ TABLE[((c >>> 24) ^ buf[i]) & 0xFF];
    }
    return c;
  }
}
