package io.dqlite.sidecar.app;

import io.dqlite.client.model.NodeRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** go-dqlite's {@code dqlite} shell (Debian go-dqlite 1.11.5), bounded to 30 s per command. */
final class Shell {

  private Shell() {}

  /** What the shell printed. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** One line of {@code .cluster}: {@code id|address|role}, the id in hex without 0x. */
  record Member(long id, String address, NodeRole role) {}

  static Result run(String servers, String database, String command) {
    List<String> argv = List.of("dqlite", "-s", servers, database, command);
    try {
      Process process = new ProcessBuilder(argv).start();
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, "", "timed out: " + argv);
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.exitValue(), out.strip(), err.strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code dqlite -s servers demo .cluster}, parsed.
   *
   * @throws AssertionError when the shell fails, with what it printed
   */
  static List<Member> cluster(String servers) {
    Result result = run(servers, "demo", ".cluster");
    if (!result.ok()) {
      throw new AssertionError(".cluster through " + servers + " failed: " + result);
    }
    List<Member> members = new ArrayList<>();
    for (String line : result.stdout().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split("\\|");
      if (parts.length != 3) {
        throw new AssertionError("unexpected .cluster line '" + line + "' in " + result);
      }
      members.add(
          new Member(Long.parseUnsignedLong(parts[0], 16), parts[1], role(parts[2], result)));
    }
    return members;
  }

  private static NodeRole role(String name, Result result) {
    for (NodeRole role : NodeRole.values()) {
      if (role.toString().equals(name)) {
        return role;
      }
    }
    throw new AssertionError("unknown role '" + name + "' in " + result);
  }
}
