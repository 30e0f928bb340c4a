package org.datacoop.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class FixedPointTest {
    @Test
    void scalesAndRoundsHalfEven() {
        assertThat(FixedPoint.of(12, 0)).isEqualTo(12);
        assertThat(FixedPoint.of(5.4321, 3)).isEqualTo(5432);
        assertThat(FixedPoint.of(new BigDecimal("0.0125"), 3)).isEqualTo(12);
        assertThat(FixedPoint.of(new BigDecimal("0.0135"), 3)).isEqualTo(14);
        assertThat(FixedPoint.of(-2.5, 0)).isEqualTo(-2);
        assertThat(FixedPoint.value(BigInteger.valueOf(5432), 3)).isEqualByComparingTo("5.432");
    }

    @Test
    void refusesWhatTheCircuitsCannotCompareExactly() {
        assertThat(FixedPoint.of(Integer.MAX_VALUE, 0)).isEqualTo(Integer.MAX_VALUE);
        assertThat(FixedPoint.of(Integer.MIN_VALUE, 0)).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> FixedPoint.of(1L << 31, 0)).isInstanceOf(ZkException.class)
                .hasMessage("a value is out of the circuits' range at scale 0: it must lie in [-2147483648, 2147483647]"
                        + " once scaled");
        assertThatThrownBy(() -> FixedPoint.of(3.0, 9)).hasMessageContaining("out of the circuits' range at scale 9");
        assertThatThrownBy(() -> FixedPoint.of(Double.NaN, 2)).hasMessage("not a finite number: NaN");
        assertThatThrownBy(() -> FixedPoint.of(1, 10)).hasMessage("a scale must be 0 to 9, got 10");
    }
}
