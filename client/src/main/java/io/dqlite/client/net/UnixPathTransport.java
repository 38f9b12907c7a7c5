package io.dqlite.client.net;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A {@link Transport} over a unix socket at a filesystem path, with the JDK's own support. */
final class UnixPathTransport extends StreamTransport {

  private final SocketChannel channel;

  private UnixPathTransport(SocketChannel channel, String address) {
    super(address, Channels.newInputStream(channel), Channels.newOutputStream(channel));
    this.channel = channel;
  }

  /** Connects; a local unix socket answers at once, so no timeout applies. */
  static UnixPathTransport connect(String address, Path path) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
      return new UnixPathTransport(channel, address);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  void closeUnderlying() throws IOException {
    channel.close();
  }
}
