package io.dqlite.sidecar.tls;

import io.dqlite.client.net.tls.TlsDialer;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One side's TLS settings, the Java form of a Go {@code tls.Config}: an {@link SSLContext} and the
 * {@link SSLParameters} every connection gets. Built by {@link SimpleTls}; immutable and shared.
 */
public final class TlsConfig {

  private final SSLContext context;
  private final TlsDialer dialer;
  private final boolean clientMode;
  private final List<String> protocols;
  private final List<SNIServerName> serverNames;

  /**
   * @param dialer the dial side's dialer (sharing {@code context}), null for the listen side
   */
  TlsConfig(
      SSLContext context,
      TlsDialer dialer,
      List<String> protocols,
      List<SNIServerName> serverNames) {
    this.context = context;
    this.dialer = dialer;
    this.clientMode = dialer != null;
    this.protocols = List.copyOf(protocols);
    this.serverNames = List.copyOf(serverNames);
  }

  public SSLContext context() {
    return context;
  }

  /** True for the dialling side, false for the listening side. */
  public boolean clientMode() {
    return clientMode;
  }

  /**
   * The dial side as a {@link io.dqlite.client.net.Dialer} (go-dqlite's {@code DialFuncWithTLS}):
   * TCP, then the handshake, within the dial timeout.
   *
   * @throws IllegalStateException for a listen configuration
   */
  public TlsDialer dialer() {
    if (dialer == null) {
      throw new IllegalStateException(
          "the TLS configuration is a server (listen) one; give the dial configuration"
              + " (SimpleTls.dial)");
    }
    return dialer;
  }

  /** A fresh copy of the parameters: protocols, client authentication, server name indication. */
  public SSLParameters parameters() {
    SSLParameters parameters = context.getDefaultSSLParameters();
    parameters.setProtocols(protocols.toArray(String[]::new));
    if (clientMode) {
      if (!serverNames.isEmpty()) {
        parameters.setServerNames(serverNames);
      }
    } else {
      parameters.setNeedClientAuth(true);
    }
    return parameters;
  }

  /**
   * Layers TLS over a connected socket; closing the result closes {@code socket}. The handshake
   * happens on first use, or explicitly with {@link SSLSocket#startHandshake()}.
   */
  public SSLSocket wrap(Socket socket) throws IOException {
    String host = socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress();
    SSLSocket ssl =
        (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
    ssl.setUseClientMode(clientMode);
    ssl.setSSLParameters(parameters());
    return ssl;
  }

  /** An engine for non-blocking use, set to this side's mode and parameters. */
  public SSLEngine createEngine(String peerHost, int peerPort) {
    SSLEngine engine = context.createSSLEngine(peerHost, peerPort);
    engine.setUseClientMode(clientMode);
    engine.setSSLParameters(parameters());
    return engine;
  }
}
