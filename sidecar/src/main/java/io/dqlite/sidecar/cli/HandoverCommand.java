package io.dqlite.sidecar.cli;

import io.dqlite.client.leader.YamlNodeStore;
import io.dqlite.sidecar.admin.AdminAuth;
import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.SidecarSetting;
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
 * preStop} hook, where the container's environment gives the flags: the node id is read from {@code
 * info.yaml} in {@code --dir}, the token from {@code --admin-token-file}.
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
          "The daemon's admin address; 0.0.0.0 and :: mean this host (default: as run's).")
  String adminAddress;

  @Option(
      names = "--handover-timeout",
      paramLabel = "DURATION",
      description =
          "How long the daemon may take; this command waits 10 s longer (default: as run's).")
  Duration handoverTimeout;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "The daemon's data directory, whose info.yaml names the node to hand over (default: as"
              + " run's).")
  Path dir;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description = "The admin token the daemon requires (default: as run's).")
  Path adminTokenFile;

  @Override
  public Integer call() {
    String address = orDefault(adminAddress, SidecarSetting.ADMIN_ADDRESS);
    Duration wait = orDefault(handoverTimeout, SidecarSetting.HANDOVER_TIMEOUT).plusSeconds(10);
    Path info = orDefault(dir, SidecarSetting.DIR).resolve("info.yaml");
    long id;
    String token = null;
    try {
      id = YamlNodeStore.readNode(info).id();
      if (adminTokenFile != null) {
        token = AdminAuth.readToken(adminTokenFile);
      }
    } catch (IOException e) {
      System.err.println(
          "dqlite-sidecar handover: "
              + e.getMessage()
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
      System.err.println(
          "dqlite-sidecar handover: cannot reach "
              + uri
              + ": "
              + e
              + " (is the sidecar running, on this --admin-address?)");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** {@code value}, or the default of the {@code run} setting of the same flag. */
  @SuppressWarnings("unchecked")
  private static <T> T orDefault(T value, SidecarSetting setting) {
    return value != null ? value : (T) setting.defaultParsed();
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
