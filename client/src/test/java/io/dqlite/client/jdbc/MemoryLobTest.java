package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class MemoryLobTest {

  @Test
  void clobIsWrittenAndReadAtOneBasedPositions() throws Exception {
    MemoryClob clob = new MemoryClob();
    assertThat(clob.length()).isZero();
    assertThat(clob.getSubString(1, 0)).isEmpty();
    assertThat(clob.setString(1, "hello world")).isEqualTo(11);
    assertThat(clob.setString(7, "there!", 0, 5)).isEqualTo(5);
    assertThat(clob.getSubString(1, 100)).isEqualTo("hello there");
    assertThat(clob.position("there", 1)).isEqualTo(7);
    assertThat(clob.position("nope", 1)).isEqualTo(-1);
    try (Writer w = clob.setCharacterStream(12)) {
      w.write(", ünïcode");
    }
    try (Reader r = clob.getCharacterStream(7, 5)) {
      char[] buf = new char[10];
      assertThat(new String(buf, 0, r.read(buf))).isEqualTo("there");
    }
    try (OutputStream out = clob.setAsciiStream(1)) {
      out.write("HELLO".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(clob.getSubString(1, 100)).isEqualTo("HELLO there, ünïcode");
    clob.truncate(5);
    assertThat(clob.getSubString(1, (int) clob.length())).isEqualTo("HELLO");
  }

  @Test
  void blobIsWrittenAndReadAtOneBasedPositions() throws Exception {
    MemoryBlob blob = new MemoryBlob();
    assertThat(blob.getBytes(1, 0)).isEmpty();
    blob.setBytes(1, new byte[] {1, 2, 3, 4});
    blob.setBytes(4, new byte[] {9, 8, 7}, 1, 2);
    assertThat(blob.getBytes(1, 10)).containsExactly(1, 2, 3, 8, 7);
    assertThat(blob.position(new byte[] {3, 8}, 1)).isEqualTo(3);
    assertThat(blob.position(new byte[] {3, 9}, 1)).isEqualTo(-1);
    try (OutputStream out = blob.setBinaryStream(6)) {
      out.write(new byte[] {5, 6});
      out.write(0);
    }
    assertThat(blob.getBinaryStream().readAllBytes()).containsExactly(1, 2, 3, 8, 7, 5, 6, 0);
    blob.truncate(2);
    assertThat(blob.getBinaryStream(1, 10).readAllBytes()).containsExactly(1, 2);
  }

  @Test
  void badPositionsAndFreedLobsFailWithAClearError() throws Exception {
    MemoryClob clob = new MemoryClob();
    clob.setString(1, "abc");
    assertThatThrownBy(() -> clob.getSubString(0, 1))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("position 0 outside the Clob (1 to 4)");
    assertThatThrownBy(() -> clob.setString(6, "x")).hasMessageContaining("position 6");
    assertThatThrownBy(() -> clob.truncate(4)).hasMessageContaining("truncate");
    clob.free();
    assertThatThrownBy(clob::length).hasMessageContaining("freed");

    MemoryBlob blob = new MemoryBlob();
    assertThatThrownBy(() -> blob.getBytes(2, 1)).hasMessageContaining("outside the Blob");
    assertThatThrownBy(() -> blob.getBytes(1, -1)).hasMessageContaining("negative length");
    blob.free();
    assertThatThrownBy(blob::length).hasMessageContaining("freed");
  }

  @Test
  void parametersBindTheirContents() throws Exception {
    MemoryClob clob = new MemoryClob();
    clob.setString(1, "text");
    MemoryBlob blob = new MemoryBlob();
    blob.setBytes(1, new byte[] {7});
    assertThat(Parameters.toWire(clob)).isEqualTo("text");
    assertThat((byte[]) Parameters.toWire(blob)).containsExactly(7);
    assertThat(Parameters.toWire(new MemoryClob())).isEqualTo("");
  }
}
