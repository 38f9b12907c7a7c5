package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.net.DefaultDialer;
import io.dqlite.sidecar.node.NodeOptions.SnapshotParams;
import io.dqlite.sidecar.tls.SimpleTls;
import io.dqlite.sidecar.tls.TestCertificates;
import io.dqlite.sidecar.tls.TlsCredentials;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class AppOptionsTest {

  private static final Path DIR = Path.of("/nonexistent/app");

  @Test
  void defaultsAreGoDqlites() {
    AppOptions o = App.builder(DIR).options();
    assertThat(o.address()).isNull();
    assertThat(o.bindAddress()).isNull();
    assertThat(o.cluster()).isEmpty();
    assertThat(o.diskMode()).isFalse();
    assertThat(o.externalConnection()).isNull();
    assertThat(o.failureDomain()).isZero();
    assertThat(o.networkLatency()).isZero();
    assertThat(o.rolesAdjustmentFrequency()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.snapshot()).isEqualTo(SnapshotParams.DEFAULT);
    assertThat(o.standBys()).isEqualTo(3);
    assertThat(o.tls()).isNull();
    assertThat(o.unixSocket()).isEmpty();
    assertThat(o.voters()).isEqualTo(3);
    assertThat(o.rolesConfig().rebalanceDomains()).isTrue();
    assertThat(o.rolesConfig().demoteFromCrowdedDomains()).isTrue();
  }

  @Test
  void failureDomainRebalanceOffIsGoDqlite1119sAlgorithm() {
    AppOptions o = App.builder(DIR).voters(5).standBys(1).failureDomainRebalance(false).options();
    assertThat(o.rolesConfig().voters()).isEqualTo(5);
    assertThat(o.rolesConfig().standBys()).isEqualTo(1);
    assertThat(o.rolesConfig().rebalanceDomains()).isFalse();
    assertThat(o.rolesConfig().demoteFromCrowdedDomains()).isFalse();
  }

  @Test
  void votersMustBeOddAndAtLeastThree() {
    for (int voters : new int[] {-1, 0, 1, 2, 4, 6}) {
      assertThatThrownBy(() -> App.builder(DIR).voters(voters).options())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid voters " + voters);
    }
    assertThat(App.builder(DIR).voters(7).options().voters()).isEqualTo(7);
  }

  @Test
  void otherInvalidOptionsAreNamed() {
    assertThatThrownBy(() -> App.builder(DIR).standBys(-1).options())
        .hasMessageContaining("stand-bys -1");
    assertThatThrownBy(() -> App.builder(DIR).rolesAdjustmentFrequency(Duration.ZERO).options())
        .hasMessageContaining("roles adjustment frequency");
    assertThatThrownBy(() -> App.builder(DIR).address("no-port").options())
        .hasMessageContaining("invalid address");
    assertThatThrownBy(() -> App.builder(DIR).address("@abstract").options())
        .hasMessageContaining("must be host:port");
    assertThatThrownBy(() -> App.builder(DIR).cluster("10.0.0.1:9000", "bad").options())
        .hasMessageContaining("invalid cluster address");
    assertThatThrownBy(() -> App.builder(DIR).unixSocket("@x").options())
        .hasMessageContaining("only with TLS or an external connection");
  }

  @Test
  void unixSocketMustBeAbstractAndTlsExcludesExternalConnections() {
    TlsCredentials credentials =
        TestCertificates.authority("ca").node("n").dns("dqlite").issue().credentials();
    TlsSetup tls = new TlsSetup(SimpleTls.listen(credentials), SimpleTls.dial(credentials));
    assertThatThrownBy(() -> App.builder(DIR).tls(tls).unixSocket("/run/dqlite.sock").options())
        .hasMessageContaining("abstract sockets only");
    assertThat(App.builder(DIR).tls(tls).unixSocket("@dqlite-1").options().unixSocket())
        .isEqualTo("@dqlite-1");
    ExternalConnection external =
        new ExternalConnection(DefaultDialer.INSTANCE, new LinkedBlockingQueue<>());
    assertThatThrownBy(() -> App.builder(DIR).tls(tls).externalConnection(external).options())
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> new TlsSetup(SimpleTls.dial(credentials), SimpleTls.dial(credentials)))
        .hasMessageContaining("SimpleTls.listen");
  }

  @Test
  void bindAddressIsAnIpv4LiteralUnderPlainTcpAndUnusedWithExternalConnections() {
    assertThat(App.builder(DIR).bindAddress("0.0.0.0:9001").options().bindAddress())
        .isEqualTo("0.0.0.0:9001");
    assertThatThrownBy(() -> App.builder(DIR).bindAddress("db-0.db:9001").options())
        .hasMessageContaining("IPv4 literals only");
    assertThatThrownBy(() -> App.builder(DIR).bindAddress("[::1]:9001").options())
        .hasMessageContaining("IPv4 literals only");
    assertThatThrownBy(() -> App.builder(DIR).bindAddress("@sock").options())
        .hasMessageContaining("bind address");
    TlsCredentials credentials =
        TestCertificates.authority("ca").node("n").dns("dqlite").issue().credentials();
    TlsSetup tls = new TlsSetup(SimpleTls.listen(credentials), SimpleTls.dial(credentials));
    assertThat(App.builder(DIR).tls(tls).bindAddress("localhost:9001").options().bindAddress())
        .isEqualTo("localhost:9001");
    ExternalConnection external =
        new ExternalConnection(DefaultDialer.INSTANCE, new LinkedBlockingQueue<>());
    assertThatThrownBy(
            () -> App.builder(DIR).externalConnection(external).bindAddress("0.0.0.0:1").options())
        .hasMessageContaining("external connection");
  }

  @Test
  void aDnsNameAddressBindsTheLocalIpv4ItResolvesTo() throws Exception {
    assertThat(BindAddress.resolve("10.1.2.3:9001")).isEqualTo("10.1.2.3:9001");
    assertThat(BindAddress.resolve("[::1]:9001")).isEqualTo("[::1]:9001");
    assertThat(BindAddress.resolve("localhost:9001")).isEqualTo("127.0.0.1:9001");
    assertThatThrownBy(() -> BindAddress.resolve("no-such-node.invalid:9001"))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("host no-such-node.invalid does not resolve")
        .hasMessageContaining("bindAddress");
    assertThat(BindAddress.isIpLiteral("127.0.12.1")).isTrue();
    assertThat(BindAddress.isIpLiteral("fe80::1")).isTrue();
    assertThat(BindAddress.isIpLiteral("1.2.3")).isFalse();
    assertThat(BindAddress.isIpLiteral("1.2.3.256")).isFalse();
    assertThat(BindAddress.isIpLiteral("pod-0.db.ns.svc")).isFalse();
  }

  @Test
  void defaultAddressFormatsAsGoDqliteDoes() throws Exception {
    assertThat(DefaultAddress.format(InetAddress.getByName("10.1.2.3"))).isEqualTo("10.1.2.3:9000");
    assertThat(DefaultAddress.format(InetAddress.getByName("fe80::1%1")))
        .isEqualTo("[fe80:0:0:0:0:0:0:1]:9000");
  }
}
