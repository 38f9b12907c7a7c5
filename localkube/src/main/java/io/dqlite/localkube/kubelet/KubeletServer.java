package io.dqlite.localkube.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the kubelet API that {@code kubectl logs} needs: {@code GET
 * /containerLogs/<ns>/<pod>/<container>} with {@code tailLines}, {@code previous} and {@code
 * follow}, served over TLS on each node's address to clients with a certificate from the cluster CA
 * (the API server's kubelet client certificate). exec, attach and port-forward answer 501.
 */
public final class KubeletServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);
  private static final int MAX_TAIL = 100_000;

  /** Finds a container's log file: the current run, or the previous one. */
  public interface LogFiles {
    Optional<Path> find(String namespace, String pod, String container, boolean previous);
  }

  private final List<HttpsServer> servers;
  private final ExecutorService executor;
  private final int port;
  private volatile boolean closed;

  private KubeletServer(List<HttpsServer> servers, ExecutorService executor, int port) {
    this.servers = servers;
    this.executor = executor;
    this.port = port;
  }

  /** The port every listener uses. */
  public int port() {
    return port;
  }

  /** Starts one listener per address, all on {@code port}. */
  public static KubeletServer start(
      List<String> addresses, int port, Path cert, Path key, Path clientCa, LogFiles logs)
      throws IOException, GeneralSecurityException {
    SSLContext tls = tls(cert, key, clientCa);
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "localkube-kubelet-api");
              t.setDaemon(true);
              return t;
            });
    List<HttpsServer> servers = new java.util.ArrayList<>();
    KubeletServer server = new KubeletServer(servers, executor, port);
    try {
      for (String address : addresses) {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(address, port), 32);
        s.setHttpsConfigurator(
            new HttpsConfigurator(tls) {
              @Override
              public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
              }
            });
        s.createContext("/containerLogs/", ex -> server.logs(ex, logs));
        s.createContext("/healthz", ex -> reply(ex, 200, "ok"));
        s.createContext(
            "/",
            ex ->
                reply(
                    ex,
                    501,
                    "not simulated by the localkube node agent:"
                        + " only /containerLogs (kubectl logs) is served\n"));
        s.setExecutor(executor);
        s.start();
        servers.add(s);
      }
    } catch (IOException e) {
      server.close();
      throw new IOException("serve the kubelet API on port " + port + ": " + e.getMessage(), e);
    }
    LOG.info("kubelet API (logs) on {} port {}", addresses, port);
    return server;
  }

  private void logs(HttpExchange ex, LogFiles files) throws IOException {
    String[] parts = ex.getRequestURI().getPath().split("/");
    if (!"GET".equals(ex.getRequestMethod()) || parts.length != 5) {
      reply(ex, 400, "expected GET /containerLogs/<namespace>/<pod>/<container>\n");
      return;
    }
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    boolean previous = "true".equals(q.get("previous"));
    Optional<Path> file = files.find(parts[2], parts[3], parts[4], previous);
    if (file.isEmpty()) {
      reply(
          ex,
          404,
          "no "
              + (previous ? "previous " : "")
              + "log for container "
              + parts[4]
              + " of pod "
              + parts[2]
              + "/"
              + parts[3]
              + "\n");
      return;
    }
    int tail =
        q.containsKey("tailLines") ? Math.min(Integer.parseInt(q.get("tailLines")), MAX_TAIL) : -1;
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      long offset = writeExisting(file.get(), tail, out);
      if ("true".equals(q.get("follow"))) {
        follow(file.get(), offset, out);
      }
    }
  }

  private static long writeExisting(Path file, int tail, OutputStream out) throws IOException {
    if (tail < 0) {
      try (InputStream in = Files.newInputStream(file)) {
        return in.transferTo(out);
      }
    }
    Deque<String> last = new ArrayDeque<>();
    long size = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      size += line.getBytes(StandardCharsets.UTF_8).length + 1;
      last.addLast(line);
      if (last.size() > tail) {
        last.removeFirst();
      }
    }
    for (String line : last) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
    return Math.min(size, Files.size(file));
  }

  /** Streams what is appended until the client goes away or the server closes. */
  private void follow(Path file, long offset, OutputStream out) throws IOException {
    byte[] buf = new byte[8192];
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long pos = offset;
      while (!closed) {
        raf.seek(pos);
        int n = raf.read(buf);
        if (n > 0) {
          out.write(buf, 0, n);
          out.flush(); // a gone client fails here and ends the loop
          pos += n;
        } else {
          try {
            Thread.sleep(200); // polling a file: there is no portable change notification
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          q.put(
              URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  private static void reply(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static SSLContext tls(Path cert, Path key, Path clientCa)
      throws IOException, GeneralSecurityException {
    char[] password = "localkube".toCharArray();
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(Pem.keyStore(cert, key, password), password);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trust = Pem.trustStore(clientCa);
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** Stops every listener (open follow streams end within a poll interval). */
  @Override
  public void close() {
    closed = true;
    servers.forEach(s -> s.stop(0));
    executor.shutdownNow();
  }
}
