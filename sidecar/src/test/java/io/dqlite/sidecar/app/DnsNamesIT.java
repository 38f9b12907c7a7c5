package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes known by DNS names under plain TCP, as the operator configures them in Kubernetes ({@code
 * pod-0.db-headless.ns.svc.cluster.local:9001}). The names must resolve, so the cluster runs in a
 * child JVM that resolves through a hosts file ({@code -Djdk.net.hosts.file}): this JVM's resolver
 * was fixed when it started. See {@link DnsNamesCluster} for the checks.
 */
class DnsNamesIT {

  @TempDir Path tmp;

  @Test
  void threeAppsKnownByDnsNamesFormAClusterAndServeJdbc() throws Exception {
    Path hosts = tmp.resolve("hosts");
    Files.writeString(hosts, DnsNamesCluster.hostsFile(), StandardCharsets.US_ASCII);
    Path log = tmp.resolve("cluster.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djdk.net.hosts.file=" + hosts);
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("jna.")) {
        command.add("-D" + name + "=" + System.getProperty(name));
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DnsNamesCluster.class.getName());
    command.add(tmp.resolve("data").toString());
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      boolean finished = child.waitFor(240, TimeUnit.SECONDS);
      String output = Files.readString(log);
      System.out.println("cluster JVM output:\n" + output);
      assertThat(finished)
          .as("the cluster's JVM finished in time; its output:%n%s", output)
          .isTrue();
      assertThat(child.exitValue()).as("exit status; output:%n%s", output).isZero();
      assertThat(output).contains(DnsNamesCluster.OK, "3 voters: [n1.dqlite.test:");
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
