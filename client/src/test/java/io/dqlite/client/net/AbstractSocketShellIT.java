package io.dqlite.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.protocol.ClientRequest;
import io.dqlite.client.protocol.ClusterRequest;
import io.dqlite.client.protocol.LeaderRequest;
import io.dqlite.client.protocol.MessageHeader;
import io.dqlite.client.protocol.NodeResponse;
import io.dqlite.client.protocol.NodesResponse;
import io.dqlite.client.protocol.Request;
import io.dqlite.client.protocol.WelcomeResponse;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * go-dqlite's own shell ({@code dqlite -s @name}) dials the Java abstract-socket listener: it must
 * arrive with the protocol version, and go-dqlite must accept our encoding of its answers.
 */
@Timeout(120) // a safety net against hangs, not a speed assertion
class AbstractSocketShellIT {

  @Test
  void goDqliteShellReachesAJavaAbstractListener() throws Exception {
    String name = "dqlite-java-it-" + UUID.randomUUID();
    List<String> seen = new ArrayList<>();
    CompletableFuture<String> handshake = new CompletableFuture<>();
    try (AbstractUnixServerSocket server = AbstractUnixServerSocket.bind(name, 16)) {
      Thread acceptor =
          new Thread(
              () -> {
                // go-dqlite's FindLeader, then Cluster, possibly on several connections.
                while (!server.isClosed()) {
                  try (AbstractUnixSocket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.input());
                    byte[] version = new byte[8];
                    in.readFully(version);
                    handshake.complete(HexFormat.of().formatHex(version));
                    while (true) {
                      byte[] h = new byte[8];
                      in.readFully(h);
                      MessageHeader header = MessageHeader.decode(h);
                      byte[] body = new byte[(int) header.bodyBytes()];
                      in.readFully(body);
                      Request request = Request.decode(header, body);
                      synchronized (seen) {
                        seen.add(request.type().toString());
                      }
                      if (request instanceof LeaderRequest) {
                        s.output()
                            .write(new NodeResponse(0x2dc171858c3155beL, "@" + name).encode());
                      } else if (request instanceof ClientRequest) {
                        s.output().write(new WelcomeResponse(15000).encode());
                      } else if (request instanceof ClusterRequest) {
                        s.output()
                            .write(
                                new NodesResponse(
                                        NodesResponse.FORMAT_V1,
                                        List.of(
                                            new NodeInfo(
                                                0x2dc171858c3155beL, "@" + name, NodeRole.VOTER),
                                            new NodeInfo(0x42, "127.0.0.1:1", NodeRole.STANDBY)))
                                    .encode());
                      } else {
                        break;
                      }
                    }
                  } catch (Exception e) {
                    // The shell hung up or the listener closed: serve the next connection.
                  }
                }
              },
              "java-abstract-listener");
      acceptor.setDaemon(true);
      acceptor.start();

      Process shell =
          new ProcessBuilder("dqlite", "-s", "@" + name, "demo", ".cluster")
              .redirectErrorStream(true)
              .start();
      try {
        boolean exited = shell.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
          shell.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("dqlite shell exited; output: %s", output).isTrue();
        assertThat(handshake.get(10, TimeUnit.SECONDS)).isEqualTo("0100000000000000");
        assertThat(output)
            .contains("2dc171858c3155be|@" + name + "|voter")
            .contains("42|127.0.0.1:1|stand-by");
        synchronized (seen) {
          assertThat(seen).containsSubsequence("leader", "client", "cluster");
        }
      } finally {
        shell.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
        shell.waitFor(10, TimeUnit.SECONDS);
      }
      server.close();
      acceptor.join(10_000);
    }
  }
}
