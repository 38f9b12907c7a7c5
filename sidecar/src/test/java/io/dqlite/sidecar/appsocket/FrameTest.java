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
  void versionIsLittleEndian() throws Exception {
    assertThat(Frame.readVersion(new ByteArrayInputStream(new byte[] {1, 0, 0, 0, 0, 0, 0, 0})))
        .isEqualTo(1);
    assertThat(Frame.readVersion(new ByteArrayInputStream(new byte[0]))).isEqualTo(-1);
  }
}
