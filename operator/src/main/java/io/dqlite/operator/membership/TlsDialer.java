package io.dqlite.operator.membership;

import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.DqliteAddress;
import io.dqlite.client.net.SocketTransport;
import io.dqlite.client.net.Transport;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Dials dqlite nodes over mutual TLS as the sidecars do (go-dqlite's {@code SimpleDialTLSConfig}):
 * the cluster's certificate as client identity, its CA as the only authority, and the server
 * expected to carry the first DNS name of that certificate (checked through SNI and the JDK's
 * endpoint identification), whatever address was dialled.
 */
public final class TlsDialer implements Dialer {

  private static final char[] PASSWORD = "dqlite".toCharArray();

  private final SSLContext context;
  private final String serverName;

  private TlsDialer(SSLContext context, String serverName) {
    this.context = context;
    this.serverName = serverName;
  }

  /**
   * A dialer from PEM text: {@code tls.crt} (certificate chain), {@code tls.key} (PKCS#8, SEC1 or
   * PKCS#1) and {@code ca.crt}.
   *
   * @throws IllegalArgumentException when the PEM cannot be read or the certificate has no DNS name
   */
  public static TlsDialer fromPem(String certificatePem, String keyPem, String caPem) {
    try {
      List<X509Certificate> chain = certificates(certificatePem, "tls.crt");
      List<X509Certificate> authorities = certificates(caPem, "ca.crt");
      PrivateKey key = privateKey(keyPem);
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry("node", key, PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(identity, PASSWORD);
      KeyStore roots = KeyStore.getInstance("PKCS12");
      roots.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        roots.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(roots);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return new TlsDialer(context, expectedServerName(chain.get(0)));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("load the cluster's TLS files: " + e.getMessage(), e);
    }
  }

  /**
   * The name servers must carry: the certificate's first DNS name, as go-dqlite expects. A wildcard
   * cannot travel in SNI, so {@code *.x} becomes {@code dqlite.x}, which it covers.
   */
  static String expectedServerName(X509Certificate certificate) throws CertificateException {
    Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        if (Integer.valueOf(2).equals(san.get(0))) {
          String name = (String) san.get(1);
          return name.startsWith("*.") ? "dqlite" + name.substring(1) : name;
        }
      }
    }
    throw new CertificateException(
        "certificate "
            + certificate.getSubjectX500Principal()
            + " has no DNS subject alternative name; dqlite nodes expect their peers to carry"
            + " the first one");
  }

  public String serverName() {
    return serverName;
  }

  @Override
  public Transport dial(String address, Duration timeout) throws IOException {
    DqliteAddress parsed;
    try {
      parsed = DqliteAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (!(parsed instanceof DqliteAddress.Tcp tcp)) {
      throw new IOException("dial " + address + ": TLS needs a TCP address");
    }
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(tcp.host(), tcp.port()), millis);
      SSLSocket ssl =
          (SSLSocket) context.getSocketFactory().createSocket(socket, tcp.host(), tcp.port(), true);
      SSLParameters parameters = context.getDefaultSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(parameters);
      ssl.setSoTimeout(millis);
      ssl.startHandshake();
      ssl.setSoTimeout(0);
      return new SocketTransport(ssl, address);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw new IOException("dial " + address + " over TLS: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(String pem, String what)
      throws IOException, CertificateException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new CertificateException(what + " holds no PEM certificate");
    }
    return certificates;
  }

  private static PrivateKey privateKey(String pem) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    }
    throw new IOException("tls.key holds no unencrypted PEM private key");
  }
}
