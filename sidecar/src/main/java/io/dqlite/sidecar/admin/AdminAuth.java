package io.dqlite.sidecar.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may call {@code /cluster} and {@code /handover}: callers with the token in {@code tokenFile}
 * ({@code --admin-token-file}); nobody, when no file is configured (safe by default); or anyone,
 * with the explicit opt-out {@code --admin-auth=none}.
 *
 * @param open no authentication at all ({@code --admin-auth=none})
 * @param tokenFile the file holding the token; empty with {@code open} or when not configured
 */
public record AdminAuth(boolean open, Optional<Path> tokenFile) {

  /** The longest token file read; a Secret's token is 43 characters. */
  static final int MAX_TOKEN_BYTES = 4096;

  public AdminAuth {
    Objects.requireNonNull(tokenFile, "tokenFile");
    if (open && tokenFile.isPresent()) {
      throw new IllegalArgumentException(
          "--admin-auth=none and --admin-token-file exclude each other: drop one");
    }
  }

  /**
   * From {@code --admin-auth} ({@code token} or {@code none}, as {@link
   * io.dqlite.sidecar.api.SidecarSetting#ADMIN_AUTH} parses it) and {@code --admin-token-file}
   * (null when not set).
   */
  public static AdminAuth of(String mode, Path tokenFile) {
    if ("none".equals(mode)) {
      return new AdminAuth(true, Optional.ofNullable(tokenFile));
    }
    return tokenFile == null ? unconfigured() : token(tokenFile);
  }

  /** Callers need the token in {@code file}. */
  public static AdminAuth token(Path file) {
    return new AdminAuth(false, Optional.of(file));
  }

  /** No token configured: {@code /cluster} and {@code /handover} refuse every call. */
  public static AdminAuth unconfigured() {
    return new AdminAuth(false, Optional.empty());
  }

  /** Anyone may call them ({@code --admin-auth=none}). */
  public static AdminAuth none() {
    return new AdminAuth(true, Optional.empty());
  }

  /**
   * The token, read now (so that a Secret renewed in the volume applies without a restart).
   *
   * @throws IOException when the file cannot be read, is empty or too long, naming the file
   */
  public static String readToken(Path file) throws IOException {
    long size;
    byte[] bytes;
    try {
      size = Files.size(file);
      if (size > MAX_TOKEN_BYTES) {
        throw new IOException(
            "admin token file "
                + file
                + " has "
                + size
                + " bytes; a token has"
                + " at most "
                + MAX_TOKEN_BYTES);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("admin token file")) {
        throw e;
      }
      throw new IOException(
          "cannot read admin token file "
              + file
              + ": "
              + e
              + " (check --admin-token-file and the mounted Secret)",
          e);
    }
    String token = new String(bytes, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new IOException(
          "admin token file " + file + " is empty (check the mounted Secret's" + " token key)");
    }
    return token;
  }
}
