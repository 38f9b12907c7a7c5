package io.dqlite.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.sidecar.api.Durations;
import io.dqlite.sidecar.api.SidecarSetting;
import io.dqlite.sidecar.appsocket.AppSocket;
import io.dqlite.sidecar.daemon.SidecarOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

  private static SidecarOptions parse(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(env);
    CommandLine.ParseResult r = cli.parseArgs(Main.withDefaultSubcommand(args));
    RunCommand run = (RunCommand) r.subcommand().commandSpec().userObject();
    return run.options();
  }

  @Test
  void flagsBecomeOptions() {
    SidecarOptions o =
        parse(
            Map.of(),
            "--dir",
            "/data",
            "--address",
            "db-0:9001",
            "--join",
            "db-0:9001, db-1:9001,",
            "--voters",
            "5",
            "--standbys",
            "1",
            "--zone",
            "zone-a",
            "--failure-domain",
            "42",
            "--app-socket",
            "/run/dqlite.sock",
            "--roles-adjustment-frequency",
            "500ms",
            "--handover-timeout",
            "2m",
            "--network-latency",
            "PT0.02S",
            "--log-format",
            "JSON",
            "--snapshot-threshold",
            "1024",
            "--snapshot-trailing",
            "8192");
    assertThat(o.dir()).isEqualTo(Path.of("/data"));
    assertThat(o.join()).containsExactly("db-0:9001", "db-1:9001");
    assertThat(o.voters()).isEqualTo(5);
    assertThat(o.standBys()).isEqualTo(1);
    assertThat(o.zone()).contains("zone-a");
    assertThat(o.failureDomain()).contains(42L);
    assertThat(o.appSocket()).isEqualTo("/run/dqlite.sock");
    assertThat(o.rolesAdjustmentFrequency()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.handoverTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.networkLatency()).isEqualTo(Duration.ofMillis(20));
    assertThat(o.logFormat()).isEqualTo(SidecarOptions.LogFormat.JSON);
    assertThat(o.snapshotThreshold()).isEqualTo(1024);
    assertThat(o.snapshotTrailing()).isEqualTo(8192);
  }

  @Test
  void engineFlagsAreUnsetByDefaultAndReadTheirVariables() {
    SidecarOptions d = parse(Map.of(), "--address", "db-0:9001");
    assertThat(d.engine()).isEqualTo(SidecarOptions.Engine.DEFAULT);
    SidecarOptions o =
        parse(
            Map.of("DQLITE_SNAPSHOT_COMPRESSION", "true"),
            "--address",
            "db-0:9001",
            "--disk-mode",
            "true",
            "--auto-recovery",
            "false");
    assertThat(o.engine().diskMode()).isTrue();
    assertThat(o.engine().autoRecovery()).contains(false);
    assertThat(o.engine().snapshotCompression()).contains(true);
  }

  @Test
  void anAtValueIsNeverReadAsAnArgumentFile() {
    // picocli expands @FILE by default: with a file named like the socket in the working
    // directory (here the module's pom.xml), --app-socket @pom.xml became that file's contents.
    assertThat(java.nio.file.Files.exists(Path.of("pom.xml"))).isTrue();
    SidecarOptions o = parse(Map.of(), "--address", "db-0:9001", "--app-socket", "@pom.xml");
    assertThat(o.appSocket()).isEqualTo("@pom.xml");
  }

  @Test
  void appSocketLimitsHaveDefaultsFlagsAndVariables() {
    AppSocket.Limits d = parse(Map.of(), "--address", "db-0:9001").appSocketLimits();
    assertThat(d).isEqualTo(AppSocket.Limits.defaults());
    assertThat(d.maxRequestBytes()).isEqualTo(64L << 20);
    assertThat(d.membership()).isEqualTo(AppSocket.Membership.REFUSE);
    AppSocket.Limits l =
        parse(
                Map.of("DQLITE_APP_SOCKET_IDLE_TIMEOUT", "5m"),
                "--address",
                "db-0:9001",
                "--app-socket-max-request",
                "512KiB",
                "--app-socket-frame-timeout",
                "2s",
                "--app-socket-write-timeout",
                "1m",
                "--app-socket-membership",
                "allow")
            .appSocketLimits();
    assertThat(l)
        .isEqualTo(
            new AppSocket.Limits(
                512 * 1024,
                Duration.ofMinutes(5),
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                AppSocket.Membership.ALLOW));
    assertThatThrownBy(
            () -> parse(Map.of(), "--address", "db-0:9001", "--app-socket-max-request", "lots"))
        .hasMessageContaining("--app-socket-max-request lots: expected a size in bytes");
    assertThatThrownBy(
            () -> parse(Map.of(), "--address", "db-0:9001", "--app-socket-idle-timeout", "0s"))
        .hasMessageContaining("--app-socket-idle-timeout 0s: must be a positive duration")
        .hasMessageContaining("DQLITE_APP_SOCKET_IDLE_TIMEOUT");
  }

  @Test
  void environmentFeedsEveryFlagAndTheCommandLineWins() {
    Map<String, String> env =
        Map.of(
            "DQLITE_DIR", "/env/dir",
            "DQLITE_ADDRESS", "env:9001",
            "DQLITE_ROLES_ADJUSTMENT_FREQUENCY", "10s",
            "DQLITE_VOTERS", "7",
            "NODE_NAME", "worker-9",
            "DQLITE_ZONE_LABEL", "example.com/zone");
    SidecarOptions o = parse(env, "run", "--voters", "3");
    assertThat(o.dir()).isEqualTo(Path.of("/env/dir"));
    assertThat(o.address()).isEqualTo("env:9001");
    assertThat(o.rolesAdjustmentFrequency()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.voters()).isEqualTo(3);
    assertThat(o.nodeName()).contains("worker-9");
    assertThat(o.zoneLabel()).isEqualTo("example.com/zone");
  }

  @Test
  void everySettingIsAFlagOfRunAndNothingElseIs() {
    CommandLine run = Main.commandLine(Map.of()).getSubcommands().get("run");
    List<String> flags =
        run.getCommandSpec().options().stream()
            .filter(o -> !o.usageHelp() && !o.versionHelp())
            .map(CommandLine.Model.OptionSpec::longestName)
            .toList();
    assertThat(flags)
        .containsExactly(
            java.util.Arrays.stream(SidecarSetting.values())
                .map(SidecarSetting::flag)
                .toArray(String[]::new));
  }

  @Test
  void addressDefaultsToThePodDnsName() {
    Map<String, String> env =
        Map.of("POD_NAME", "db-2", "DQLITE_SERVICE", "db", "POD_NAMESPACE", "ns");
    assertThat(parse(env).address()).isEqualTo("db-2.db.ns.svc.cluster.local:9001");
  }

  @Test
  void badFlagsExitTwoWithOneLineAndUsage() {
    for (List<String> args :
        List.<List<String>>of(
            List.of("--bogus"),
            List.of("--address", "x:1", "--voters", "4"),
            List.of("--address", "x:1", "--handover-timeout", "soon"),
            List.of("--address", "x:1", "--tls-cert", "/c.pem"),
            List.<String>of())) {
      StringWriter err = new StringWriter();
      CommandLine cli = Main.commandLine(Map.of());
      cli.setErr(new PrintWriter(err));
      cli.getSubcommands().get("run").setErr(new PrintWriter(err));
      int code = cli.execute(Main.withDefaultSubcommand(args.toArray(String[]::new)));
      assertThat(code).as(args.toString()).isEqualTo(2);
      String[] lines = err.toString().split("\n");
      assertThat(lines[0]).as(args.toString()).isNotBlank().doesNotStartWith("Usage");
      assertThat(err.toString()).contains("Usage: dqlite-sidecar run");
    }
  }

  @Test
  void durations() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("0")).isZero();
    assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("30s");
  }

  @Test
  void runIsTheDefaultSubcommand() {
    assertThat(Main.withDefaultSubcommand(new String[] {})).containsExactly("run");
    assertThat(Main.withDefaultSubcommand(new String[] {"--dir", "x"}))
        .containsExactly("run", "--dir", "x");
    assertThat(Main.withDefaultSubcommand(new String[] {"handover"})).containsExactly("handover");
    assertThat(Main.withDefaultSubcommand(new String[] {"--help"})).containsExactly("--help");
  }

  @Test
  void handoverTargetsLoopbackForWildcards() {
    assertThat(HandoverCommand.localTarget("0.0.0.0:8081")).isEqualTo("127.0.0.1:8081");
    assertThat(HandoverCommand.localTarget("[::]:8081")).isEqualTo("[::1]:8081");
    assertThat(HandoverCommand.localTarget("10.1.2.3:9")).isEqualTo("10.1.2.3:9");
  }

  @Test
  void handoverCommandFailsWithExitOneWhenNothingListens() {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.8.1"))) {
      port = s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CommandLine cli = Main.commandLine(Map.of());
    assertThat(cli.execute("handover", "--admin-address", "127.0.8.1:" + port)).isEqualTo(1);
  }

  @Test
  void handoverCommandExitsZeroOnSuccessAndOneOnRefusal(@TempDir Path dir) throws Exception {
    io.dqlite.sidecar.admin.FixedBackend backend = new io.dqlite.sidecar.admin.FixedBackend();
    Path token = dir.resolve("token");
    java.nio.file.Files.writeString(token, "s3cret\n");
    writeInfo(dir, io.dqlite.sidecar.admin.FixedBackend.NODE_ID);
    try (io.dqlite.sidecar.admin.AdminServer server =
        io.dqlite.sidecar.admin.AdminServer.start(
            "127.0.8.1:0", backend, io.dqlite.sidecar.admin.AdminAuth.token(token))) {
      // As in the preStop hook: everything from the container's environment.
      Map<String, String> env =
          Map.of(
              "DQLITE_ADMIN_ADDRESS",
              server.address(),
              "DQLITE_DIR",
              dir.toString(),
              "DQLITE_ADMIN_TOKEN_FILE",
              token.toString());
      assertThat(Main.commandLine(env).execute("handover")).isZero();
      assertThat(backend.handovers).hasValue(1);
      // Without the token, or naming another node: refused, nothing handed over.
      assertThat(
              Main.commandLine(Map.of())
                  .execute(
                      "handover", "--admin-address", server.address(), "--dir", dir.toString()))
          .isEqualTo(1);
      Path other = java.nio.file.Files.createDirectory(dir.resolve("other"));
      writeInfo(other, 7);
      assertThat(Main.commandLine(env).execute("handover", "--dir", other.toString())).isEqualTo(1);
      assertThat(backend.handovers).hasValue(1);
      backend.handover =
          new io.dqlite.sidecar.admin.AdminBackend.Answer(
              409, io.dqlite.sidecar.admin.AdminBackend.reason("a handover is already running"));
      assertThat(Main.commandLine(env).execute("handover")).isEqualTo(1);
    }
  }

  @Test
  void handoverCommandWithoutInfoYamlSaysWhichDirectory(@TempDir Path dir) {
    assertThat(
            Main.commandLine(Map.of())
                .execute("handover", "--dir", dir.toString(), "--admin-address", "127.0.8.1:1"))
        .isEqualTo(1);
  }

  private static void writeInfo(Path dir, long id) throws java.io.IOException {
    io.dqlite.client.leader.YamlNodeStore.writeAtomically(
        dir.resolve("info.yaml"),
        io.dqlite.client.leader.YamlNodeStore.formatNode(
            new io.dqlite.client.model.NodeInfo(
                id, "127.0.0.1:9001", io.dqlite.client.model.NodeRole.VOTER)));
  }

  @Test
  void adminAuthFlags() {
    Map<String, String> env = Map.of();
    assertThat(parse(env, "--address", "x:1").adminAuth())
        .isEqualTo(io.dqlite.sidecar.admin.AdminAuth.unconfigured());
    assertThat(parse(env, "--address", "x:1", "--admin-auth", "NONE").adminAuth())
        .isEqualTo(io.dqlite.sidecar.admin.AdminAuth.none());
    assertThat(parse(env, "--address", "x:1", "--admin-token-file", "/t").adminAuth())
        .isEqualTo(io.dqlite.sidecar.admin.AdminAuth.token(Path.of("/t")));
    assertThatThrownBy(
            () ->
                parse(env, "--address", "x:1", "--admin-auth", "none", "--admin-token-file", "/t"))
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> parse(env, "--address", "x:1", "--admin-auth", "basic"))
        .hasMessageContaining("--admin-auth basic: expected one of token, none");
  }
}
