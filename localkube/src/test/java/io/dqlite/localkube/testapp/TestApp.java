package io.dqlite.localkube.testapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A tiny "container" for the node agent's integration tests: serves HTTP on the pod IP and tells
 * the test what it sees (its args, env, name resolution); optionally writes a file into a volume.
 *
 * <p>Args: {@code --bind IP --port N [--write FILE]}.
 */
public final class TestApp {
  private TestApp() {}

  public static void main(String[] args) throws IOException {
    String bind = "127.0.0.1";
    int port = 8080;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--bind":
          bind = args[i + 1];
          break;
        case "--port":
          port = Integer.parseInt(args[i + 1]);
          break;
        case "--write":
          Path f = Path.of(args[i + 1]);
          Files.createDirectories(f.getParent());
          String previous = Files.exists(f) ? Files.readString(f) : "";
          Files.writeString(f, previous + System.getenv("HOSTNAME") + "\n");
          break;
        default:
          throw new IllegalArgumentException("unknown arg " + args[i]);
      }
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    server.createContext("/ready", ex -> reply(ex, 200, "ok"));
    server.createContext("/args", ex -> reply(ex, 200, String.join("\n", args)));
    server.createContext(
        "/pid", ex -> reply(ex, 200, Long.toString(ProcessHandle.current().pid())));
    server.createContext(
        "/env",
        ex ->
            reply(
                ex,
                200,
                new TreeMap<>(System.getenv())
                    .entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n"))));
    server.createContext(
        "/resolve",
        ex -> {
          String name = ex.getRequestURI().getQuery().replaceFirst("^name=", "");
          try {
            reply(
                ex,
                200,
                Arrays.stream(InetAddress.getAllByName(name))
                    .map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(",")));
          } catch (IOException e) {
            reply(ex, 404, e.toString());
          }
        });
    server.start();
    System.out.println("test app listening on " + bind + ":" + port);
  }

  private static void reply(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
