package io.dqlite.localkube.probes;

import io.dqlite.localkube.process.ProcessTrees;
import io.dqlite.localkube.volumes.MountMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Runs probe and lifecycle-hook actions against a container that is a local process: exec runs the
 * command with the container's env and mount rewriting; httpGet and tcpSocket go to the pod IP
 * (HTTPS without certificate checks, as the kubelet does).
 */
public final class Handlers {
  private final HttpClient http;
  private final HttpClient https;

  public Handlers() {
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.https =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(trustAll())
            .build();
  }

  /** A result: success and a message for events and status. */
  public record Result(boolean ok, String message) {}

  /** What an action needs to know about its container. */
  public record Target(
      Container container,
      String podIp,
      Map<String, String> env,
      MountMapper mounts,
      File workingDir) {}

  /** Runs a probe's action. */
  public Result probe(Probe p, Target t, Duration timeout) {
    if (p.getExec() != null) {
      return exec(p.getExec(), t, timeout);
    }
    if (p.getHttpGet() != null) {
      return httpGet(p.getHttpGet(), t, timeout);
    }
    if (p.getTcpSocket() != null) {
      return tcp(p.getTcpSocket(), t, timeout);
    }
    return new Result(false, "probe type not simulated (supported: exec, httpGet, tcpSocket)");
  }

  /** Runs a lifecycle hook (preStop, postStart); {@code timeout} is what is left of the grace. */
  public Result hook(LifecycleHandler h, Target t, Duration timeout) {
    if (h.getExec() != null) {
      return exec(h.getExec(), t, timeout);
    }
    if (h.getHttpGet() != null) {
      return httpGet(h.getHttpGet(), t, timeout);
    }
    if (h.getSleep() != null) {
      long seconds = Math.min(h.getSleep().getSeconds(), timeout.toSeconds());
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the hook's own semantics: wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Result(true, "slept " + seconds + "s");
    }
    if (h.getTcpSocket() != null) {
      return tcp(h.getTcpSocket(), t, timeout);
    }
    return new Result(false, "lifecycle handler type not simulated");
  }

  Result exec(ExecAction a, Target t, Duration timeout) {
    if (a.getCommand() == null || a.getCommand().isEmpty()) {
      return new Result(false, "exec: empty command");
    }
    List<String> argv = t.mounts().rewrite(a.getCommand());
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(t.env());
    if (t.workingDir() != null) {
      pb.directory(t.workingDir());
    }
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTrees.destroy(p.toHandle(), Duration.ofSeconds(1));
        return new Result(false, "exec " + argv + " timed out after " + timeout);
      }
      String out = new String(p.getInputStream().readNBytes(4096)).trim();
      return new Result(
          p.exitValue() == 0,
          p.exitValue() == 0
              ? out
              : "exec " + argv + " exited " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
    } catch (IOException e) {
      return new Result(false, "exec " + argv + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "exec interrupted");
    }
  }

  Result httpGet(HTTPGetAction a, Target t, Duration timeout) {
    String host = a.getHost() == null || a.getHost().isEmpty() ? t.podIp() : a.getHost();
    int port;
    try {
      port = port(a.getPort(), t.container());
    } catch (IllegalArgumentException e) {
      return new Result(false, e.getMessage());
    }
    boolean secure = "HTTPS".equalsIgnoreCase(a.getScheme());
    String path = a.getPath() == null || a.getPath().isEmpty() ? "/" : a.getPath();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    URI uri = URI.create((secure ? "https://" : "http://") + host + ":" + port + path);
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri).timeout(timeout).GET().header("User-Agent", "kube-probe/1.36");
    if (a.getHttpHeaders() != null) {
      for (HTTPHeader h : a.getHttpHeaders()) {
        req.setHeader(h.getName(), h.getValue());
      }
    }
    try {
      HttpResponse<Void> resp =
          (secure ? https : http).send(req.build(), HttpResponse.BodyHandlers.discarding());
      int code = resp.statusCode();
      boolean ok = code >= 200 && code < 400;
      return new Result(ok, ok ? "" : "HTTP probe failed with statuscode: " + code);
    } catch (IOException e) {
      return new Result(false, "Get \"" + uri + "\": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }

  Result tcp(TCPSocketAction a, Target t, Duration timeout) {
    String host = a.getHost() == null || a.getHost().isEmpty() ? t.podIp() : a.getHost();
    try (Socket s = new Socket()) {
      int port = port(a.getPort(), t.container());
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return new Result(true, "");
    } catch (IOException | IllegalArgumentException e) {
      return new Result(false, "dial tcp " + host + ": " + e.getMessage());
    }
  }

  /** A numeric port, or a named one looked up in the container's ports. */
  static int port(IntOrString port, Container c) {
    if (port == null) {
      throw new IllegalArgumentException("no port given");
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    if (name.chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(name);
    }
    if (c.getPorts() != null) {
      for (ContainerPort p : c.getPorts()) {
        if (name.equals(p.getName())) {
          return p.getContainerPort();
        }
      }
    }
    throw new IllegalArgumentException("container " + c.getName() + " has no port named " + name);
  }

  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      // An X509ExtendedTrustManager: JSSE wraps a plain X509TrustManager and then still checks
      // the host name, which a probe to a pod IP would fail.
      TrustManager tm =
          new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          };
      ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("TLS context for HTTPS probes", e);
    }
  }
}
