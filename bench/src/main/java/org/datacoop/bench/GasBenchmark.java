package org.datacoop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datacoop.chain.devnet.Toolchain;

/**
 * Gas of each contribution step and of settlement, from forge's gas tests in {@code contracts/test/gas}.
 * forge runs them with the {@code gas} profile, in which every call a test makes is its own transaction,
 * and each test records its steps with {@code vm.snapshotGas*} into {@code contracts/snapshots/<Contract>.json}.
 *
 * <p>Contribution ({@code ContributionGas}): a contributor's first and later file, each step and the total of
 * register, key share, request, proof and reward against the goal of 0.8M gas; apart from the goal, the
 * transactions a valid file costs since (the refinement, the validator's ownership binding, and the column
 * commitments from {@code ZkGas}), and the whole of a valid, refined file.
 * Settlement ({@code SettlementGas}): what it records with {@code vm.snapshotValue}, the gas of the settling
 * and claiming calls alone (a test's whole gas would count building its 10,000-leaf tree); settling over 1,
 * 100 and 10,000 files read side by side.
 *
 * <p>Usage: {@code GasBenchmark [--json]}.
 */
public final class GasBenchmark {
    static final long CONTRIBUTION_GOAL = 800_000;
    /** The steps the goal counts, in the order a contribution makes them. */
    static final List<String> CONTRIBUTION_STEPS =
            List.of("addFile", "addFilePermission", "requestContributionProof", "addProof", "requestReward");
    static final String REFINEMENT_STEP = "addRefinementWithPermission";
    /** A file's transactions outside the goal that ContributionGas records: the refinement and the binding. */
    static final List<String> OUTSIDE_GOAL_STEPS = List.of(REFINEMENT_STEP, "bind");
    /** The refinement service's column commitments of one refinement (the sample's table: two columns). */
    static final String COMMIT = "commit_2_columns";
    static final List<String> FILES = List.of("first", "later");
    static final String SETTLEMENT = "SettlementGas";

    private static final ObjectMapper JSON = new ObjectMapper();

    private GasBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean json = false;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else {
                System.err.println("usage: coop bench gas [--json]");
                System.exit(2);
            }
        }
        Toolchain tools = Toolchain.discover();
        Path contracts = tools.home().resolve("contracts");
        Measured measured = measure(tools.tool("forge"), contracts);
        if (json) {
            System.out.println(JSON.writeValueAsString(report(measured)));
        } else {
            print(measured);
        }
    }

    /** Snapshots by group. */
    record Measured(Map<String, Map<String, Long>> snapshots) {}

    static Measured measure(Path forge, Path contracts) throws IOException, InterruptedException {
        Path snapshotDir = contracts.resolve("snapshots");
        if (Files.isDirectory(snapshotDir)) {
            try (var stale = Files.list(snapshotDir)) {
                for (Path file : stale.toList()) {
                    Files.delete(file); // a figure from an earlier run must not pass for this one's
                }
            }
        }
        // Not --json: forge writes no snapshots then.
        ProcessBuilder builder = new ProcessBuilder(forge.toString(), "test", "--match-path", "test/gas/*")
                .directory(contracts.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("FOUNDRY_PROFILE", "gas");
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            System.err.print(out);
            throw new IllegalStateException("forge's gas tests failed (exit " + exit + "); its report is above");
        }
        Map<String, Map<String, Long>> snapshots = new TreeMap<>();
        try (var files = Files.list(snapshotDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Map<String, Long> values = new TreeMap<>();
                JSON.readTree(file.toFile()).properties()
                        .forEach(e -> values.put(e.getKey(), Long.parseLong(e.getValue().asText())));
                snapshots.put(file.getFileName().toString().replaceFirst("\\.json$", ""), values);
            }
        }
        return new Measured(snapshots);
    }

    /** The contribution's snapshots; fails naming a step the gas test did not record. */
    static long step(Measured measured, String file, String step) {
        return recorded(measured, "ContributionGas", file + "_" + step);
    }

    static long commit(Measured measured) {
        return recorded(measured, "ZkGas", COMMIT);
    }

    private static long recorded(Measured measured, String group, String name) {
        Long gas = measured.snapshots().getOrDefault(group, Map.of()).get(name);
        if (gas == null) {
            throw new IllegalStateException("contracts/test/gas/" + group + ".t.sol recorded no snapshot " + name);
        }
        return gas;
    }

    static long contributionTotal(Measured measured, String file) {
        return CONTRIBUTION_STEPS.stream().mapToLong(step -> step(measured, file, step)).sum();
    }

    /** Every transaction of a valid, refined file: the goal's five, the refinement, the binding and the commitments. */
    static long validFileTotal(Measured measured, String file) {
        return contributionTotal(measured, file)
                + OUTSIDE_GOAL_STEPS.stream().mapToLong(step -> step(measured, file, step)).sum() + commit(measured);
    }

    /** Settlement rows: what SettlementGas.t.sol recorded; empty without it. */
    static Map<String, Long> settlement(Measured measured) {
        return measured.snapshots().getOrDefault(SETTLEMENT, Map.of());
    }

    static Map<String, Object> report(Measured measured) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> contribution = new LinkedHashMap<>();
        for (String file : FILES) {
            Map<String, Object> steps = new LinkedHashMap<>();
            CONTRIBUTION_STEPS.forEach(step -> steps.put(step, step(measured, file, step)));
            long total = contributionTotal(measured, file);
            steps.put("total", total);
            steps.put("ratioToGoal", Math.round(1000.0 * total / CONTRIBUTION_GOAL) / 1000.0);
            steps.put("goalMet", total <= CONTRIBUTION_GOAL);
            steps.put("refinement", step(measured, file, REFINEMENT_STEP));
            steps.put("bind", step(measured, file, "bind"));
            steps.put("commitColumns", commit(measured));
            steps.put("validRefinedFile", validFileTotal(measured, file));
            contribution.put(file + "File", steps);
        }
        contribution.put("goal", CONTRIBUTION_GOAL);
        out.put("contribution", contribution);
        out.put("settlement", settlement(measured));
        return out;
    }

    private static void print(Measured measured) {
        System.out.println("Gas per contribution (each call its own transaction; forge, contracts/test/gas)");
        System.out.printf("  %-30s %12s %12s%n", "step", "first file", "later file");
        for (String step : CONTRIBUTION_STEPS) {
            System.out.printf("  %-30s %,12d %,12d%n", step, step(measured, "first", step), step(measured, "later", step));
        }
        long first = contributionTotal(measured, "first");
        long later = contributionTotal(measured, "later");
        System.out.printf("  %-30s %,12d %,12d%n", "total", first, later);
        System.out.printf("  %-30s %12.2f %12.2f   (goal: at most 1.00, %,d gas: first %s, later %s)%n",
                "ratio to goal", (double) first / CONTRIBUTION_GOAL, (double) later / CONTRIBUTION_GOAL,
                CONTRIBUTION_GOAL, first <= CONTRIBUTION_GOAL ? "met" : "not met",
                later <= CONTRIBUTION_GOAL ? "met" : "not met");
        System.out.println("  not in the goal:");
        for (String step : OUTSIDE_GOAL_STEPS) {
            System.out.printf("  %-30s %,12d %,12d%n", step.equals(REFINEMENT_STEP) ? "refinement" : "ownership binding",
                    step(measured, "first", step), step(measured, "later", step));
        }
        System.out.printf("  %-30s %,12d %,12d   (ZkGas: the refinement's two columns)%n", "column commitments",
                commit(measured), commit(measured));
        System.out.printf("  %-30s %,12d %,12d%n", "a valid, refined file in all", validFileTotal(measured, "first"),
                validFileTotal(measured, "later"));
        Map<String, Long> settlement = settlement(measured);
        if (settlement.isEmpty()) {
            System.out.println("Settlement: no contracts/test/gas/SettlementGas.t.sol yet");
            return;
        }
        System.out.println("Settlement (contracts/test/gas/SettlementGas.t.sol)");
        settlement.forEach((name, gas) -> System.out.printf("  %-30s %,12d%n", name, gas));
        Long one = settlement.get("settle_1");
        Long many = settlement.get("settle_10000");
        if (one != null && many != null) {
            System.out.printf("  %-30s %12.2f   (goal: independent of files read, about 1)%n", "10,000 files / 1 file",
                    (double) many / one);
        }
    }
}
