package io.dqlite.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvWorkloadTest {

  @Test
  void keysAndValuesHaveGoDqliteSizes() {
    Random r = new Random(1);
    String key = KvWorkload.randomKey(r);
    String value = KvWorkload.randomValue(r);
    assertThat(key).hasSize(32).matches("[a-zA-Z]+");
    assertThat(value).hasSize(1024).matches("[a-zA-Z]+");
    // The first half is one letter repeated (compressible), as go's randValue.
    assertThat(value.substring(0, 512).chars().distinct().count()).isEqualTo(1);
  }

  @Test
  void kvwriteNeverReads() {
    Random r = new Random(2);
    List<String> keys = List.of("k");
    for (int i = 0; i < 100; i++) {
      assertThat(KvWorkload.KVWRITE.nextIsRead(r, keys)).isFalse();
    }
  }

  @Test
  void kvreadwriteReadsAboutHalfTheTimeOnceAKeyExists() {
    Random r = new Random(3);
    assertThat(KvWorkload.KVREADWRITE.nextIsRead(r, new ArrayList<>())).isFalse();
    int reads = 0;
    for (int i = 0; i < 10_000; i++) {
      if (KvWorkload.KVREADWRITE.nextIsRead(r, List.of("k"))) {
        reads++;
      }
    }
    assertThat(reads).isBetween(4_500, 5_500);
  }

  @Test
  void flagsAreDqliteBenchmarkNames() {
    assertThat(KvWorkload.KVWRITE.flag()).isEqualTo("kvwrite");
    assertThat(KvWorkload.parse("kvreadwrite")).isEqualTo(KvWorkload.KVREADWRITE);
  }
}
