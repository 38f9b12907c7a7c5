package io.dqlite.localkube.probes;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.Instant;

/**
 * One probe's schedule and thresholds, as the kubelet counts them: the first run after {@code
 * initialDelaySeconds}, then every {@code periodSeconds}; the result flips to failure after {@code
 * failureThreshold} consecutive failures and back to success after {@code successThreshold}
 * consecutive successes. Pure: the caller runs the probe and reports results with the time.
 */
public final class ProbeTracker {
  private final Duration initialDelay;
  private final Duration period;
  private final Duration timeout;
  private final int successThreshold;
  private final int failureThreshold;
  private final Instant containerStarted;
  private Instant nextRun;
  private boolean success;
  private int consecutiveSuccesses;
  private int consecutiveFailures;
  private String lastMessage = "";

  /**
   * {@code initiallySuccessful}: true for liveness (a container is alive until proven otherwise),
   * false for readiness and startup.
   */
  public ProbeTracker(Probe probe, Instant containerStarted, boolean initiallySuccessful) {
    this.initialDelay = Duration.ofSeconds(orDefault(probe.getInitialDelaySeconds(), 0));
    this.period = Duration.ofSeconds(orDefault(probe.getPeriodSeconds(), 10));
    this.timeout = Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1));
    this.successThreshold = orDefault(probe.getSuccessThreshold(), 1);
    this.failureThreshold = orDefault(probe.getFailureThreshold(), 3);
    this.containerStarted = containerStarted;
    this.nextRun = containerStarted.plus(initialDelay);
    this.success = initiallySuccessful;
  }

  /** Whether the probe should run at {@code now}. */
  public boolean due(Instant now) {
    return !now.isBefore(nextRun);
  }

  /** When the probe runs next. */
  public Instant nextRun() {
    return nextRun;
  }

  /** How long one run may take. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Records a run's result and schedules the next one.
   *
   * @return true when the overall result changed
   */
  public boolean record(boolean ok, String message, Instant now) {
    lastMessage = message == null ? "" : message;
    nextRun = now.plus(period);
    boolean before = success;
    if (ok) {
      consecutiveFailures = 0;
      consecutiveSuccesses++;
      if (consecutiveSuccesses >= successThreshold) {
        success = true;
      }
    } else {
      consecutiveSuccesses = 0;
      consecutiveFailures++;
      if (consecutiveFailures >= failureThreshold) {
        success = false;
      }
    }
    return before != success;
  }

  /** Whether the failures in a row reached the failure threshold (a startup probe gave up). */
  public boolean failedThreshold() {
    return consecutiveFailures >= failureThreshold;
  }

  /** The current overall result. */
  public boolean success() {
    return success;
  }

  /** The last run's failure message (empty after a success). */
  public String lastMessage() {
    return lastMessage;
  }

  /** When the container this probe watches was started. */
  public Instant containerStarted() {
    return containerStarted;
  }

  private static int orDefault(Integer v, int d) {
    return v == null || v <= 0 ? d : v;
  }
}
