package io.dqlite.sidecar.daemon;

import static org.awaitility.Awaitility.await;

import io.dqlite.client.leader.YamlNodeStore;
import io.dqlite.sidecar.api.AdminApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;

/**
 * One sidecar process for integration tests, started through the launcher script {@code
 * src/main/dist/bin/dqlite-sidecar} (which execs {@code java -jar target/dqlite-sidecar.jar} with
 * its default JVM flags, so the process is the JVM itself).
 */
final class SidecarProcess implements AutoCloseable {

  static final Path LAUNCHER = Path.of("src/main/dist/bin/dqlite-sidecar");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String host;
  private final int dbPort;
  private final int adminPort;
  private final String socket;
  private final Path dir;
  private final Path log;
  private final List<String> extra;
  private final Path tokenFile;
  private final String token;
  private Engine engine;
  private final Path base;
  private Process process;

  SidecarProcess(String host, Path base, String socket, List<String> extra) {
    this(host, base, socket, extra, Engine.fromProperty());
  }

  /** A sidecar on {@code engine}'s libdqlite (the host's 1.11.1 or the trixie root's 1.18.1). */
  SidecarProcess(String host, Path base, String socket, List<String> extra, Engine engine) {
    this.engine = engine;
    this.base = base.toAbsolutePath();
    this.host = host;
    this.dbPort = freePort(host);
    this.adminPort = freePort(host);
    this.socket = socket;
    this.dir = base.resolve(host + "-" + dbPort);
    this.log = base.resolve(host + "-" + dbPort + ".log");
    this.extra = List.copyOf(extra);
    // Each sidecar gets its admin token from a file, as from the operator's mounted Secret.
    this.tokenFile = base.resolve(host + "-" + dbPort + ".token");
    this.token = "token-" + host + "-" + dbPort;
    try {
      Files.writeString(tokenFile, token + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("write " + tokenFile, e);
    }
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("dqlite.sidecar.jar", "target/dqlite-sidecar.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package (or verify) first");
    }
    return jar;
  }

  static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  String address() {
    return host + ":" + dbPort;
  }

  String adminAddress() {
    return host + ":" + adminPort;
  }

  String socket() {
    return socket;
  }

  /** The file the process's output is appended to. */
  Path log() {
    return log;
  }

  /** The node's data directory. */
  Path dir() {
    return dir;
  }

  void start(List<String> join) {
    start(join, address());
  }

  /** Starts with {@code more} flags after the constructor's. */
  void startWith(List<String> join, List<String> more) {
    start(join, address(), more);
  }

  /** Starts with {@code --address addressFlag}, or without the flag when it is null. */
  void start(List<String> join, String addressFlag) {
    start(join, addressFlag, List.of());
  }

  private void start(List<String> join, String addressFlag, List<String> more) {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(LAUNCHER.toAbsolutePath().toString());
    cmd.addAll(List.of("--dir", dir.toString()));
    if (addressFlag != null) {
      cmd.addAll(List.of("--address", addressFlag));
    }
    cmd.addAll(
        List.of(
            "--app-socket",
            socket,
            "--admin-address",
            adminAddress(),
            "--admin-token-file",
            tokenFile.toString(),
            "--roles-adjustment-frequency",
            "1s",
            "--status-interval",
            "1s",
            "--handover-timeout",
            "30s",
            "--pod-labels-file",
            dir.resolve("no-labels").toString()));
    if (!join.isEmpty()) {
      cmd.add("--join");
      cmd.add(String.join(",", join));
    }
    cmd.addAll(extra);
    cmd.addAll(more);
    Path home = jar().toAbsolutePath().getParent();
    ProcessBuilder pb =
        new ProcessBuilder(
            engine.wrap(
                cmd,
                List.of(LAUNCHER.toAbsolutePath().getParent(), home, base),
                java.util.Map.of("DQLITE_HOME", home.toString(), "JAVA", engine.java())));
    pb.environment().put("DQLITE_HOME", home.toString());
    pb.environment().put("JAVA", engine.java());
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

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  Process process() {
    return process;
  }

  /**
   * GET on the admin server with the admin token; status and body, or status -1 when it does not
   * answer.
   */
  Answer get(String path) {
    return send(authorized(HttpRequest.newBuilder(uri(path)).GET(), token));
  }

  /** POST on the admin server with {@code token} as bearer token (null: none). */
  Answer post(String path, String token) {
    return send(
        authorized(
            HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), token));
  }

  /** {@code POST /handover?node=<id>} for this sidecar's own node (from its info.yaml). */
  Answer handover() throws IOException {
    return post(AdminApi.handoverPath(nodeId()), token);
  }

  /** The node's raft id, from its info.yaml. */
  long nodeId() throws IOException {
    return YamlNodeStore.readNode(dir.resolve("info.yaml")).id();
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder b, String token) {
    return token == null ? b : b.header(AdminApi.AUTHORIZATION, AdminApi.bearer(token));
  }

  String token() {
    return token;
  }

  record Answer(int status, String body) {}

  private URI uri(String path) {
    return URI.create("http://" + adminAddress() + path);
  }

  private Answer send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted");
    }
  }

  /** SIGTERM, then waits (bounded) for the exit; SIGKILL if it does not come. */
  int terminate(Duration within) {
    process.destroy();
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        return -1;
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      return -1;
    }
  }

  void kill() {
    if (process == null) {
      return;
    }
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
    } catch (IOException e) {
      return "(cannot read " + log + ")";
    }
  }

  String logTail(int lines) {
    List<String> all = logText().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  @Override
  public void close() {
    kill();
  }

  Engine engine() {
    return engine;
  }

  /** The engine of the next {@link #start}: a rolling upgrade restarts a node on another one. */
  void engine(Engine next) {
    this.engine = next;
  }

  @Override
  public String toString() {
    return "sidecar " + address() + (engine == Engine.HOST ? "" : " (" + engine + ")");
  }
}
