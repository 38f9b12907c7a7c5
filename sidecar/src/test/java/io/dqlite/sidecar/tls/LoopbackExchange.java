package io.dqlite.sidecar.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.Principal;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * One TLS exchange on loopback between a listening and a dialling {@link TlsConfig}: the client
 * sends a byte, the server answers it plus one. Each side's failure is kept for the test to
 * inspect; sockets and the server thread are always released.
 */
final class LoopbackExchange {

  /** A bound on blocking reads, so that a broken exchange fails the test instead of hanging it. */
  private static final int SOCKET_TIMEOUT_MS = 60_000;

  /** What each side saw. */
  record Outcome(
      Throwable serverError,
      Throwable clientError,
      String protocol,
      Principal clientSeenByServer,
      Principal serverSeenByClient) {

    boolean succeeded() {
      return serverError == null && clientError == null;
    }
  }

  private LoopbackExchange() {}

  static Outcome run(TlsConfig listen, TlsConfig dial, String loopbackIp) throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(loopbackIp))) {
      Future<Principal> served = executor.submit(() -> serve(server, listen));
      Throwable clientError = null;
      String protocol = null;
      Principal serverSeen = null;
      try (Socket plain = new Socket()) {
        plain.connect(server.getLocalSocketAddress(), SOCKET_TIMEOUT_MS);
        plain.setSoTimeout(SOCKET_TIMEOUT_MS);
        try (SSLSocket tls = dial.wrap(plain)) {
          tls.startHandshake();
          protocol = tls.getSession().getProtocol();
          serverSeen = tls.getSession().getPeerPrincipal();
          tls.getOutputStream().write(41);
          tls.getOutputStream().flush();
          int reply = tls.getInputStream().read();
          if (reply != 42) {
            throw new IOException("server answered " + reply + " instead of 42");
          }
        }
      } catch (IOException e) {
        clientError = e;
      }
      Throwable serverError = null;
      Principal clientSeen = null;
      try {
        clientSeen = served.get(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        serverError = e.getCause();
      }
      return new Outcome(serverError, clientError, protocol, clientSeen, serverSeen);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private static Principal serve(ServerSocket server, TlsConfig listen) throws IOException {
    try (Socket plain = server.accept()) {
      plain.setSoTimeout(SOCKET_TIMEOUT_MS);
      try (SSLSocket tls = listen.wrap(plain)) {
        tls.startHandshake();
        Principal client = tls.getSession().getPeerPrincipal();
        InputStream in = tls.getInputStream();
        int request = in.read();
        if (request < 0) {
          throw new IOException("client closed before sending");
        }
        tls.getOutputStream().write(request + 1);
        tls.getOutputStream().flush();
        return client;
      }
    }
  }
}
