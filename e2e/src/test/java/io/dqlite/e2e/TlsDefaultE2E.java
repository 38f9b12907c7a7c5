package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.net.tls.TlsDialer;
import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.LocalPaths;
import io.dqlite.e2e.support.Measurements;
import io.dqlite.e2e.support.Sql;
import io.dqlite.e2e.support.TestNamespace;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.membership.ClusterDialers;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS is the default: a minimal DqliteCluster comes up Ready with generated certificates and a
 * NetworkPolicy, serves SQL through a pod's app socket, answers a client presenting the cluster's
 * certificate over TLS, and closes a plaintext client's connection to a pod's port 9001 without a
 * dqlite answer: this project's admin client, raw protocol bytes, and go-dqlite's {@code dqlite}
 * shell all fail. (localkube's agent runs pods as host processes and cannot enforce the
 * NetworkPolicy, so the plaintext client here is refused by TLS alone.)
 */
@ExtendWith(E2eExtension.class)
class TlsDefaultE2E {

  static final Duration READY = Duration.ofMinutes(5);
  static final ConnectorConfig SHORT =
      ConnectorConfig.builder()
          .dialTimeout(Duration.ofSeconds(5))
          .requestTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void aMinimalClusterRunsTlsAndRefusesPlaintextClients(E2eEnvironment env, TestNamespace ns)
      throws Exception {
    KubernetesClient client = env.client();
    DqliteClusters.create(client, ns.name(), Specs.minimal("secure", 3));
    Duration took = DqliteClusters.awaitReady(client, ns.name(), "secure", READY);
    Measurements.record("create 3 replicas with TLS (default) -> Ready", took);

    DqliteCluster cr = DqliteClusters.get(client, ns.name(), "secure");
    assertThat(cr.getSpec().getTls()).as("the spec names no TLS").isNull();
    assertThat(cr.getStatus().getTls().getMode()).isEqualTo("Generated");
    assertThat(cr.getStatus().getTls().getReason()).isNull();
    Secret secret = client.secrets().inNamespace(ns.name()).withName("secure-tls").get();
    assertThat(secret).as("Secret secure-tls").isNotNull();
    NetworkPolicy policy =
        client.network().v1().networkPolicies().inNamespace(ns.name()).withName("secure").get();
    assertThat(policy).as("NetworkPolicy secure").isNotNull();
    assertThat(policy.getSpec().getIngress())
        .extracting(r -> r.getPorts().get(0).getPort().getIntVal())
        .containsExactly(9001, 8081);

    List<Pod> pods = DqliteClusters.pods(client, ns.name(), "secure");
    assertThat(pods).hasSize(3);
    for (Pod pod : pods) {
      List<String> env0 =
          pod.getSpec().getContainers().stream()
              .filter(c -> "dqlite".equals(c.getName()))
              .flatMap(c -> c.getEnv().stream())
              .map(EnvVar::getName)
              .toList();
      assertThat(env0)
          .as("sidecar env of %s", pod.getMetadata().getName())
          .contains("DQLITE_TLS_CERT", "DQLITE_TLS_KEY", "DQLITE_TLS_CA");
    }

    // The application's path works: through a pod's app socket, to the leader over TLS.
    String url = LocalPaths.jdbcUrl(env.agentRoot(), pods.get(1), "app");
    Sql.exec(
        url,
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
        "INSERT INTO t (v) VALUES ('over tls')");
    assertThat(
            Sql.text(
                LocalPaths.jdbcUrl(env.agentRoot(), pods.get(2), "app"),
                "SELECT v FROM t WHERE id = 1"))
        .isEqualTo("over tls");

    String address = pods.get(0).getStatus().getPodIP() + ":9001";

    // A client with the cluster's certificate is answered (the port is open and serving)...
    TlsDialer tls =
        ClusterDialers.tlsDialer(
            "Secret " + secret.getMetadata().getName(),
            text(secret, "tls.crt"),
            text(secret, "tls.key"),
            text(secret, "ca.crt"));
    try (Client c = Client.connect(address, SHORT.toBuilder().dialer(tls).build())) {
      assertThat(c.leader())
          .as("leader through TLS at %s", address)
          .map(NodeInfo::address)
          .hasValueSatisfying(a -> assertThat(a).contains("secure-"));
    }

    // ...a plaintext one is not: the admin client's request fails,
    assertThatThrownBy(
            () -> {
              try (Client c = Client.connect(address, SHORT)) {
                c.cluster();
              }
            })
        .as("plaintext admin request to %s", address)
        .isInstanceOf(DqliteException.class);

    // the raw protocol gets no dqlite answer: a TLS alert at most, and the connection closed,
    byte[] answer = plaintextLeaderRequest(pods.get(0).getStatus().getPodIP(), 9001);
    System.out.println(
        "E2E plaintext leader request to " + address + ": answer [" + hex(answer) + "]");
    assertThat(answer.length == 0 || answer[0] == 0x15)
        .as("answer to a plaintext leader request: %s", hex(answer))
        .isTrue();
    assertThat(answer.length).as("shorter than any dqlite response header").isLessThan(8);

    // and go-dqlite's shell cannot read the cluster (it keeps retrying to find a leader: it gets
    // 20 s, then it is stopped).
    java.nio.file.Path output = java.nio.file.Files.createTempFile("dqlite-shell", ".out");
    String out;
    try {
      Process shell =
          new ProcessBuilder("dqlite", "-s", address, "app", ".cluster")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean exited = shell.waitFor(20, TimeUnit.SECONDS);
      if (!exited) {
        shell.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      out = java.nio.file.Files.readString(output);
      System.out.println(
          "E2E dqlite shell over plaintext to "
              + address
              + ": "
              + (exited ? "exited " + shell.exitValue() : "no answer in 20 s, stopped")
              + ": "
              + out.strip());
      assertThat(!exited || shell.exitValue() != 0).as("dqlite shell failed: %s", out).isTrue();
    } finally {
      java.nio.file.Files.deleteIfExists(output);
    }
    assertThat(out).as("no member listed").doesNotContain("|voter");
  }

  /**
   * Sends the dqlite protocol version and a leader request over plain TCP and returns every byte
   * the node sends back before it closes the connection (bounded: 5 s, 64 bytes).
   */
  static byte[] plaintextLeaderRequest(String host, int port) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 5_000);
      s.setSoTimeout(5_000);
      ByteBuffer out = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      out.putLong(1); // protocol version
      out.putInt(1).put((byte) 0).put((byte) 0).putShort((short) 0); // leader: 1 word, type 0
      out.putLong(0); // body: one unused word
      OutputStream o = s.getOutputStream();
      o.write(out.array());
      o.flush();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64];
      try {
        int n;
        while (got.size() < 64 && (n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
        }
      } catch (SocketException e) {
        // reset by the peer: closed without an answer
      }
      return got.toByteArray();
    }
  }

  static String text(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x ", b));
    }
    return sb.toString().strip();
  }
}
