package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.DqliteAddress;
import io.dqlite.client.net.SocketTransport;
import io.dqlite.client.net.Transport;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.Rows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps whose connections the application makes and accepts itself, as LXD tunnels dqlite through
 * its HTTPS server: here each node's "application" is a small HTTP upgrade endpoint on the node's
 * address.
 */
class ExternalConnectionIT {

  private static final String HOST = "127.0.7.14";
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String REQUEST = "GET /dqlite HTTP/1.1\r\nUpgrade: dqlite\r\n\r\n";

  @TempDir Path tmp;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @Test
  void threeNodesOverExternalConnections_formAClusterAndServeSql() throws Exception {
    List<App> apps = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      UpgradeEndpoint endpoint = new UpgradeEndpoint(Loopback.freeAddress(HOST));
      cleanup.add(endpoint);
      App app =
          App.builder(tmp.resolve("n" + i))
              .address(endpoint.address)
              .cluster(apps.stream().map(App::address).toList())
              .externalConnection(new ExternalConnection(new UpgradeDialer(), endpoint.accepted))
              .rolesAdjustmentFrequency(Duration.ofSeconds(1))
              .build();
      cleanup.add(app);
      app.ready(DEADLINE);
      assertThat(app.nodeBindAddress()).startsWith("@");
      apps.add(app);
    }
    await("3 voters")
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              try (var leader = apps.get(0).leader()) {
                assertThat(leader.cluster())
                    .extracting(NodeInfo::role)
                    .containsOnly(NodeRole.VOTER)
                    .hasSize(3);
              }
            });
    try (ProtocolConnection leader =
        new LeaderConnector(apps.get(2).store(), apps.get(2).connectorConfig()).connect()) {
      int db = leader.open("external");
      leader.execSql(db, "CREATE TABLE t (s TEXT)", List.of());
      leader.execSql(db, "INSERT INTO t VALUES ('tunnelled')", List.of());
      try (Rows rows = leader.querySql(db, "SELECT s FROM t", List.of())) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.row().values().get(0)).isEqualTo("tunnelled");
      }
    }
    // JDBC through App.open dials with the same upgrade dialer.
    try (Connection c = apps.get(1).open("external").getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT s FROM t")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("tunnelled");
    }
  }

  /** The dialling half: an HTTP upgrade request, then the 101 response is read and dropped. */
  private static final class UpgradeDialer implements Dialer {
    @Override
    public Transport dial(String address, Duration timeout) throws IOException {
      DqliteAddress.Tcp tcp = (DqliteAddress.Tcp) DqliteAddress.parse(address);
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(tcp.host(), tcp.port()), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
        String response = readHead(socket.getInputStream());
        if (!response.startsWith("HTTP/1.1 101")) {
          throw new IOException("dial " + address + ": no upgrade: " + response);
        }
        socket.setSoTimeout(0);
        return new SocketTransport(socket, address);
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    }
  }

  /** The accepting half: reads the request head and hands the connection to the App. */
  private static final class UpgradeEndpoint implements AutoCloseable {
    final String address;
    final BlockingQueue<Transport> accepted = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    private final Thread thread;

    UpgradeEndpoint(String address) throws IOException {
      this.address = address;
      DqliteAddress.Tcp tcp = (DqliteAddress.Tcp) DqliteAddress.parse(address);
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(tcp.host(), tcp.port()));
      thread = new Thread(this::accept, "upgrade-endpoint-" + address);
      thread.setDaemon(true);
      thread.start();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          socket.setSoTimeout(5_000);
          String head = readHead(socket.getInputStream());
          socket.setSoTimeout(0);
          if (head.startsWith("GET /dqlite")) {
            accepted.add(
                new SocketTransport(socket, String.valueOf(socket.getRemoteSocketAddress())));
          } else {
            socket.close();
          }
        } catch (IOException e) {
          // Closed, or a peer that went away mid-request.
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      accepted.forEach(Transport::close);
    }
  }

  /** Reads up to and including the blank line ending an HTTP head, one byte at a time. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside the HTTP head: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
      if (head.size() > 8192) {
        throw new IOException("HTTP head too long");
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
