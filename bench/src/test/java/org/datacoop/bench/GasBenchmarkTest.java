package org.datacoop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GasBenchmarkTest {
    @Test
    void settlementRowsAreWhatItsTestRecorded() {
        var measured = new GasBenchmark.Measured(Map.of("SettlementGas", Map.of("settle_1", 50000L), "Other", Map.of("x", 1L)));

        assertThat(GasBenchmark.settlement(measured)).containsExactly(Map.entry("settle_1", 50000L));
        assertThat(GasBenchmark.settlement(new GasBenchmark.Measured(Map.of()))).isEmpty();
    }

    @Test
    void sumsTheFiveStepsOfTheGoalAndLeavesRefinementOut() {
        Map<String, Long> steps = new java.util.HashMap<>();
        GasBenchmark.CONTRIBUTION_STEPS.forEach(step -> steps.put("first_" + step, 100L));
        steps.put("first_" + GasBenchmark.REFINEMENT_STEP, 1_000_000L);
        var measured = new GasBenchmark.Measured(Map.of("ContributionGas", steps));

        assertThat(GasBenchmark.contributionTotal(measured, "first")).isEqualTo(500);
    }

    @Test
    void aValidFileInAllAddsTheRefinementTheBindingAndTheCommitments() {
        Map<String, Long> steps = new java.util.HashMap<>();
        GasBenchmark.CONTRIBUTION_STEPS.forEach(step -> steps.put("later_" + step, 100L));
        steps.put("later_" + GasBenchmark.REFINEMENT_STEP, 1_000L);
        steps.put("later_bind", 10_000L);
        var measured = new GasBenchmark.Measured(
                Map.of("ContributionGas", steps, "ZkGas", Map.of(GasBenchmark.COMMIT, 100_000L, "recordClaim_32", 7L)));

        assertThat(GasBenchmark.validFileTotal(measured, "later")).isEqualTo(500 + 1_000 + 10_000 + 100_000);
        assertThatThrownBy(() -> GasBenchmark.validFileTotal(
                        new GasBenchmark.Measured(Map.of("ContributionGas", steps)), "later"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ZkGas.t.sol recorded no snapshot commit_2_columns");
    }

    @Test
    void aStepTheTestDidNotRecordIsNamed() {
        var measured = new GasBenchmark.Measured(Map.of("ContributionGas", Map.of("first_addFile", 1L)));

        assertThatThrownBy(() -> GasBenchmark.contributionTotal(measured, "first"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("first_addFilePermission");
    }

    @Test
    void aFailingForgeRunIsAnErrorNotAFigure(@TempDir Path dir) throws Exception {
        Path forge = dir.resolve("forge");
        Files.writeString(forge, "#!/bin/sh\necho '[FAIL: revert] test_contribution_firstAndLaterFile()'\nexit 1\n");
        Files.setPosixFilePermissions(forge, PosixFilePermissions.fromString("rwx------"));
        Path snapshots = Files.createDirectories(dir.resolve("contracts").resolve("snapshots"));
        Files.writeString(snapshots.resolve("ContributionGas.json"), "{\"first_addFile\": \"1\"}");

        assertThatThrownBy(() -> GasBenchmark.measure(forge, dir.resolve("contracts")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("forge's gas tests failed (exit 1)");
        assertThat(snapshots.resolve("ContributionGas.json")).as("an earlier run's figures are gone").doesNotExist();
    }
}
