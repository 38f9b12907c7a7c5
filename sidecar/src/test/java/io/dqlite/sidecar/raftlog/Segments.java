package io.dqlite.sidecar.raftlog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds open segments byte by byte as libraft writes them (uvSegmentBufferAppend), for tests. */
final class Segments {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Segments formatted() {
    Segments s = new Segments();
    s.out.writeBytes(le64(SegmentScan.FORMAT));
    return s;
  }

  /** A batch of entries of term 1, type command, with {@code sizes} bytes of data each. */
  Segments batch(int... sizes) {
    ByteBuffer header = ByteBuffer.allocate(8 + 16 * sizes.length).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(sizes.length);
    int total = 0;
    for (int size : sizes) {
      header.putLong(1).put((byte) 1).put(new byte[3]).putInt(size);
      total += size;
    }
    byte[] data = new byte[total];
    for (int i = 0; i < total; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    byte[] h = header.array();
    out.writeBytes(le32(RaftCrc32.update(0, h, 0, h.length)));
    out.writeBytes(le32(RaftCrc32.update(0, data, 0, data.length)));
    out.writeBytes(h);
    out.writeBytes(data);
    return this;
  }

  /** Raw bytes, as they are. */
  Segments with(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  Segments zeros(int n) {
    out.writeBytes(new byte[n]);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private static byte[] le64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }
}
