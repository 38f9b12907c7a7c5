package io.dqlite.sidecar.proxy;

import io.dqlite.client.net.Transport;
import io.dqlite.sidecar.node.FdChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;

/**
 * A {@link Transport} over the Java end of a socketpair whose other end went to libdqlite through
 * the connect function. One thread reads and one writes, as {@link Proxy} uses it.
 */
public final class FdTransport implements Transport {

  private final FdChannel channel;
  private final String address;
  private final InputStream in;
  private final OutputStream out;

  /**
   * @param channel the Java end; closing this transport closes it
   * @param address what the other end stands for, for messages (the node dialled)
   */
  public FdTransport(FdChannel channel, String address) {
    this.channel = channel;
    this.address = address;
    this.in = Channels.newInputStream(channel);
    this.out = Channels.newOutputStream(channel);
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
    channel.close();
  }
}
