package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.net.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The loader and the library-wide calls, on the installed libdqlite. */
class DqliteLibraryIT {

  @Test
  void versionIsWhatTheLibraryReports() {
    DqliteLibrary library = DqliteLibrary.get();
    int number = library.versionNumber();
    // Debian's 1.11.1 reports 11000 ("1.10.0"); anything older than 1.10 lacks calls we use.
    assertThat(number).isGreaterThanOrEqualTo(11000);
    assertThat(library.version()).isEqualTo(DqliteLibrary.formatVersion(number));
    assertThat(library.file()).contains("libdqlite.so");
    assertThat(DqliteLibrary.get()).as("loaded once").isSameAs(library);
  }

  @Test
  void generatedIdsAreDistinctAndNeverZeroOrTheBootstrapId() {
    DqliteLibrary library = DqliteLibrary.get();
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      ids.add(library.generateNodeId("127.0.3.1:9001"));
      ids.add(library.generateNodeId("127.0.3.2:9001"));
    }
    assertThat(ids).hasSize(400).doesNotContain(0L, DqliteNode.BOOTSTRAP_ID);
  }

  @Test
  void missingLibraryNamesThePackageToInstall() {
    assertThatThrownBy(() -> DqliteLibrary.load("libdqlite-missing-for-test.so.0"))
        .isInstanceOf(NativeLibraryException.class)
        .hasMessageStartingWith(
            "libdqlite-missing-for-test.so.0 not found: install the Debian package libdqlite0")
        .hasCauseInstanceOf(UnsatisfiedLinkError.class);
  }

  @Test
  void missingSymbolIsAbsentNotACrash() {
    DqliteLibrary library = DqliteLibrary.get();
    assertThat(library.hasSymbol("dqlite_node_create")).isTrue();
    assertThat(library.hasSymbol("dqlite_no_such_function")).isFalse();
    assertThat(library.optionalFunction("dqlite_no_such_function")).isEmpty();
  }

  @Test
  void sigpipeIsHandledSoAWriteToAClosedPeerIsAnErrorNotDeath() throws IOException {
    DqliteLibrary.get();
    assertThat(Signals.sigpipeDisposition()).as("SIGPIPE disposition").isNotZero();

    NativeSockets.SocketPair pair = NativeSockets.socketPair();
    NativeSockets.close(pair.second());
    try (FdChannel channel = new FdChannel(pair.first())) {
      assertThatThrownBy(() -> channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3})))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("errno " + LibC.EPIPE);
    }
  }
}
