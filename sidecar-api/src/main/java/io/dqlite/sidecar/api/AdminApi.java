package io.dqlite.sidecar.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The sidecar admin API's contract, declared once for the sidecar that serves it and the operator
 * and tools that call it (docs/sidecar.md, "Admin endpoints"): paths, how a caller authenticates,
 * and how {@code POST /handover} names the node it means.
 *
 * <p>{@code /livez}, {@code /readyz} and {@code /metrics} are open. {@code /cluster} and {@code
 * /handover} need {@code Authorization: Bearer <token>}, the token being the {@value #TOKEN_KEY}
 * key of the cluster's admin Secret, which the sidecar reads from a file. {@code POST
 * /handover?node=<id>} names the raft id of the node the caller means (0x-hex or decimal); a
 * sidecar running another node answers 409, so a reused pod IP cannot hand over the wrong node. The
 * bodies are {@link SidecarView} and {@link HandoverAnswer} ({@link AdminJson}); the port is {@link
 * SidecarPorts#ADMIN}.
 */
public final class AdminApi {

  public static final String LIVEZ = "/livez";
  public static final String READYZ = "/readyz";
  public static final String METRICS = "/metrics";
  public static final String CLUSTER = "/cluster";
  public static final String HANDOVER = "/handover";

  /** The query parameter of {@code POST /handover} naming the node. */
  public static final String NODE_PARAMETER = "node";

  /**
   * The optional query parameter of {@code POST /handover} listing, comma-separated, the raft ids
   * (0x-hex or decimal) that must not receive leadership or the node's role: members about to be
   * removed. Sidecars that predate it ignore it.
   */
  public static final String EXCLUDE_PARAMETER = "exclude";

  /** The admin Secret's key, and the file name it is mounted as. */
  public static final String TOKEN_KEY = "token";

  public static final String AUTHORIZATION = "Authorization";
  private static final String BEARER = "Bearer ";

  private AdminApi() {}

  /** The {@code Authorization} header value for {@code token}. */
  public static String bearer(String token) {
    return BEARER + token;
  }

  /** The path and query of a handover of node {@code id}. */
  public static String handoverPath(long id) {
    return HANDOVER + "?" + NODE_PARAMETER + "=" + hexId(id);
  }

  /** The path and query of a handover of node {@code id} that gives nothing to {@code exclude}. */
  public static String handoverPath(long id, java.util.Collection<Long> exclude) {
    if (exclude.isEmpty()) {
      return handoverPath(id);
    }
    return handoverPath(id)
        + "&"
        + EXCLUDE_PARAMETER
        + "="
        + exclude.stream().sorted().map(AdminApi::hexId).collect(Collectors.joining(","));
  }

  /** A raft id as {@code /cluster} prints it: {@code 0x} and lower-case hex. */
  public static String hexId(long id) {
    return "0x" + Long.toHexString(id);
  }

  /** A raft id from {@code 0x}-hex or unsigned decimal; empty when it is neither. */
  public static OptionalLong parseId(String text) {
    String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("0x") && s.length() > 2 && s.length() <= 18) {
        return OptionalLong.of(Long.parseUnsignedLong(s.substring(2), 16));
      }
      if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
        return OptionalLong.of(Long.parseUnsignedLong(s));
      }
    } catch (NumberFormatException e) {
      // out of range: not an id
    }
    return OptionalLong.empty();
  }

  /**
   * Whether an {@code Authorization} header carries {@code expected} as a bearer token. The
   * comparison takes the same time wherever the tokens differ (both sides are hashed first, so not
   * even the length leaks).
   */
  public static boolean carriesToken(Optional<String> authorization, String expected) {
    if (authorization.isEmpty() || expected.isEmpty()) {
      return false;
    }
    String value = authorization.get().strip();
    if (value.length() < BEARER.length()
        || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    String given = value.substring(BEARER.length()).strip();
    return MessageDigest.isEqual(sha256(given), sha256(expected));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
