package io.dqlite.client.net;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** Dials a unix socket at a filesystem path, with the JDK's own support. */
final class UnixPathTransport {

  private UnixPathTransport() {}

  /** Connects; a local unix socket answers at once, so no timeout applies. */
  static Transport connect(String address, Path path) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
      return new ChannelTransport(channel, channel::shutdownOutput, address);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
