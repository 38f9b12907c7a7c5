package io.dqlite.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDataTest {

  private static RunData slice(double seconds, long errors, long retries, long... writeNanos) {
    RunData d = new RunData();
    d.seconds = seconds;
    d.errors = errors;
    d.retries = retries;
    for (long n : writeNanos) {
      d.writes.add(n);
    }
    return d;
  }

  @Test
  void samplesFileRoundTrips(@TempDir Path dir) throws Exception {
    RunData d = slice(10.5, 2, 7, 1_000_000L, 3_000_000L);
    d.reads.add(250_000L);
    d.firstError = "database is locked\nsecond line";
    Path f = dir.resolve("slice.txt");
    d.write(f);
    RunData back = RunData.read(f);
    assertThat(back.seconds).isEqualTo(10.5);
    assertThat(back.errors).isEqualTo(2);
    assertThat(back.retries).isEqualTo(7);
    assertThat(back.firstError).isEqualTo("database is locked second line");
    assertThat(back.writes.size()).isEqualTo(2);
    assertThat(back.reads.get(0)).isEqualTo(250_000L);
  }

  @Test
  void poolingSumsTimeErrorsAndSamples() {
    RunData pooled = new RunData();
    pooled.add(slice(10, 1, 3, 1_000_000L));
    pooled.add(slice(10, 0, 4, 2_000_000L, 4_000_000L));
    Result r = pooled.toResult("java", KvWorkload.KVWRITE, 4, "leader");
    assertThat(r.seconds()).isEqualTo(20.0);
    assertThat(r.writesPerSecond()).isEqualTo(0.15);
    assertThat(r.errors()).isEqualTo(1);
    assertThat(r.retries()).isEqualTo(7);
    assertThat(r.write().maxMs()).isEqualTo(4.0);
  }

  @Test
  void unknownRetriesStayUnknown() {
    RunData pooled = new RunData();
    pooled.add(slice(10, 0, -1, 1_000_000L));
    pooled.add(slice(10, 0, -1, 1_000_000L));
    assertThat(pooled.retries).isEqualTo(-1);
  }

  @Test
  void aFileWithoutHeaderIsRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.txt");
    Files.writeString(f, "w 1\n");
    assertThatThrownBy(() -> RunData.read(f)).hasMessageContaining("no '# seconds' header");
  }
}
