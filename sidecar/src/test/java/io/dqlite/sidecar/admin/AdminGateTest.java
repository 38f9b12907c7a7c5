package io.dqlite.sidecar.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminGateTest {

  private static final AdminAuth TOKEN = AdminAuth.token(Path.of("/etc/dqlite/admin/token"));

  @ParameterizedTest(name = "{0}, file {1}, header {2} -> {3}")
  @CsvSource(
      delimiter = ';',
      nullValues = "null",
      value = {
        // auth; token in the file; Authorization; expected status (0: allowed)
        "token; s3cret; Bearer s3cret; 0",
        "token; s3cret; null; 401",
        "token; s3cret; Bearer nope; 401",
        "token; s3cret; Basic czNjcmV0; 401",
        "token; null; Bearer s3cret; 500",
        "unconfigured; null; Bearer s3cret; 403",
        "unconfigured; null; null; 403",
        "none; null; null; 0",
        "none; null; Bearer anything; 0",
      })
  void access(String mode, String token, String header, int expected) {
    AdminAuth auth =
        switch (mode) {
          case "token" -> TOKEN;
          case "none" -> AdminAuth.none();
          default -> AdminAuth.unconfigured();
        };
    Optional<AdminGate.Refusal> r =
        AdminGate.access(
            auth,
            Optional.ofNullable(token),
            token == null ? Optional.of("cannot read admin token file") : Optional.empty(),
            Optional.ofNullable(header));
    assertThat(r.map(AdminGate.Refusal::status).orElse(0)).isEqualTo(expected);
    r.ifPresent(x -> assertThat(x.reason()).doesNotContain("s3cret"));
  }

  @ParameterizedTest(name = "node={0} -> {1}")
  @CsvSource(
      nullValues = "null",
      value = {
        "0x2a, 0",
        "0X2A, 0",
        "42, 0",
        "0x2b, 409",
        "7, 409",
        "null, 400",
        "'', 400",
        "banana, 400",
        "0x, 400",
      })
  void handoverTarget(String node, int expected) {
    Optional<AdminGate.Refusal> r = AdminGate.handoverTarget(0x2a, Optional.ofNullable(node));
    assertThat(r.map(AdminGate.Refusal::status).orElse(0)).isEqualTo(expected);
  }

  @Test
  void tokenFilesAreStrippedAndBadOnesNamed(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("token");
    Files.writeString(f, "  abc\n");
    assertThat(AdminAuth.readToken(f)).isEqualTo("abc");
    Files.writeString(f, "\n");
    assertThatThrownBy(() -> AdminAuth.readToken(f)).hasMessageContaining(f + " is empty");
    Files.writeString(f, "x".repeat(AdminAuth.MAX_TOKEN_BYTES + 1));
    assertThatThrownBy(() -> AdminAuth.readToken(f)).hasMessageContaining("bytes");
    assertThatThrownBy(() -> AdminAuth.readToken(dir.resolve("missing")))
        .hasMessageContaining("cannot read admin token file")
        .hasMessageContaining("--admin-token-file");
  }

  @Test
  void noneAndAFileExcludeEachOther() {
    assertThatThrownBy(() -> new AdminAuth(true, Optional.of(Path.of("/t"))))
        .hasMessageContaining("exclude each other");
  }
}
