package io.dqlite.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GapTrackerTest {

  @Test
  void longestGapIsBetweenConsecutiveSuccesses() {
    GapTracker g = new GapTracker(0);
    g.success(10);
    g.success(15);
    g.success(45);
    g.success(50);
    g.finish(52);
    assertThat(g.longestNanos()).isEqualTo(30);
    assertThat(g.longestEndsAt()).isEqualTo(45);
  }

  @Test
  void countsTheStartAndTheEnd() {
    GapTracker start = new GapTracker(0);
    start.success(40);
    start.success(45);
    start.finish(46);
    assertThat(start.longestNanos()).isEqualTo(40);

    GapTracker end = new GapTracker(0);
    end.success(1);
    end.finish(100);
    assertThat(end.longestNanos()).isEqualTo(99);
  }

  @Test
  void withoutAnySuccessTheGapIsTheWholeRun() {
    GapTracker g = new GapTracker(5);
    g.finish(25);
    g.finish(90);
    assertThat(g.longestNanos()).isEqualTo(20);
  }

  @Test
  void aRestartForgetsEarlierGapsButNotTheOneInProgress() {
    GapTracker connected = new GapTracker(0);
    connected.success(40); // the writer's own slow first connection
    connected.success(45);
    connected.restart(50);
    connected.success(60); // 15 since the last success, 10 of them after the restart
    connected.finish(61);
    assertThat(connected.longestNanos()).isEqualTo(15);

    GapTracker never = new GapTracker(0);
    never.restart(30);
    never.success(35);
    never.finish(36);
    assertThat(never.longestNanos()).isEqualTo(5);
  }
}
