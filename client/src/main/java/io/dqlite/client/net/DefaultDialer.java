package io.dqlite.client.net;

import java.io.IOException;
import java.time.Duration;

/**
 * Dials plain TCP, abstract unix sockets (through JNA, loaded only when such an address is used)
 * and filesystem unix sockets. Host names are resolved by the JDK, outside the dial timeout.
 */
public final class DefaultDialer implements Dialer {

  /** The shared instance; the dialer has no state. */
  public static final DefaultDialer INSTANCE = new DefaultDialer();

  private DefaultDialer() {}

  @Override
  public Transport dial(String address, Duration timeout) throws IOException {
    DqliteAddress parsed = DqliteAddress.parseToDial(address);
    try {
      if (parsed instanceof DqliteAddress.Tcp tcp) {
        return SocketTransport.connect(address, tcp.host(), tcp.port(), timeout);
      } else if (parsed instanceof DqliteAddress.AbstractUnix abs) {
        return AbstractUnixSocket.connect(abs.name(), timeout);
      } else {
        return UnixPathTransport.connect(address, ((DqliteAddress.UnixPath) parsed).path());
      }
    } catch (IOException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (message.contains(address)) {
        throw e;
      }
      IOException wrapped;
      if (e instanceof java.net.SocketTimeoutException) {
        wrapped = new java.net.SocketTimeoutException("dial " + address + ": " + message);
        wrapped.initCause(e);
      } else {
        wrapped = new IOException("dial " + address + ": " + message, e);
      }
      throw wrapped;
    }
  }
}
