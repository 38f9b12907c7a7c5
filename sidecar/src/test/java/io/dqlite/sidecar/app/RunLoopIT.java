package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** The App's run loop on a real node: failed ticks, and what comes after them. */
class RunLoopIT {

  private static final String HOST = "127.0.7.16";

  /** Longer than the 1 s retry, so that the two pauses tell apart. */
  private static final Duration PERIOD = Duration.ofMillis(1500);

  @TempDir Path tmp;

  /**
   * The roles-adjustment hook runs inside a tick: it fails twice with the same exception, then once
   * with an Error, then succeeds. The loop retries after 1 s each time, logs each distinct failure
   * once, and goes back to its period as soon as a tick succeeds.
   */
  @Test
  void afterFailedTicksTheLoopGoesBackToItsPeriod_andAnErrorDoesNotStopIt() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    List<String> errors = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    try (App app =
        App.builder(tmp.resolve("n1"))
            .address(Loopback.freeAddress(HOST))
            .rolesAdjustmentFrequency(PERIOD)
            .log(
                (level, message) -> {
                  if (level == Level.ERROR) {
                    errors.add(message);
                  } else if (message.contains("run loop: recovered")) {
                    events.add("recovered");
                  }
                })
            .rolesAdjustmentHook(
                (leader, members) -> {
                  int n = calls.incrementAndGet();
                  events.add("hook " + n);
                  if (n <= 2) {
                    throw new IllegalStateException("injected failure");
                  }
                  if (n == 3) {
                    throw new StackOverflowError("injected error");
                  }
                })
            .build()) {
      app.observeLoopPauses(d -> events.add("pause " + d.toMillis()));
      app.ready(Duration.ofSeconds(30));

      await("5 ticks that reach the hook")
          .atMost(Duration.ofSeconds(30))
          .until(() -> calls.get() >= 5);

      List<String> seen = List.copyOf(events);
      int first = seen.indexOf("hook 1");
      int fifth = seen.indexOf("hook 5");
      assertThat(seen.subList(first, fifth + 1))
          .as("events %s", seen)
          .containsExactly(
              "hook 1",
              "pause 1000",
              "hook 2",
              "pause 1000",
              "hook 3",
              "pause 1000",
              "hook 4",
              "recovered",
              "pause 1500",
              "hook 5");
      assertThat(errors).as("error lines").hasSize(2);
      assertThat(errors.get(0)).contains("IllegalStateException: injected failure");
      assertThat(errors.get(1)).contains("StackOverflowError: injected error");
    }
  }
}
