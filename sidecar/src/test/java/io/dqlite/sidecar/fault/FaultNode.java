package io.dqlite.sidecar.fault;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One sidecar process ({@code java -jar target/dqlite-sidecar.jar} through the launcher) inside its
 * own network namespace, with its data directory on a tmpfs of its own. {@code ip netns exec} and
 * the launcher both exec, so the process's pid is the JVM's: signals reach the node itself.
 */
final class FaultNode implements AutoCloseable {

  static final int DB_PORT = 9001;
  static final int ADMIN_PORT = 8081;

  /** The app socket's name; abstract sockets are per network namespace, so every node has one. */
  static final String SOCKET = "@dqlite-fault";

  private static final Path LAUNCHER = Path.of("src/main/dist/bin/dqlite-sidecar");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final int index;
  private final String zone;
  private final FaultNetwork net;
  private final Tmpfs disk;
  private final Path log;
  private final List<String> tlsFlags;
  private Process process;

  /**
   * @param tlsFlags the sidecar's TLS flags (certificate, key, authorities), as a DqliteCluster has
   *     them by default
   */
  FaultNode(
      int index,
      String zone,
      FaultNetwork net,
      Path base,
      int diskMegabytes,
      List<String> tlsFlags) {
    this.tlsFlags = List.copyOf(tlsFlags);
    this.index = index;
    this.zone = zone;
    this.net = net;
    this.disk = Tmpfs.mount(base.resolve("n" + index), diskMegabytes);
    this.log = base.resolve("n" + index + ".log");
  }

  int index() {
    return index;
  }

  String zone() {
    return zone;
  }

  String address() {
    return net.ip(index) + ":" + DB_PORT;
  }

  Tmpfs disk() {
    return disk;
  }

  /** Starts the sidecar (again, after a kill: with its data it ignores {@code join}). */
  void start(String join) {
    if (isAlive()) {
      throw new IllegalStateException(this + " is already running");
    }
    List<String> cmd = new ArrayList<>(net.exec(index));
    cmd.addAll(
        List.of(
            "bash",
            LAUNCHER.toString(),
            "--dir",
            disk.dir().toString(),
            "--address",
            address(),
            "--app-socket",
            SOCKET,
            "--admin-address",
            net.ip(index) + ":" + ADMIN_PORT,
            "--admin-auth",
            "none",
            "--zone",
            zone,
            "--voters",
            "3",
            "--standbys",
            "3",
            "--roles-adjustment-frequency",
            "1s",
            "--status-interval",
            "1s",
            "--handover-timeout",
            "10s",
            "--pod-labels-file",
            disk.dir().resolve("no-labels").toString()));
    cmd.addAll(tlsFlags);
    if (join != null && !join.equals(address())) {
      cmd.addAll(List.of("--join", join));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DQLITE_HOME", jar().toAbsolutePath().getParent().toString());
    pb.environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().remove("JAVA_OPTS");
    try {
      process =
          pb.redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("start " + cmd, e);
    }
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("dqlite.sidecar.jar", "target/dqlite-sidecar.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package (or verify) first");
    }
    return jar;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and waits for the exit. */
  void kill9() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    await(this + " dead").atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
  }

  /** SIGSTOP: the process stays, its sockets stay open, and nothing answers. */
  void freeze() {
    Cmd.run("kill", "-STOP", Long.toString(process.pid()));
  }

  /** SIGCONT. */
  void thaw() {
    Cmd.run("kill", "-CONT", Long.toString(process.pid()));
  }

  /**
   * {@code GET /cluster}, or empty when the node does not answer 200 within 10 s (a view probes
   * every member for up to 2 s, and a frozen one takes all of it).
   */
  Optional<JsonNode> cluster() {
    return get("/cluster", Duration.ofSeconds(10))
        .flatMap(
            body -> {
              try {
                return Optional.of(JSON.readTree(body));
              } catch (IOException e) {
                return Optional.empty();
              }
            });
  }

  boolean ready() {
    return readyz().isPresent();
  }

  /**
   * The leader this node's last status names ({@code /readyz}: "ready: voter, leader ADDRESS",
   * answered from memory, so it stays quick while a member is frozen), or empty when not ready.
   */
  Optional<String> leaderSeen() {
    return readyz()
        .map(body -> body.substring(body.lastIndexOf("leader ") + "leader ".length()).strip())
        .filter(a -> !a.equals("?"));
  }

  private Optional<String> readyz() {
    return get("/readyz", Duration.ofSeconds(3));
  }

  private Optional<String> get(String path, Duration timeout) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://" + net.ip(index) + ":" + ADMIN_PORT + path))
            .timeout(timeout)
            .GET()
            .build();
    try {
      HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  String logTail(int lines) {
    try {
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ")";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      // A frozen process takes SIGKILL too, but is only reaped once it runs.
      Cmd.attempt("kill", "-CONT", Long.toString(process.pid()));
      kill9();
    }
    disk.close();
  }

  @Override
  public String toString() {
    return "n" + index + " (" + address() + ", " + zone + ")";
  }
}
