package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.net.DefaultDialer;
import io.dqlite.client.net.Transport;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Confirms the codecs against bytes a real libdqlite 1.11.1 node sends: every frame received
 * decodes and re-encodes to exactly the same bytes, and fixed answers match hand-derived goldens.
 */
class WireGoldenIT {

  private static DqliteDemoCluster cluster;

  @BeforeAll
  static void start() {
    cluster = DqliteDemoCluster.start(1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A transport that keeps a copy of every byte in each direction. */
  static final class Recording implements Transport {
    final Transport inner;
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    Recording(Transport inner) {
      this.inner = inner;
    }

    @Override
    public InputStream input() {
      return new FilterInputStream(inner.input()) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            received.write(b, off, n);
          }
          return n;
        }
      };
    }

    @Override
    public OutputStream output() {
      return new FilterOutputStream(inner.output()) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          sent.write(b, off, len);
          out.write(b, off, len);
        }
      };
    }

    @Override
    public void shutdownOutput() throws IOException {
      inner.shutdownOutput();
    }

    @Override
    public String address() {
      return inner.address();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** Splits a byte stream into frames (header + body). */
  static List<byte[]> frames(byte[] stream, int offset) throws ProtocolException {
    List<byte[]> frames = new ArrayList<>();
    int at = offset;
    while (at < stream.length) {
      MessageHeader h = MessageHeader.decode(Arrays.copyOfRange(stream, at, at + 8));
      int end = at + 8 + (int) h.bodyBytes();
      frames.add(Arrays.copyOfRange(stream, at, end));
      at = end;
    }
    return frames;
  }

  @Test
  void everyFrameFromARealNodeReencodesByteForByte() throws Exception {
    String address = cluster.node(0).address();
    List<Recording> recordings = new ArrayList<>();
    ConnectorConfig config = cluster.connectorConfig();
    try (ProtocolConnection c =
        ProtocolConnection.connect(
            (a, t) -> {
              Recording r = new Recording(DefaultDialer.INSTANCE.dial(a, t));
              recordings.add(r);
              return r;
            },
            address,
            config.dialTimeout(),
            config.requestTimeout())) {
      NodeInfo leader = c.leader().orElseThrow();
      assertThat(leader.id()).isEqualTo(0x2dc171858c3155beL);
      c.registerClient(0);
      c.cluster();
      c.describe();
      c.weight(3);
      int db = c.open("golden");
      c.execSql(
          db, "CREATE TABLE t (i, f REAL, s TEXT, b BLOB, ts DATETIME, ok BOOLEAN)", List.of());
      StatementInfo stmt = c.prepare(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)");
      c.exec(db, stmt.id(), Arrays.asList(1L, 2.5, "x", new byte[] {1, 2, 3}, "2024-01-01", true));
      c.exec(db, stmt.id(), Arrays.asList(null, null, null, null, null, null));
      c.finalizeStatement(db, stmt.id());
      c.execSql(
          db,
          "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000)"
              + " INSERT INTO t(i, s) SELECT x, 'row ' || x FROM n",
          List.of());
      try (Rows rows = c.querySql(db, "SELECT * FROM t", List.of())) {
        rows.readAll();
      }
      try {
        c.execSql(db, "SELEC", List.of());
      } catch (DqliteException expected) {
        // A FAILURE frame, recorded like the others.
      }
      c.dump("golden");

      Recording r = recordings.get(0);
      byte[] received = r.received.toByteArray();
      List<byte[]> frames = frames(received, 0);
      assertThat(frames.size()).isGreaterThan(15);
      List<ResponseType> types = new ArrayList<>();
      for (byte[] frame : frames) {
        MessageHeader h = MessageHeader.decode(Arrays.copyOf(frame, 8));
        Response decoded = Response.decode(h, Arrays.copyOfRange(frame, 8, frame.length));
        types.add(decoded.type());
        assertThat(Hex.of(decoded.encode()))
            .as("re-encoded %s", decoded.type())
            .isEqualTo(Hex.of(frame));
      }
      assertThat(types)
          .contains(
              ResponseType.NODE,
              ResponseType.WELCOME,
              ResponseType.NODES,
              ResponseType.METADATA,
              ResponseType.EMPTY,
              ResponseType.DB,
              ResponseType.RESULT,
              ResponseType.STMT,
              ResponseType.ROWS,
              ResponseType.FAILURE,
              ResponseType.FILES);

      // Hand-derived goldens for answers that do not depend on the run.
      assertThat(Hex.of(frames.get(1)))
          .isEqualTo("0100000002000000983a000000000000"); // welcome 15000
      assertThat(Hex.of(frames.get(4))).isEqualTo("01000000080000000000000000000000"); // empty
      assertThat(Hex.of(frames.get(5))).isEqualTo("01000000040000000000000000000000"); // db 0

      // And what we sent decodes back to the same bytes too.
      byte[] sent = r.sent.toByteArray();
      assertThat(Hex.of(Arrays.copyOf(sent, 8))).isEqualTo("0100000000000000");
      for (byte[] frame : frames(sent, 8)) {
        MessageHeader h = MessageHeader.decode(Arrays.copyOf(frame, 8));
        Request decoded = Request.decode(h, Arrays.copyOfRange(frame, 8, frame.length));
        assertThat(Hex.of(decoded.encode())).isEqualTo(Hex.of(frame));
      }
    }
  }
}
