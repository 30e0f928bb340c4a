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
    private static final String REPORT = """
            Compiling 2 files with Solc 0.8.30
            Ran 1 test for test/gas/ContributionGas.t.sol:ContributionGasTest
            [PASS] test_contribution_firstAndLaterFile() (gas: 6797474)
            Suite result: ok. 1 passed; 0 failed; 0 skipped; finished in 31.18ms (16.16ms CPU time)

            Ran 3 tests for test/gas/SettlementGas.t.sol:SettlementGasTest
            [PASS] test_settle_1() (gas: 90000)
            [PASS] test_settle_10000() (gas: 120000)
            [PASS] test_claim() (gas: 60000)
            Suite result: ok. 3 passed; 0 failed; 0 skipped; finished in 1ms
            """;

    @Test
    void readsEachTestsGasByContract() {
        Map<String, Map<String, Long>> tests = GasBenchmark.testGas(REPORT);

        assertThat(tests.get("ContributionGas")).containsExactly(Map.entry("test_contribution_firstAndLaterFile", 6797474L));
        assertThat(tests.get("SettlementGas")).containsOnly(Map.entry("test_settle_1", 90000L),
                Map.entry("test_settle_10000", 120000L), Map.entry("test_claim", 60000L));
    }

    @Test
    void settlementPrefersItsSnapshotsToWholeTests() {
        var tests = GasBenchmark.testGas(REPORT);
        var withSnapshots = new GasBenchmark.Measured(Map.of("SettlementGasTest", Map.of("settle_1", 50000L)), tests);
        var without = new GasBenchmark.Measured(Map.of(), tests);

        assertThat(GasBenchmark.settlement(withSnapshots)).containsExactly(Map.entry("settle_1", 50000L));
        assertThat(GasBenchmark.settlement(without)).containsEntry("test_settle_10000", 120000L);
        assertThat(GasBenchmark.settlement(new GasBenchmark.Measured(Map.of(), Map.of()))).isEmpty();
    }

    @Test
    void sumsTheFiveStepsOfTheGoalAndLeavesRefinementOut() {
        Map<String, Long> steps = new java.util.HashMap<>();
        GasBenchmark.CONTRIBUTION_STEPS.forEach(step -> steps.put("first_" + step, 100L));
        steps.put("first_" + GasBenchmark.REFINEMENT_STEP, 1_000_000L);
        var measured = new GasBenchmark.Measured(Map.of("ContributionGas", steps), Map.of());

        assertThat(GasBenchmark.contributionTotal(measured, "first")).isEqualTo(500);
    }

    @Test
    void aStepTheTestDidNotRecordIsNamed() {
        var measured = new GasBenchmark.Measured(Map.of("ContributionGas", Map.of("first_addFile", 1L)), Map.of());

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
