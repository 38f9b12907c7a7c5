package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    String output =
        ChildJvm.run(
            tmp.resolve("cluster.log"),
            Duration.ofSeconds(240),
            List.of("-Djdk.net.hosts.file=" + hosts),
            DnsNamesCluster.class,
            tmp.resolve("data").toString());
    System.out.println("cluster JVM output:\n" + output);
    assertThat(output).contains(DnsNamesCluster.OK, "3 voters: [n1.dqlite.test:");
  }
}
