package io.dqlite.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

  private static long[] oneToN(int n) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i + 1) * 1_000_000L; // 1 ms .. n ms
    }
    return v;
  }

  @Test
  void nearestRankPercentilesOfOneToHundred() {
    long[] v = oneToN(100);
    assertThat(LatencyStats.percentile(v, 50)).isEqualTo(50_000_000L);
    assertThat(LatencyStats.percentile(v, 95)).isEqualTo(95_000_000L);
    assertThat(LatencyStats.percentile(v, 99)).isEqualTo(99_000_000L);
    assertThat(LatencyStats.percentile(v, 100)).isEqualTo(100_000_000L);
    assertThat(LatencyStats.percentile(v, 0.5)).isEqualTo(1_000_000L);
  }

  @Test
  void nearestRankRoundsUp() {
    long[] v = oneToN(10);
    // 99% of 10 samples is 9.9: the 10th sample; 50% is exactly the 5th.
    assertThat(LatencyStats.percentile(v, 99)).isEqualTo(10_000_000L);
    assertThat(LatencyStats.percentile(v, 50)).isEqualTo(5_000_000L);
    assertThat(LatencyStats.percentile(v, 51)).isEqualTo(6_000_000L);
  }

  @Test
  void statsSortACopyAndUseOnlyTheFirstN() {
    long[] v = {9_000_000L, 1_000_000L, 5_000_000L, 777_000_000L};
    LatencyStats s = LatencyStats.of(v, 3);
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.avgMs()).isCloseTo(5.0, within(1e-9));
    assertThat(s.p50Ms()).isEqualTo(5.0);
    assertThat(s.p99Ms()).isEqualTo(9.0);
    assertThat(s.maxMs()).isEqualTo(9.0);
    assertThat(v).containsExactly(9_000_000L, 1_000_000L, 5_000_000L, 777_000_000L);
  }

  @Test
  void singleSampleIsEveryPercentile() {
    LatencyStats s = LatencyStats.of(new long[] {2_500_000L}, 1);
    assertThat(s.p50Ms()).isEqualTo(2.5);
    assertThat(s.p99Ms()).isEqualTo(2.5);
    assertThat(s.maxMs()).isEqualTo(2.5);
  }

  @Test
  void noSamplesIsEmpty() {
    assertThat(LatencyStats.of(new long[4], 0)).isEqualTo(LatencyStats.EMPTY);
  }

  @Test
  void refusesBadArguments() {
    assertThatThrownBy(() -> LatencyStats.percentile(new long[0], 50))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyStats.percentile(oneToN(3), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyStats.percentile(oneToN(3), 100.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyStats.of(new long[2], 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void samplesGrowPastTheirInitialCapacity() {
    Samples s = new Samples();
    for (int i = 1; i <= 40_000; i++) {
      s.add(i * 1_000L);
    }
    assertThat(s.size()).isEqualTo(40_000);
    assertThat(s.stats().maxMs()).isEqualTo(40.0);
    assertThat(s.stats().p50Ms()).isEqualTo(20.0);
  }
}
