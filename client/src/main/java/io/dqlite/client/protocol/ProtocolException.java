package io.dqlite.client.protocol;

import io.dqlite.client.model.DqliteConnectionException;

/**
 * A message broke the dqlite wire protocol: truncated, malformed, of an unknown or unexpected type.
 * The connection it came from is closed, since its stream can no longer be trusted.
 */
public class ProtocolException extends DqliteConnectionException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong with the message
   * @param address the peer's address, or null when decoding detached bytes
   */
  public ProtocolException(String message, String address) {
    super(message, address, null);
  }

  /** This exception with the peer's address attached, for errors raised by pure decoders. */
  public ProtocolException withAddress(String peer) {
    ProtocolException e =
        new ProtocolException("protocol error from " + peer + ": " + getMessage(), peer);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
