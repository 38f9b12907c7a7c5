package io.dqlite.client.net.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS server in front of a plain dqlite node, as a TLS-enabled node would be: the JDK's TLS
 * stack, mutual authentication required, bytes copied both ways to the node.
 */
final class TlsTerminator implements AutoCloseable {

  private final SSLServerSocket server;
  private final String backend;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  TlsTerminator(String host, TestPki.Issued identity, TestPki.Issued authority, String backend)
      throws Exception {
    this.backend = backend;
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "node",
        identity.keys().getPrivate(),
        "x".toCharArray(),
        new java.security.cert.X509Certificate[] {identity.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(keys, "x".toCharArray());
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("ca", authority.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(roots);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    server =
        (SSLServerSocket)
            context.getServerSocketFactory().createServerSocket(0, 16, InetAddress.getByName(host));
    server.setNeedClientAuth(true);
    acceptor = new Thread(this::acceptLoop, "tls-terminator");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String address() {
    return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        String[] hostPort = backend.split(":");
        Socket node = new Socket();
        sockets.add(node);
        node.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5000);
        pump(client, node);
        pump(node, client);
      } catch (IOException e) {
        // closed, or one connection failed: keep serving until closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // a handshake the client failed, or a side hung up
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tls-terminator-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    acceptor.join(10_000);
  }
}
