package io.dqlite.client.net;

import java.io.IOException;
import java.time.Duration;

/**
 * Opens a {@link Transport} to an address: go-dqlite's {@code DialFunc}. {@link
 * DefaultDialer#INSTANCE} handles plain TCP and unix sockets; a TLS dialer can be plugged in
 * instead.
 */
@FunctionalInterface
public interface Dialer {

  /**
   * Connects to {@code address}.
   *
   * @param address {@code host:port}, {@code [ipv6]:port}, {@code @abstract-name}, {@code
   *     /path/to/socket} or {@code unix:/path/to/socket}
   * @param timeout how long connecting may take
   * @throws IOException if the connection cannot be established in time; the message names the
   *     address
   */
  Transport dial(String address, Duration timeout) throws IOException;
}
