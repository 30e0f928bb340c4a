package org.datacoop.sdk.contribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Variables a validator would refuse are refused here, before the contribution pays its fee. */
class ProgramVariablesTest {
    @Test
    void refusesAReservedNameAsAnEnvVarOrASecretBeforeAnythingIsSent() {
        assertThatThrownBy(() -> new ProgramVariables(Map.of("LD_PRELOAD", "/input/evil.so"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LD_PRELOAD is reserved: it would change what the program runs");
        assertThatThrownBy(() -> new ProgramVariables(Map.of(), Map.of("PYTHONPATH", "/input")))
                .hasMessageContaining("PYTHONPATH is reserved");
    }

    @Test
    void refusesANameThatIsNoVariableNameOrOneGivenTwiceAndNeverShowsAValue() {
        assertThatThrownBy(() -> new ProgramVariables(Map.of("1ST", "v"), Map.of()))
                .hasMessageContaining("'1ST' is not an environment variable name");
        assertThatThrownBy(() -> new ProgramVariables(Map.of("API_KEY", "x"), Map.of("API_KEY", "hunter2")))
                .hasMessageContaining("API_KEY is given both")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void keepsOrdinaryNames() {
        ProgramVariables variables = new ProgramVariables(Map.of("SCORING_MODE", "strict"), Map.of("API_KEY", "k"));
        assertThat(variables.envVars()).containsEntry("SCORING_MODE", "strict");
        assertThat(variables.toString()).doesNotContain("k]").contains("API_KEY");
    }
}
