package io.dqlite.sidecar.proxy;

import io.dqlite.sidecar.node.NativeSockets;
import java.io.IOException;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;

/**
 * The TCP settings go-dqlite's proxy gives the network side of a proxied connection ({@code
 * setKeepalive} in app/proxy.go, v1.11.9): keepalive probes after 3 s idle, every 3 s, 3 of them,
 * so a vanished peer is noticed in about 12 s. go-dqlite also sets {@code TCP_USER_TIMEOUT} (30 s);
 * keepalive alone does not cover a connection with data in flight, which sits in TCP's
 * retransmission backoff through a partition, so the user timeout is set too, as on the plain raft
 * sockets ({@link NativeSockets#setUserTimeout}; 10 s).
 */
public final class TcpOptions {

  /** Idle time before the first probe, probe interval and probe count, as go-dqlite. */
  public static final int KEEPALIVE_SECONDS = 3;

  public static final int KEEPALIVE_PROBES = 3;

  private TcpOptions() {}

  /** Applies keepalive and TCP_NODELAY; options the platform lacks are skipped. */
  public static void apply(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    socket.setKeepAlive(true);
    trySet(socket, ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_SECONDS);
    trySet(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_SECONDS);
    trySet(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
    NativeSockets.setUserTimeout(socket);
  }

  private static void trySet(Socket socket, java.net.SocketOption<Integer> option, int value)
      throws IOException {
    try {
      socket.setOption(option, value);
    } catch (UnsupportedOperationException e) {
      // Not on this platform: the system defaults apply.
    }
  }
}
