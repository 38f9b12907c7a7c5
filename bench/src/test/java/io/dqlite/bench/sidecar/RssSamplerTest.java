package io.dqlite.bench.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RssSamplerTest {

  @Test
  void readsVmRssInKib() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t   98304 kB\nRssAnon:\t 1 kB\n";
    assertThat(RssSampler.vmRss(status)).isEqualTo(OptionalLong.of(98304));
    assertThat(RssSampler.vmRss("Name:\tzombie\n")).isEmpty();
  }

  @Test
  void readsItsOwnProcess() {
    assertThat(RssSampler.read(ProcessHandle.current().pid()).getAsLong()).isPositive();
  }

  @Test
  void steadyIsTheMedianOfTheMeasuredWindowAndPeakTheLargestOfAll() {
    List<long[]> samples =
        List.of(
            new long[] {100, 0},
            new long[] {500, 0}, // warm-up, peak included
            new long[] {200, 1},
            new long[] {300, 1},
            new long[] {250, 1},
            new long[] {260, 1});
    RssSampler.Summary s = RssSampler.summarise("leader", 7, samples, 30);
    assertThat(s.startKib()).isEqualTo(100);
    assertThat(s.steadyKib()).isEqualTo(250); // lower median of 200, 250, 260, 300
    assertThat(s.peakKib()).isEqualTo(500);
    assertThat(s.cpuMillis()).isEqualTo(30);
    assertThat(RssSampler.summarise("x", 1, List.of(), -1).peakKib()).isEqualTo(-1);
  }

  @Test
  void cpuTimeIsUserPlusSystemTicks() {
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1 2 3 4 150 25 0 0 20 0 31 0 9 1 2";
    assertThat(RssSampler.cpuMillisOfStat(stat)).isEqualTo(1750);
    assertThat(RssSampler.cpuMillis(ProcessHandle.current().pid())).isPositive();
  }
}
