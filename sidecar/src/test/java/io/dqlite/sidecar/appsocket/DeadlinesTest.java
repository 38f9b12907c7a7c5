package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

  @Test
  void anArmedDeadlineFiresOnceWithinATickOfItsTime() {
    AtomicInteger fired = new AtomicInteger();
    try (Deadlines.Watch watch = Deadlines.watch(fired::incrementAndGet)) {
      long start = System.nanoTime();
      Deadlines.Guard guard = watch.arm(Duration.ofMillis(200));
      await().atMost(Duration.ofSeconds(5)).until(() -> fired.get() == 1);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).isGreaterThanOrEqualTo(200);
      assertThat(guard.fired()).isTrue();
      guard.close();
      sleep(3 * Deadlines.TICK_MILLIS);
      assertThat(fired.get()).isEqualTo(1);
    }
  }

  @Test
  void aDisarmedOrClosedWatchNeverFires() {
    AtomicInteger fired = new AtomicInteger();
    Deadlines.Watch watch = Deadlines.watch(fired::incrementAndGet);
    for (int i = 0; i < 1000; i++) {
      try (Deadlines.Guard g = watch.arm(Duration.ofMillis(150))) {
        assertThat(g.fired()).isFalse();
      }
    }
    sleep(150 + 3 * Deadlines.TICK_MILLIS);
    watch.arm(Duration.ofMillis(1));
    watch.close();
    sleep(3 * Deadlines.TICK_MILLIS);
    assertThat(fired.get()).isZero();
  }

  @Test
  void aOneShotDeadlineFiresUnlessClosedFirst() {
    AtomicInteger fired = new AtomicInteger();
    try (Deadlines.Guard g = Deadlines.arm(Duration.ofSeconds(30), fired::incrementAndGet)) {
      assertThat(g.fired()).isFalse();
    }
    Deadlines.Guard late = Deadlines.arm(Duration.ofMillis(50), fired::incrementAndGet);
    await().atMost(Duration.ofSeconds(5)).until(late::fired);
    late.close();
    // The action runs on a closer thread, just after the deadline is marked fired.
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.get() == 1);
  }

  @Test
  void anErrorInAnExpiryActionDoesNotStopTheSweeper() {
    Deadlines.Guard failing =
        Deadlines.arm(
            Duration.ofMillis(10),
            () -> {
              throw new StackOverflowError("an expiry action's Error");
            });
    await().atMost(Duration.ofSeconds(5)).until(failing::fired);
    failing.close();
    AtomicInteger fired = new AtomicInteger();
    try (Deadlines.Guard next = Deadlines.arm(Duration.ofMillis(10), fired::incrementAndGet)) {
      await("a deadline after the Error")
          .atMost(Duration.ofSeconds(5))
          .until(() -> fired.get() == 1);
    }
  }

  @Test
  void aCloseThatBlocksDoesNotHoldTheOtherDeadlines() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch blocking = new java.util.concurrent.CountDownLatch(1);
    // As a TLS socket's close can: waits for a peer that never reads its close_notify.
    Deadlines.Guard stuck =
        Deadlines.arm(
            Duration.ofMillis(10),
            () -> {
              blocking.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    try {
      assertThat(blocking.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      AtomicInteger fired = new AtomicInteger();
      for (int i = 0; i < 3; i++) {
        try (Deadlines.Guard next = Deadlines.arm(Duration.ofMillis(10), fired::incrementAndGet)) {
          int want = i + 1;
          await("deadline " + want + " while a close blocks")
              .atMost(Duration.ofSeconds(5))
              .until(() -> fired.get() == want);
        }
      }
    } finally {
      release.countDown();
      stuck.close();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
