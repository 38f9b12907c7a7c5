package io.dqlite.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DqliteAddressTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("127.0.0.1:9001", new DqliteAddress.Tcp("127.0.0.1", 9001)),
        Arguments.of(
            "node-0.dqlite.ns.svc:9000", new DqliteAddress.Tcp("node-0.dqlite.ns.svc", 9000)),
        Arguments.of("[::1]:9001", new DqliteAddress.Tcp("::1", 9001)),
        Arguments.of("[fe80::1%eth0]:1", new DqliteAddress.Tcp("fe80::1%eth0", 1)),
        Arguments.of("@dqlite", new DqliteAddress.AbstractUnix("dqlite")),
        Arguments.of("@dqlite-0x1", new DqliteAddress.AbstractUnix("dqlite-0x1")),
        Arguments.of("/run/dqlite.sock", new DqliteAddress.UnixPath(Path.of("/run/dqlite.sock"))),
        Arguments.of("unix:/run/d.sock", new DqliteAddress.UnixPath(Path.of("/run/d.sock"))),
        Arguments.of("unix:relative.sock", new DqliteAddress.UnixPath(Path.of("relative.sock"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parses(String address, DqliteAddress expected) {
    assertThat(DqliteAddress.parse(address)).isEqualTo(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("", "empty"),
        Arguments.of("@", "abstract socket name is empty"),
        Arguments.of("unix:", "socket path is empty"),
        Arguments.of("127.0.0.1", "port is missing"),
        Arguments.of("::1:9001", "brackets"),
        Arguments.of("[::1]9001", "[host]:port"),
        Arguments.of(":9001", "host is empty"),
        Arguments.of("host:http", "not a number"),
        Arguments.of("host:0", "out of range"),
        Arguments.of("host:65536", "out of range"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("invalid")
  void refusesWithTheAcceptedForms(String address, String why) {
    assertThatThrownBy(() -> DqliteAddress.parse(address))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why)
        .hasMessageContaining("expected host:port, [ipv6]:port, @abstract-name");
  }
}
