package io.dqlite.client.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A {@link Transport} over a unix socket at a filesystem path, with the JDK's own support. */
final class UnixPathTransport implements Transport {

  private final SocketChannel channel;
  private final String address;
  private final InputStream in;
  private final OutputStream out;

  private UnixPathTransport(SocketChannel channel, String address) {
    this.channel = channel;
    this.address = address;
    this.in = Channels.newInputStream(channel);
    this.out = Channels.newOutputStream(channel);
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
  public InputStream input() {
    return in;
  }

  @Override
  public OutputStream output() {
    return out;
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing is best effort: the channel is unusable either way.
    }
  }
}
