package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a safety net against hangs, not a speed assertion
class WatchdogTest {

  @Test
  void firesOncePastTheDeadline() {
    AtomicInteger fired = new AtomicInteger();
    Watchdog.Guard g = Watchdog.arm(Duration.ofMillis(200), fired::incrementAndGet);
    await().atMost(Duration.ofSeconds(10)).until(g::fired);
    await().atMost(Duration.ofSeconds(10)).until(() -> fired.get() == 1);
    g.close(); // closing after the fact is harmless
    assertThat(fired).hasValue(1);
  }

  @Test
  void aClosedGuardNeverFires() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    Watchdog.Guard g = Watchdog.arm(Duration.ofMillis(100), fired::incrementAndGet);
    g.close();
    Thread.sleep(100 + 3 * Watchdog.TICK.toMillis());
    assertThat(g.fired()).isFalse();
    assertThat(fired).hasValue(0);
  }

  @Test
  void shortAndLongDeadlinesMixed() {
    // A long guard makes the sweeper sleep a tick; a shorter one armed after must still fire.
    Watchdog.Guard longOne = Watchdog.arm(Duration.ofSeconds(30), () -> {});
    AtomicInteger fired = new AtomicInteger();
    Watchdog.Guard shortOne = Watchdog.arm(Duration.ofMillis(5), fired::incrementAndGet);
    await().atMost(Duration.ofSeconds(10)).until(() -> fired.get() == 1);
    assertThat(longOne.fired()).isFalse();
    longOne.close();
  }

  @Test
  void armsAfterAnIdlePeriodStillFire() throws Exception {
    // Nothing armed for a while: the sweeper parks; the next arm must wake it.
    Thread.sleep(3 * Watchdog.TICK.toMillis());
    Watchdog.Guard g = Watchdog.arm(Duration.ofMillis(150), () -> {});
    await().atMost(Duration.ofSeconds(10)).until(g::fired);
  }

  @Test
  void manyGuardsFireIndependently() {
    List<Watchdog.Guard> kept = new ArrayList<>();
    AtomicInteger fired = new AtomicInteger();
    for (int i = 0; i < 1_000; i++) {
      Watchdog.Guard g = Watchdog.arm(Duration.ofMillis(100 + i % 50), fired::incrementAndGet);
      if (i % 2 == 0) {
        g.close();
      } else {
        kept.add(g);
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> kept.stream().allMatch(Watchdog.Guard::fired));
    await().atMost(Duration.ofSeconds(20)).until(() -> fired.get() == 500);
    assertThat(fired).hasValue(500);
  }

  @Test
  void aFailingActionDoesNotStopTheSweeper() {
    Watchdog.Guard bad =
        Watchdog.arm(
            Duration.ofMillis(50),
            () -> {
              throw new IllegalStateException("boom");
            });
    await().atMost(Duration.ofSeconds(10)).until(bad::fired);
    Watchdog.Guard next = Watchdog.arm(Duration.ofMillis(50), () -> {});
    await().atMost(Duration.ofSeconds(10)).until(next::fired);
  }

  @Test
  void anErrorThrownByAnActionDoesNotKillTheSweeper() {
    Watchdog.Guard bad =
        Watchdog.arm(
            Duration.ofMillis(20),
            () -> {
              throw new StackOverflowError("an Error, not an Exception");
            });
    await().atMost(Duration.ofSeconds(10)).until(bad::fired);
    for (int i = 0; i < 3; i++) { // and again: neither the sweeper nor the action threads died
      AtomicInteger ran = new AtomicInteger();
      Watchdog.Guard next = Watchdog.arm(Duration.ofMillis(20), ran::incrementAndGet);
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 1);
      assertThat(next.fired()).isTrue();
    }
  }

  @Test
  void anActionThatBlocksDoesNotDelayOtherDeadlines() throws Exception {
    // Stands for closing an SSLSocket whose close_notify waits behind a stuck writer.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    Watchdog.Guard stuck =
        Watchdog.arm(
            Duration.ofMillis(20),
            () -> {
              blocking.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    try {
      assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
      AtomicInteger ran = new AtomicInteger();
      long start = System.nanoTime();
      Watchdog.Guard other = Watchdog.arm(Duration.ofMillis(100), ran::incrementAndGet);
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 1);
      assertThat(other.fired()).isTrue();
      assertThat(stuck.fired()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    } finally {
      release.countDown();
    }
  }
}
