package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlockRangeTest {
    @Test
    void coversEveryBlockOnceInRangesOfAtMostTheGivenSize() {
        assertThat(BlockRange.split(1, 7, 2)).containsExactly(
                new BlockRange(1, 2), new BlockRange(3, 4), new BlockRange(5, 6), new BlockRange(7, 7));
        assertThat(BlockRange.split(0, 9_999, BlockRange.MAX_BLOCKS)).containsExactly(new BlockRange(0, 9_999));
        assertThat(BlockRange.split(5, 5, 2)).containsExactly(new BlockRange(5, 5));
    }

    @Test
    void hasNothingToScanWhenTheEndIsBeforeTheStart() {
        assertThat(BlockRange.split(8, 7, 2)).isEmpty();
    }

    @Test
    void doesNotOverflowAtTheLastBlockNumbers() {
        assertThat(BlockRange.split(Long.MAX_VALUE - 2, Long.MAX_VALUE, Long.MAX_VALUE))
                .containsExactly(new BlockRange(Long.MAX_VALUE - 2, Long.MAX_VALUE));
        assertThat(BlockRange.split(Long.MAX_VALUE - 2, Long.MAX_VALUE, 2)).containsExactly(
                new BlockRange(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1), new BlockRange(Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void refusesANegativeStartOrAnEmptyRangeNamingIt() {
        assertThatThrownBy(() -> BlockRange.split(-1, 7, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a scan cannot start at block -1; blocks are numbered from 0");
        assertThatThrownBy(() -> BlockRange.split(1, 7, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a scan must read at least 1 block per call, not 0");
        assertThatThrownBy(() -> new BlockRange(5, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5..4");
    }
}
