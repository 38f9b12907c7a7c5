package io.dqlite.sidecar.cli;

import io.dqlite.client.YamlNodeStore;
import io.dqlite.http.AdminApi;
import io.dqlite.sidecar.admin.AdminAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dqlite-sidecar handover}: POSTs to the local daemon's {@code /handover?node=<id>} and
 * waits for the result; exit 0 when it succeeded, 1 otherwise. Meant for a container's {@code
 * preStop} hook, where the container's environment gives the flags: the node id is read from
 * {@code info.yaml} in {@code --dir}, the token from {@code --admin-token-file}.
 */
@Command(
    name = "handover",
    mixinStandardHelpOptions = true,
    description =
        "Asks the local sidecar to hand its role and leadership over (for a preStop hook); exit 0"
            + " on success.")
final class HandoverCommand implements Callable<Integer> {

  @Option(
      names = "--admin-address",
      paramLabel = "HOST:PORT",
      description =
          "The daemon's admin address; 0.0.0.0 and :: mean this host (default: 0.0.0.0:8081,"
              + " env DQLITE_ADMIN_ADDRESS).")
  String adminAddress;

  @Option(
      names = "--handover-timeout",
      paramLabel = "DURATION",
      description =
          "How long the daemon may take; this command waits 10 s longer (default: 60s, env"
              + " DQLITE_HANDOVER_TIMEOUT).")
  Duration handoverTimeout;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "The daemon's data directory, whose info.yaml names the node to hand over (default:"
              + " /var/lib/dqlite, env DQLITE_DIR).")
  Path dir;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "The admin token the daemon requires (default: none, env DQLITE_ADMIN_TOKEN_FILE).")
  Path adminTokenFile;

  @Override
  public Integer call() {
    String address = adminAddress == null ? "0.0.0.0:8081" : adminAddress;
    Duration wait = (handoverTimeout == null ? Duration.ofSeconds(60) : handoverTimeout)
        .plusSeconds(10);
    Path info = (dir == null ? Path.of("/var/lib/dqlite") : dir).resolve("info.yaml");
    long id;
    String token = null;
    try {
      id = YamlNodeStore.readNode(info).id();
      if (adminTokenFile != null) {
        token = AdminAuth.readToken(adminTokenFile);
      }
    } catch (IOException e) {
      System.err.println("dqlite-sidecar handover: " + e.getMessage()
          + " (is --dir the daemon's data directory?)");
      return 1;
    }
    URI uri = URI.create("http://" + localTarget(address) + AdminApi.handoverPath(id));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(wait).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header(AdminApi.AUTHORIZATION, AdminApi.bearer(token));
    }
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      System.out.print(r.body());
      if (r.statusCode() == 200) {
        return 0;
      }
      System.err.println("dqlite-sidecar handover: " + uri + " answered " + r.statusCode());
      return 1;
    } catch (IOException e) {
      System.err.println("dqlite-sidecar handover: cannot reach " + uri + ": " + e
          + " (is the sidecar running, on this --admin-address?)");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** Where to connect for a listening address: a wildcard host means loopback. */
  static String localTarget(String address) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    String port = address.substring(colon + 1);
    if (host.equals("0.0.0.0") || host.isEmpty()) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("[::]")) {
      host = "[::1]";
    }
    return host + ":" + port;
  }
}
