package io.dqlite.sidecar.proxy;

import io.dqlite.client.net.ChannelTransport;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.Transport;
import io.dqlite.sidecar.node.FdChannel;
import io.dqlite.sidecar.node.NativeSockets;
import io.dqlite.sidecar.node.NodeConnector;
import java.io.IOException;
import java.time.Duration;

/**
 * Raft's outgoing connections through a Java {@link Dialer}: the dialer connects (TLS, or an
 * external connection), a socketpair is made, one end goes to libdqlite and the other is proxied to
 * the dialled connection. go-dqlite's {@code makeNodeDialFunc} and {@code extDialFuncWithProxy}
 * (app/dial.go, v1.11.9). libdqlite bounds the whole call to 5 s.
 */
public final class ProxiedNodeConnector implements NodeConnector {

  private final Dialer dialer;
  private final ProxyGroup group;

  /**
   * @param dialer reaches other nodes (e.g. {@link io.dqlite.client.net.tls.TlsDialer})
   * @param group runs the copying; the connections end when it is closed
   */
  public ProxiedNodeConnector(Dialer dialer, ProxyGroup group) {
    this.dialer = dialer;
    this.group = group;
  }

  @Override
  public int connect(String address, Duration timeout) throws IOException {
    if (group.isClosed()) {
      throw new IOException("connect " + address + ": the node is shutting down");
    }
    Transport remote = dialer.dial(address, timeout);
    NativeSockets.SocketPair pair;
    try {
      pair = NativeSockets.socketPair();
    } catch (IOException e) {
      remote.close();
      throw new IOException(
          "connect " + address + ": create pair of unix sockets: " + e.getMessage(), e);
    }
    FdChannel local = new FdChannel(pair.first());
    group.start(
        remote, new ChannelTransport(local, local::shutdownOutput, "socketpair:" + address));
    return pair.second();
  }
}
