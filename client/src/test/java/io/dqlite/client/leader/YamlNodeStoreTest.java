package io.dqlite.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlNodeStoreTest {

  private static final long BOOTSTRAP_ID = 0x2dc171858c3155beL;

  @TempDir Path dir;

  @Test
  void readsDqliteDemoOutputWithKeysInItsOrder() throws IOException {
    // As dqlite-demo (go-dqlite 1.11.5) wrote it on this machine.
    String yaml =
        "- Address: 127.0.3.1:19001\n"
            + "  ID: 3297041220608546238\n"
            + "  Role: 0\n"
            + "- Address: 127.0.3.2:19001\n"
            + "  ID: 2858893637631290321\n"
            + "  Role: 2\n";
    assertThat(YamlNodeStore.parse(yaml, Path.of("cluster.yaml")))
        .containsExactly(
            new NodeInfo(BOOTSTRAP_ID, "127.0.3.1:19001", NodeRole.VOTER),
            new NodeInfo(2858893637631290321L, "127.0.3.2:19001", NodeRole.SPARE));
  }

  @Test
  void acceptsKeysInAnyOrderIgnoresUnknownKeysAndDefaultsIdAndRoleToZero() throws IOException {
    String yaml = "- Role: 1\n  ID: 5\n  Address: a:1\n  Weight: 3\n- Address: '[::1]:9001'\n";
    assertThat(YamlNodeStore.parse(yaml, Path.of("c.yaml")))
        .containsExactly(
            new NodeInfo(5, "a:1", NodeRole.STANDBY),
            new NodeInfo(0, "[::1]:9001", NodeRole.VOTER));
  }

  @Test
  void writesTheLayoutGoDqliteWrites() {
    String yaml =
        YamlNodeStore.format(
            List.of(
                new NodeInfo(BOOTSTRAP_ID, "127.0.3.1:19001", NodeRole.VOTER),
                new NodeInfo(-1L, "[::1]:9001", NodeRole.SPARE)));
    assertThat(yaml)
        .isEqualTo(
            "- Address: 127.0.3.1:19001\n"
                + "  ID: 3297041220608546238\n"
                + "  Role: 0\n"
                + "- Address: '[::1]:9001'\n"
                + "  ID: 18446744073709551615\n"
                + "  Role: 2\n");
    assertThat(YamlNodeStore.format(List.of())).isEqualTo("[]\n");
    assertThat(YamlNodeStore.formatNode(new NodeInfo(7, "@dqlite-7", NodeRole.STANDBY)))
        .isEqualTo("Address: '@dqlite-7'\nID: 7\nRole: 1\n");
  }

  /** Expected forms are what gopkg.in/yaml.v2 v2.4.0 printed for the same strings. */
  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '^',
      value = {
        "127.0.0.1:9001 => 127.0.0.1:9001",
        "[::1]:9001 => '[::1]:9001'",
        "[fe80::1%eth0]:9000 => '[fe80::1%eth0]:9000'",
        "fe80::1%eth0 => fe80::1%eth0",
        "@dqlite-1 => '@dqlite-1'",
        "^^ => \"\"",
        "1234 => \"1234\"",
        "10:30 => \"10:30\"",
        "host:9000 => host:9000",
        "db-0.db.default.svc:9000 => db-0.db.default.svc:9000",
        "a: b => 'a: b'",
        "-x => -x",
        "- x => '- x'",
        "x #y => 'x #y'",
        "x#y => x#y",
        "?x => ?x",
        "? x => '? x'",
        ":x => :x",
        "yes => \"yes\"",
        "null => \"null\"",
        "~ => \"~\"",
        "1.5 => \"1.5\"",
        "0x1F => \"0x1F\"",
        "2001-12-14 => \"2001-12-14\"",
        "it's => it's",
        "---x => '---x'",
        "x: => 'x:'",
        "^x ^ => 'x '",
        "^ x^ => ' x'",
        "a,b => a,b",
        "a[b] => a[b]",
        "%x => '%x'",
        "!x => '!x'",
        "&x => '&x'",
        "*x => '*x'",
        "|x => '|x'",
        ">x => '>x'",
        "'x => '''x'",
        "\"x => '\"x'",
        "`x => '`x'",
        "é => é",
      })
  void quotesAddressesAsYamlV2Does(String address, String expected) throws IOException {
    NodeInfo node = new NodeInfo(1, address, NodeRole.VOTER);
    String yaml = YamlNodeStore.formatNode(node);
    assertThat(yaml.lines().findFirst()).hasValue("Address: " + expected);
    assertThat(YamlNodeStore.parseNode(yaml, Path.of("info.yaml"))).isEqualTo(node);
  }

  @Test
  void controlCharactersAreDoubleQuotedAndRoundTrip() throws IOException {
    for (String address : List.of("tab\there", "new\nline", "bell\u0007")) {
      NodeInfo node = new NodeInfo(1, address, NodeRole.VOTER);
      String yaml = YamlNodeStore.formatNode(node);
      assertThat(yaml).startsWith("Address: \"");
      assertThat(YamlNodeStore.parseNode(yaml, Path.of("info.yaml"))).isEqualTo(node);
    }
  }

  @Test
  void unsignedIdsRoundTripThroughTheFile() throws IOException {
    Path file = dir.resolve("cluster.yaml");
    List<NodeInfo> nodes =
        Stream.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, BOOTSTRAP_ID)
            .map(id -> new NodeInfo(id, "n" + Long.toUnsignedString(id) + ":9000", NodeRole.SPARE))
            .toList();
    YamlNodeStore.open(file).set(nodes);
    assertThat(Files.readString(file)).contains("ID: 18446744073709551615\n");
    assertThat(Files.readString(file)).contains("ID: 9223372036854775808\n");
    assertThat(YamlNodeStore.open(file).get()).isEqualTo(nodes);
  }

  @Test
  void openOfAMissingFileIsEmptyAndSetWritesMode0600Atomically() throws IOException {
    Path file = dir.resolve("cluster.yaml");
    YamlNodeStore store = YamlNodeStore.open(file);
    assertThat(store.get()).isEmpty();
    assertThat(Files.exists(file)).isFalse();

    List<NodeInfo> nodes = List.of(new NodeInfo(BOOTSTRAP_ID, "10.0.0.1:9000", NodeRole.VOTER));
    store.set(nodes);
    assertThat(store.get()).isEqualTo(nodes);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }

    store.set(List.of());
    assertThat(Files.readString(file)).isEqualTo("[]\n");
    assertThat(YamlNodeStore.open(file).get()).isEmpty();
  }

  @Test
  void aFailedWriteLeavesFileAndMemoryAsTheyWere() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path file = sub.resolve("cluster.yaml");
    YamlNodeStore store = YamlNodeStore.open(file);
    List<NodeInfo> before = List.of(NodeInfo.seed("a:1"));
    store.set(before);

    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("r-x------"));
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(
          Files.isWritable(sub), "running as a user who can write anyway (root)");
      assertThatThrownBy(() -> store.set(List.of(NodeInfo.seed("b:2"))))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(file.toString());
      assertThat(store.get()).isEqualTo(before);
      assertThat(YamlNodeStore.read(file)).isEqualTo(before);
    } finally {
      Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aFailedRenameKeepsMemoryAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("cluster.yaml");
    YamlNodeStore store = YamlNodeStore.open(file);
    List<NodeInfo> before = List.of(NodeInfo.seed("a:1"));
    store.set(before);
    // A non-empty directory where the file was: rename(2) cannot replace it, even for root.
    Files.delete(file);
    Files.createFile(Files.createDirectory(file).resolve("occupied"));

    assertThatThrownBy(() -> store.set(List.of(NodeInfo.seed("b:2"))))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("write " + file);
    assertThat(store.get()).isEqualTo(before);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void emptyFileIsAnEmptyStoreAsInGoDqlite() throws IOException {
    Path file = Files.writeString(dir.resolve("cluster.yaml"), "");
    assertThat(YamlNodeStore.open(file).get()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "- Address: a:1\\n  ID: -1\\n|entry 1: ID -1 is not an unsigned 64-bit integer",
        "- Address: a:1\\n  ID: 18446744073709551616\\n|is not an unsigned 64-bit integer",
        "- Address: a:1\\n  ID: abc\\n|ID \"abc\" is not an unsigned 64-bit integer",
        "- Address: a:1\\n- ID: 1\\n|entry 2: Address is missing",
        "- Address: [a, b]\\n|entry 1: Address is not a string",
        "- Address: a:1\\n  Role: 3\\n|Role 3 is not 0 (voter), 1 (stand-by) or 2 (spare)",
        "- Address: a:1\\n  Role: voter\\n|Role \"voter\" is not 0",
        "Address: a:1\\n|expected a list of nodes",
        "- just-a-string\\n|entry 1: expected a mapping",
        "- Address: 'unterminated\\n|not valid YAML",
      })
  void corruptFilesNameTheFileAndTheProblem(String content, String problem) throws IOException {
    Path file = Files.writeString(dir.resolve("cluster.yaml"), content.replace("\\n", "\n"));
    assertThatThrownBy(() -> YamlNodeStore.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining(problem);
  }

  @Test
  void unreadableFileIsAnIoExceptionNamingIt() throws IOException {
    Path file = Files.createDirectory(dir.resolve("cluster.yaml"));
    assertThatThrownBy(() -> YamlNodeStore.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("read " + file);
  }

  @Test
  void singleNodeFileNeedsAMapping() throws IOException {
    Path info = Files.writeString(dir.resolve("info.yaml"), "");
    assertThatThrownBy(() -> YamlNodeStore.readNode(info))
        .hasMessageStartingWith(info.toString())
        .hasMessageContaining("empty");
    Files.writeString(info, "- Address: a:1\n");
    assertThatThrownBy(() -> YamlNodeStore.readNode(info))
        .hasMessageContaining("expected a mapping of ID, Address and Role, found a list");
  }
}
