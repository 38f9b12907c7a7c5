package io.dqlite.operator.dependents;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the pods read from a TLS Secret, as a short digest for the pod template's {@link
 * GeneratedTls#REVISION_ANNOTATION}: the same for the generated Secret and a user's. Pure.
 *
 * <p>Only {@link #KEYS} count, in a fixed order: a no-op update (a new resourceVersion, a label,
 * cert-manager's annotations, another key) leaves the revision as it is, so it restarts no pod; any
 * change of a file the sidecar reads gives a new one.
 */
public final class TlsRevision {

  /** The Secret's keys the sidecar reads, in the digest's order. */
  public static final List<String> KEYS = List.of("tls.crt", "tls.key", "ca.crt");

  private TlsRevision() {}

  /** The digest of {@code secret}'s {@link #KEYS}. */
  public static String of(Secret secret) {
    return of(secret.getData() == null ? Map.of() : secret.getData());
  }

  /**
   * The digest of {@code data}'s {@link #KEYS} (values as the API returns them, base64), 16 hex
   * digits of SHA-256. A missing key counts as empty, so that the generated Secret's revision is
   * what it was before user Secrets had one (no restart on upgrade).
   */
  public static String of(Map<String, String> data) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String key : KEYS) {
        String value = data.get(key);
        sha.update((value == null ? "" : value).getBytes(StandardCharsets.US_ASCII));
        // A separator, so that moving bytes from one key to the next changes the digest.
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The {@link #KEYS} that {@code data} lacks or holds empty, in {@link #KEYS}' order. */
  public static List<String> missing(Map<String, String> data) {
    return KEYS.stream().filter(k -> data.get(k) == null || data.get(k).isBlank()).toList();
  }
}
