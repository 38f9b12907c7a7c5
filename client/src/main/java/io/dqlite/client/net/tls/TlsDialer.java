package io.dqlite.client.net.tls;

import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.DqliteAddress;
import io.dqlite.client.net.SocketTransport;
import io.dqlite.client.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Dials TCP and completes a client-side TLS handshake within the dial timeout: go-dqlite's {@code
 * client.DialFuncWithTLS} (v1.11). {@link #mutual} and {@link #fromPemFiles} build go-dqlite's
 * {@code SimpleDialTLSConfig}: TLS 1.3 or 1.2, the client presents its certificate, and the server
 * must chain to the given authorities and carry the expected DNS name (by default the first DNS
 * name of the client's own certificate, as go-dqlite's {@code ServerName = cert.DNSNames[0]}: the
 * shared certificate, or one wildcard per cluster, that go-dqlite expects). A caller with its own
 * {@link SSLContext} uses the constructor.
 *
 * <p>Only TCP addresses: a unix socket is local and needs no TLS. The TCP socket gets {@code
 * TCP_NODELAY} unless {@link #withSocketOptions} says otherwise.
 */
public final class TlsDialer implements Dialer {

  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final char[] IN_MEMORY_PASSWORD = "dqlite".toCharArray();

  private final SSLContext context;
  private final String serverName;
  private final SocketOptions socketOptions;

  /** Settings for the TCP socket before it connects (e.g. keepalive). */
  @FunctionalInterface
  public interface SocketOptions {
    void apply(Socket socket) throws IOException;
  }

  /**
   * @param context a client context; its trust managers decide which servers are accepted
   * @param serverName sent as server name indication (when it is a valid host name), or null
   */
  public TlsDialer(SSLContext context, String serverName) {
    this(context, serverName, socket -> socket.setTcpNoDelay(true));
  }

  private TlsDialer(SSLContext context, String serverName, SocketOptions socketOptions) {
    this.context = Objects.requireNonNull(context, "context");
    this.serverName = serverName;
    this.socketOptions = Objects.requireNonNull(socketOptions, "socketOptions");
  }

  /**
   * This dialer with {@code options} applied to each TCP socket before it connects, in place of the
   * default {@code TCP_NODELAY} (the sidecar adds go-dqlite's keepalive settings).
   */
  public TlsDialer withSocketOptions(SocketOptions options) {
    return new TlsDialer(context, serverName, options);
  }

  /**
   * Mutual TLS as go-dqlite's {@code SimpleDialTLSConfig}.
   *
   * @param chain the client's certificate, leaf first
   * @param key its private key
   * @param authorities the authorities a server must chain to
   * @param serverName the DNS name a server's certificate must carry; null for the first DNS name
   *     of {@code chain[0]}
   * @throws IllegalArgumentException when no server name is given and the certificate has no DNS
   *     name
   */
  public static TlsDialer mutual(
      List<X509Certificate> chain,
      PrivateKey key,
      List<X509Certificate> authorities,
      String serverName) {
    String expected = serverName;
    if (expected == null || expected.isBlank()) {
      List<String> names = ServerNameTrustManager.dnsNames(chain.get(0));
      if (names.isEmpty()) {
        throw new IllegalArgumentException(
            "certificate "
                + chain.get(0).getSubjectX500Principal()
                + " has no DNS subject alternative name to expect from servers; add one (e.g."
                + " subjectAltName=DNS:dqlite) or give the server name (JDBC property"
                + " tlsServerName)");
      }
      expected = names.get(0);
    }
    X509ExtendedTrustManager trust =
        new ServerNameTrustManager(PkixTrust.of(authorities), expected);
    try {
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry(
          "client", key, IN_MEMORY_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(identity, IN_MEMORY_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), new TrustManager[] {trust}, null);
      return new TlsDialer(context, expected);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "the client certificate and key do not form a TLS identity: " + e.getMessage(), e);
    }
  }

  /**
   * {@link #mutual} from PEM files: certificate chain, unencrypted private key, authorities.
   *
   * @throws IOException naming the file that cannot be read or holds the wrong thing
   */
  public static TlsDialer fromPemFiles(
      Path certificate, Path key, Path authorities, String serverName) throws IOException {
    return mutual(
        PemFiles.readCertificates(certificate),
        PemFiles.readPrivateKey(key),
        PemFiles.readCertificates(authorities),
        serverName);
  }

  /**
   * The DNS subject alternative names of {@code certificate}, in certificate order (empty when it
   * has none): the first is the server name expected by default.
   */
  public static List<String> dnsNames(X509Certificate certificate) {
    return ServerNameTrustManager.dnsNames(certificate);
  }

  /** The server name expected (and sent as SNI), or null. */
  public String serverName() {
    return serverName;
  }

  /**
   * The client context, for callers that layer TLS over sockets or engines they manage themselves
   * (the sidecar's {@code TlsConfig}).
   */
  public SSLContext context() {
    return context;
  }

  @Override
  public Transport dial(String address, Duration timeout) throws IOException {
    DqliteAddress parsed = DqliteAddress.parseToDial(address);
    if (!(parsed instanceof DqliteAddress.Tcp tcp)) {
      throw new IOException("dial " + address + ": TLS needs a TCP host:port address");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Socket socket = new Socket();
    try {
      socketOptions.apply(socket);
      socket.connect(new InetSocketAddress(tcp.host(), tcp.port()), millisLeft(deadline));
      SSLSocket ssl =
          (SSLSocket) context.getSocketFactory().createSocket(socket, tcp.host(), tcp.port(), true);
      ssl.setUseClientMode(true);
      ssl.setSSLParameters(parameters());
      ssl.setSoTimeout(millisLeft(deadline));
      ssl.startHandshake();
      ssl.setSoTimeout(0); // from here the connection's own deadlines apply
      return new SocketTransport(ssl, address);
    } catch (SocketTimeoutException e) {
      socket.close();
      SocketTimeoutException timedOut =
          new SocketTimeoutException(
              "dial " + address + ": timed out after " + timeout.toMillis() + " ms");
      timedOut.initCause(e);
      throw timedOut;
    } catch (SSLException e) {
      socket.close();
      throw new IOException("dial " + address + ": TLS handshake failed: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw new IOException("dial " + address + ": " + e.getMessage(), e);
    }
  }

  private SSLParameters parameters() {
    SSLParameters p = context.getDefaultSSLParameters();
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
    p.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
    if (serverName != null) {
      try {
        p.setServerNames(List.of(new SNIHostName(serverName)));
      } catch (IllegalArgumentException e) {
        // a wildcard or an IP: no SNI, as Go
      }
    }
    return p;
  }

  private static int millisLeft(long deadline) throws SocketTimeoutException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  @Override
  public String toString() {
    return "TLS dialer expecting server name " + serverName;
  }
}
