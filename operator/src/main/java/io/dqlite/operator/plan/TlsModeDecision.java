package io.dqlite.operator.plan;

import io.dqlite.operator.crd.TlsMode;
import io.dqlite.operator.crd.TlsStatus;
import java.util.Optional;

/**
 * Which TLS mode a cluster runs in. Pure.
 *
 * <p>A cluster without {@code spec.tls} gets generated certificates, but only if it is new: one
 * created before TLS became the default runs plaintext, and its nodes restarted with TLS could not
 * talk to the ones not yet restarted (the cluster would split). So the mode is fixed once a cluster
 * exists, and "exists" is read from what is there: the StatefulSet's pod template (whether it
 * mounts a TLS Secret) wins, then the mode recorded in {@code status.tls} at the first
 * reconciliation, and only when neither exists does the spec (or the default) decide. A spec that
 * asks for another mode than the one running is not followed: the cluster keeps its mode and the
 * status says why ({@link #MISMATCH}); a cluster running plaintext because it predates the default
 * is told how to say so explicitly ({@link #PLAINTEXT_BY_DEFAULT}).
 */
public final class TlsModeDecision {

  /** A cluster without spec.tls running plaintext: it was created before TLS was the default. */
  public static final String PLAINTEXT_BY_DEFAULT = "PlaintextByDefault";

  /** spec.tls asks for another mode than the one the cluster runs. */
  public static final String MISMATCH = "TlsModeMismatch";

  private TlsModeDecision() {}

  /**
   * @param mode the mode to run in
   * @param reason why it is not what the spec asks for, or why a plaintext cluster is told about
   *     it; empty when all is as asked
   * @param message what that means and what to set
   */
  public record Choice(TlsMode mode, Optional<String> reason, Optional<String> message) {

    static Choice asAsked(TlsMode mode) {
      return new Choice(mode, Optional.empty(), Optional.empty());
    }

    static Choice warn(TlsMode mode, String reason, String message) {
      return new Choice(mode, Optional.of(reason), Optional.of(message));
    }

    /** As {@code status.tls}. */
    public TlsStatus status() {
      return new TlsStatus(mode.value(), reason.orElse(null), message.orElse(null));
    }
  }

  /**
   * @param requested what {@code spec.tls} names; empty when absent
   * @param recorded {@code status.tls.mode}; empty when none was recorded (a new cluster, or one
   *     created by an operator version that did not record it)
   * @param statefulSetTls whether the StatefulSet's pods mount a TLS Secret; empty when there is no
   *     StatefulSet
   */
  public static Choice decide(
      Optional<TlsMode> requested, Optional<TlsMode> recorded, Optional<Boolean> statefulSetTls) {
    Optional<TlsMode> established =
        statefulSetTls
            .map(
                tls ->
                    !tls
                        ? TlsMode.DISABLED
                        // Which kind of TLS: the record or the spec know; a pod template with TLS
                        // and neither is one this operator made by default.
                        : recorded
                            .filter(TlsMode::tls)
                            .or(() -> requested.filter(TlsMode::tls))
                            .orElse(TlsMode.GENERATED))
            .or(() -> recorded);
    if (established.isEmpty()) {
      return Choice.asAsked(requested.orElse(TlsMode.GENERATED));
    }
    TlsMode mode = established.get();
    if (requested.isEmpty()) {
      return mode == TlsMode.DISABLED
          ? Choice.warn(
              mode,
              PLAINTEXT_BY_DEFAULT,
              "the cluster runs without TLS: it was created before TLS became the default, and"
                  + " switching in place would split it. Any pod that can reach port 9001 can read,"
                  + " write and dump every database and change the membership. Set"
                  + " spec.tls.plaintext: true to keep it so (this silences the warning), or move"
                  + " the data to a new cluster, which gets TLS")
          : Choice.asAsked(mode);
    }
    if (requested.get() != mode) {
      return Choice.warn(
          mode,
          MISMATCH,
          "spec.tls asks for "
              + describe(requested.get())
              + " but the cluster runs "
              + describe(mode)
              + " since its creation: the mode cannot change in place (nodes of the two modes"
              + " cannot talk to each other). Set spec.tls to "
              + spec(mode)
              + ", or move the data to a new cluster");
    }
    return Choice.asAsked(mode);
  }

  private static String describe(TlsMode mode) {
    return switch (mode) {
      case GENERATED -> "generated certificates";
      case SECRET -> "a user's Secret";
      case DISABLED -> "plaintext";
    };
  }

  private static String spec(TlsMode mode) {
    return switch (mode) {
      case GENERATED -> "generate: true (or remove it)";
      case SECRET -> "the secretName it was created with";
      case DISABLED -> "plaintext: true";
    };
  }
}
