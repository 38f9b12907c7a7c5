package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.protocol.ExecSqlRequest;
import io.dqlite.client.protocol.ProtocolException;
import io.dqlite.client.protocol.Row;
import io.dqlite.client.protocol.RowsResponse;
import io.dqlite.client.protocol.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTest {

  @Test
  void roundTripsBytesExactly() throws Exception {
    byte[] wire = new ExecSqlRequest(0, "INSERT INTO t VALUES (?)", List.of(7L)).encode();
    Frame f = Frame.read(new ByteArrayInputStream(wire));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.write(out);
    assertThat(out.toByteArray()).isEqualTo(wire);
  }

  @Test
  void rowsMarkersTellWhetherMoreFollow() throws Exception {
    Row row = new Row(List.of(ValueType.INTEGER), List.of(1L));
    byte[] part = new RowsResponse(List.of("n"), List.of(row), true).encode();
    byte[] done = new RowsResponse(List.of("n"), List.of(row), false).encode();
    assertThat(Frame.read(new ByteArrayInputStream(part)).moreRowsFollow()).isTrue();
    assertThat(Frame.read(new ByteArrayInputStream(done)).moreRowsFollow()).isFalse();
  }

  @Test
  void cleanEndIsNullAndTruncationIsAnError() throws Exception {
    assertThat(Frame.read(new ByteArrayInputStream(new byte[0]))).isNull();
    byte[] wire = new ExecSqlRequest(0, "SELECT 1", List.of()).encode();
    assertThatThrownBy(
            () -> Frame.read(new ByteArrayInputStream(Arrays.copyOf(wire, wire.length - 3))))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> Frame.read(new ByteArrayInputStream(new byte[] {1, 0, 0})))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void oversizedAnnouncementsAreRefusedBeforeReading() {
    // Header: 0x10000000 words (2 GiB) of exec-sql.
    byte[] header = {0, 0, 0, 0x10, 8, 0, 0, 0};
    assertThatThrownBy(() -> Frame.read(new ByteArrayInputStream(header), 64L << 20))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("claims a body of");
  }

  @Test
  void relayCopiesAnyBodyThroughItsBufferAndKeepsItsEnds() throws Exception {
    Row big = new Row(List.of(ValueType.BLOB), List.of(new byte[3 << 20]));
    for (boolean more : new boolean[] {true, false}) {
      byte[] wire = new RowsResponse(List.of("b"), List.of(big), more).encode();
      ByteArrayInputStream in = new ByteArrayInputStream(wire);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Frame.Summary s =
          Frame.relay(
              Frame.readHeader(in), new byte[0], in, out, new byte[ProxySession.RELAY_BUFFER]);
      assertThat(out.toByteArray()).isEqualTo(wire);
      assertThat(s.moreRowsFollow()).isEqualTo(more);
      assertThat(s.head()).isEqualTo(Arrays.copyOfRange(wire, 8, 8 + Frame.HEAD));
    }
    // A request whose first word was read already: header, that word, then the rest.
    byte[] req = new ExecSqlRequest(0, "SELECT ?", List.of(new byte[20_000])).encode();
    ByteArrayInputStream in = new ByteArrayInputStream(req);
    io.dqlite.client.protocol.MessageHeader h = Frame.readHeader(in);
    byte[] first = in.readNBytes(8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frame.relay(h, first, in, out, new byte[ProxySession.RELAY_BUFFER]);
    assertThat(out.toByteArray()).isEqualTo(req);
  }

  @Test
  void aHeaderClaimingFourGibAllocatesOnlyWhatArrives() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    byte[] lie = new byte[8 + 1024];
    lie[3] = 0x20; // 0x20000000 words: 4 GiB of rows
    lie[4] = 7;
    byte[] buf = new byte[ProxySession.RELAY_BUFFER];
    long before = threads.getCurrentThreadAllocatedBytes();
    Throwable relayed = null;
    Throwable read = null;
    try {
      ByteArrayInputStream in = new ByteArrayInputStream(lie);
      Frame.relay(Frame.readHeader(in), new byte[0], in, OutputStream.nullOutputStream(), buf);
    } catch (Exception e) {
      relayed = e;
    }
    try {
      Frame.read(new ByteArrayInputStream(lie), Long.MAX_VALUE);
    } catch (Exception e) {
      read = e;
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(relayed).isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
    assertThat(read).isInstanceOf(ProtocolException.class);
    assertThat(allocated).isLessThan(1 << 20);
  }

  @Test
  void versionIsLittleEndian() throws Exception {
    assertThat(Frame.readVersion(new ByteArrayInputStream(new byte[] {1, 0, 0, 0, 0, 0, 0, 0})))
        .isEqualTo(1);
    assertThat(Frame.readVersion(new ByteArrayInputStream(new byte[0]))).isEqualTo(-1);
  }
}
