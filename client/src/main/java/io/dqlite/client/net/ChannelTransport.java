package io.dqlite.client.net;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;

/**
 * A {@link Transport} over a byte channel: a JDK socket channel (a unix socket at a path, dialled
 * or accepted), or the sidecar's end of a socketpair whose other end went to libdqlite. One thread
 * reads and one writes.
 */
public final class ChannelTransport extends StreamTransport {

  /** Closes a channel's writing half (sockets can, a plain {@link ByteChannel} cannot). */
  @FunctionalInterface
  public interface HalfClose {
    void shutdownOutput() throws IOException;
  }

  private final ByteChannel channel;
  private final HalfClose halfClose;

  /**
   * @param channel the channel; closing this transport closes it
   * @param halfClose how to close its writing half, e.g. {@code socketChannel::shutdownOutput}
   * @param address what the other end stands for, for messages
   */
  public ChannelTransport(ByteChannel channel, HalfClose halfClose, String address) {
    super(address, Channels.newInputStream(channel), Channels.newOutputStream(channel));
    this.channel = channel;
    this.halfClose = halfClose;
  }

  @Override
  public void shutdownOutput() throws IOException {
    halfClose.shutdownOutput();
  }

  @Override
  void closeUnderlying() throws IOException {
    channel.close();
  }
}
