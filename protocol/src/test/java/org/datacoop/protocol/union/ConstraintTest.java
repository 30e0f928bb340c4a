package org.datacoop.protocol.union;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstraintTest {
    @Test
    void everyKindReadsBackAsWritten() {
        for (String text : List.of("free", "5", "1..4", "{1,3,7}", "{age,steps}", "steps")) {
            assertThat(Constraint.parse(text).text()).isEqualTo(text);
        }
        assertThat(Constraint.parse("{7,1,3,3}").values()).containsExactly(BigInteger.ONE, BigInteger.valueOf(3),
                BigInteger.valueOf(7));
    }

    @Test
    void aTextValueIsItsBytesLeftAligned() {
        BigInteger steps = Constraint.value("steps");
        assertThat(steps.toString(16)).startsWith("7374657073").hasSize(64);
        assertThat(Constraint.of(1, List.of(steps))).isEqualTo(new Constraint.Fixed(steps));
    }

    @Test
    void malformedOnesAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> Constraint.parse("5..4")).hasMessageContaining("range 5..4 is empty");
        assertThatThrownBy(() -> Constraint.parse("{}")).hasMessageContaining("a number or a text of 1 to 32 bytes");
        assertThatThrownBy(() -> Constraint.parse(" ")).hasMessageContaining("it was empty");
        assertThatThrownBy(() -> Constraint.value("x".repeat(33))).hasMessageContaining("1 to 32 bytes");
        assertThatThrownBy(() -> Constraint.of(9, List.of())).hasMessageContaining("unknown constraint kind 9");
    }
}
