package io.dqlite.e2e.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * The operator's shaded jar (the image's content) as a local process with the admin kubeconfig,
 * watching every namespace, without leader election, its health and metrics on a free port of
 * 127.0.0.1's wildcard. Output appended to a log file. {@link #stop()} and {@link #start()} let a
 * test run the chart's operator pod instead for a while.
 */
public final class OperatorProcess implements AutoCloseable {

  private final Path jar;
  private final Path kubeconfig;
  private final Path log;
  private final Thread hook = new Thread(this::kill, "e2e-operator-kill");
  private Process process;
  private int port;

  private OperatorProcess(Path jar, Path kubeconfig, Path log) {
    this.jar = jar;
    this.kubeconfig = kubeconfig;
    this.log = log;
  }

  static OperatorProcess start(Path jar, Path kubeconfig, Path log) throws IOException {
    OperatorProcess p = new OperatorProcess(jar, kubeconfig, log);
    Runtime.getRuntime().addShutdownHook(p.hook);
    p.start();
    return p;
  }

  /** Starts the process (again); returns at once, see {@link #awaitReady}. */
  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "java", "-XX:+ExitOnOutOfMemoryError", "-Xmx384m", "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("LEADER_ELECTION_ENABLED", "false");
    pb.environment().put("WATCH_NAMESPACES", "");
    pb.environment().put("DQLITE_OPERATOR_HTTP_PORT", Integer.toString(port));
    process = pb.start();
  }

  /** Waits for {@code /readyz} to answer 200. */
  public void awaitReady(Duration atMost) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    Awaitility.await("operator /readyz on port " + port + " (log " + log + ")")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "the operator exited with " + process.exitValue() + "; its log:\n" + tail(40));
              }
              try {
                return http.send(
                            HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              } catch (IOException e) {
                return false;
              }
            });
  }

  /** SIGTERM, then SIGKILL after 30 s; idempotent. */
  public synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!E2eEnvironment.waitFor(process, Duration.ofSeconds(30))) {
      kill();
    }
  }

  /** SIGKILL (a crash: no shutdown hook, nothing finished), and waits for the exit; idempotent. */
  public synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      E2eEnvironment.waitFor(process, Duration.ofSeconds(10));
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The health and metrics port (on every address of this machine). */
  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  /** The last lines of the operator's log. */
  public String tail(int lines) {
    return Logs.tail(log, lines);
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
