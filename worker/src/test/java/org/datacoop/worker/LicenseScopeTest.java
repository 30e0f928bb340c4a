package org.datacoop.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.chain.TaskSpec;
import org.datacoop.compute.builtin.Builtin;
import org.junit.jupiter.api.Test;

class LicenseScopeTest {
    private static TaskSpec spec(String algorithm) {
        return new TaskSpec(1, "SELECT steps FROM daily_steps", algorithm, "{}", new byte[65], Optional.empty(),
                Optional.empty());
    }

    @Test
    void aBuiltInThatTrainsNeedsATrainingLicense() {
        assertThat(TaskExecution.licenseScope(spec(Builtin.LOGISTIC_REGRESSION.descriptor()))).isEqualTo(Scope.TRAINING);
        assertThat(TaskExecution.licenseScope(spec(Builtin.LINEAR_REGRESSION.descriptor()))).isEqualTo(Scope.TRAINING);
    }

    @Test
    void aBuiltInThatAppliesAModelNeedsAComputeLicense() {
        assertThat(TaskExecution.licenseScope(spec(Builtin.PREDICT.descriptor()))).isEqualTo(Scope.COMPUTE);
        assertThat(TaskExecution.licenseScope(spec(Builtin.EVALUATE.descriptor()))).isEqualTo(Scope.COMPUTE);
    }

    @Test
    void aProgramMayTrainSoItNeedsATrainingLicense() {
        assertThat(TaskExecution.licenseScope(spec("0x" + "ab".repeat(32)))).isEqualTo(Scope.TRAINING);
        assertThat(TaskExecution.licenseScope(spec("builtin:predict/v9"))).as("an unknown built-in is no built-in")
                .isEqualTo(Scope.TRAINING);
    }
}
