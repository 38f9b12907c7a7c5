package io.dqlite.sidecar.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerCheckTest {

  private static final List<String> LOG =
      List.of(
          "table ledger_x",
          "ack 1 1000",
          "ack 2 1010",
          "retry 3 08001",
          "ack 3 1500",
          "maybe 4 1600 08007 leadership lost",
          "ack 5 1700",
          "end 5 1710");

  @Test
  void everyAcknowledgedRowOnceIsClean() {
    LedgerCheck c = LedgerCheck.of(LOG, Map.of(1L, 1, 2L, 1, 3L, 1, 5L, 1));

    assertThat(c.acknowledged()).isEqualTo(4);
    assertThat(c.found()).isEqualTo(4);
    assertThat(c.lost()).isEmpty();
    assertThat(c.duplicates()).isEmpty();
    assertThat(c.maybeFound()).isEmpty();
    assertThat(c.unknownOutcomes()).isEqualTo(1);
    assertThat(c.longestGapMillis()).isEqualTo(490);
  }

  @Test
  void aMissingAcknowledgedRowIsLost() {
    LedgerCheck c = LedgerCheck.of(LOG, Map.of(1L, 1, 3L, 1, 5L, 1));

    assertThat(c.found()).isEqualTo(3);
    assertThat(c.lost()).containsExactly(2L);
  }

  @Test
  void aRowPresentTwiceIsADuplicateWhetherAcknowledgedOrNot() {
    LedgerCheck c = LedgerCheck.of(LOG, Map.of(1L, 1, 2L, 2, 3L, 1, 4L, 2, 5L, 1));

    assertThat(c.duplicates()).containsExactly(2L, 4L);
    assertThat(c.lost()).isEmpty();
  }

  @Test
  void anUnacknowledgedRowFoundIsAMaybeNotALoss() {
    LedgerCheck c = LedgerCheck.of(LOG, Map.of(1L, 1, 2L, 1, 3L, 1, 4L, 1, 5L, 1));

    assertThat(c.maybeFound()).containsExactly(4L);
    assertThat(c.lost()).isEmpty();
    assertThat(c.found()).isEqualTo(4);
  }

  @Test
  void aNumberAcknowledgedTwiceIsAWriterBug() {
    assertThatThrownBy(() -> LedgerCheck.of(List.of("ack 1 10", "ack 1 20"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acknowledged 1 twice");
  }
}
