package io.dqlite.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes conditions as API conventions want them: {@code lastTransitionTime} changes only when
 * the status does, {@code observedGeneration} names the generation the condition describes. Pure.
 */
public final class Conditions {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  /** Condition messages are capped (the API server has no limit, but humans read them). */
  static final int MAX_MESSAGE = 1024;

  private Conditions() {}

  /**
   * The condition of {@code type}, keeping the previous transition time when the status is the
   * same.
   */
  public static Condition of(
      List<Condition> previous,
      String type,
      String status,
      String reason,
      String message,
      Long generation,
      Instant now) {
    String transition =
        find(previous, type)
            .filter(c -> Objects.equals(c.getStatus(), status) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(cap(message))
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  public static String status(boolean value) {
    return value ? TRUE : FALSE;
  }

  private static String cap(String message) {
    return message == null || message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
