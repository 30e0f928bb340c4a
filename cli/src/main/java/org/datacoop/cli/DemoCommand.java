package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.node.attestation.AttestationCheck;
import org.datacoop.protocol.DataDao;
import org.datacoop.sdk.claim.ClaimClient;
import org.datacoop.sdk.contribute.Contribution;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Outcome;
import org.datacoop.sdk.contribute.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coop demo}: the whole lifecycle on a fresh devnet, told step by step. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole lifecycle on a fresh, temporary devnet and tells each step.",
            "",
            "A devnet with the contracts, storage and a validator; four contributors with new wallets; "
                + "two contribute valid fitness exports, one a copy, one a malformed file; the validator finds and "
                + "validates each job by itself; the valid ones are rewarded in the DataDAO's token and refined "
                + "into a table, the others are told why not. A builder is refused a column it has no permission "
                + "for, then pays for a query, and trains a logistic regression in the validator's enclave, verified "
                + "on-chain (an algorithm the DataDAO does not allow is refused first); the contributors are credited "
                + "for their rows. Alice sells her file's Data Anchoring Token, and the next query pays its new "
                + "holder. Ends with a "
                + "summary table read from the chain."
        })
final class DemoCommand implements Callable<Integer> {
    private static final BigDecimal CONTRIBUTOR_ETH = BigDecimal.ONE;
    /** The steps a day must reach to count in the claim Alice proves. */
    private static final int CLAIMED_STEPS = 8_000;
    private static final Duration PROOF_TIMEOUT = Duration.ofMinutes(2);

    @Option(names = "--keep", description = "Keep the demo's data dir (printed) instead of deleting it.")
    private boolean keep;

    @Mixin
    private JsonOption json;

    @Spec
    private CommandSpec spec;

    /** One contributor's story: who, what they sent, and how it ended. */
    private record Row(String who, Wallet wallet, Contribution contribution, Outcome outcome, BigInteger balance) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter story = json.on() ? spec.commandLine().getErr() : spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("coop-demo-");
        try {
            run(dir, story);
        } finally {
            if (keep) {
                story.println("the demo's data dir is kept at " + dir);
            } else {
                deleteTree(dir);
            }
            story.flush();
        }
        return 0;
    }

    private void run(Path dir, PrintWriter story) throws IOException {
        step(story, 1, "Start a local network");
        story.println("  A real EVM devnet (anvil) on 127.0.0.1, DataCoop's contracts, a storage gateway and one");
        story.println("  validator running a software enclave. Everything lives in " + dir + ".");
        PrintWriter quiet = new PrintWriter(PrintWriter.nullWriter());
        try (LocalNetwork network = LocalNetwork.start(dir, LocalNetwork.Options.devnet(), quiet)) {
            Deployment deployment = network.deployment();
            story.println("  chain " + deployment.chainId() + " at " + deployment.rpcUrl());
            deployment.contracts().forEach((name, address) -> story.println("  " + pad(name, 26) + address));
            story.println("  validator " + network.validator().orElseThrow().address() + " at "
                    + network.validator().orElseThrow().url() + " (registered in the TeePool)");

            DataDao dao;
            List<Row> rows = new ArrayList<>();
            try (ChainConnection dev = ChainConnection.open(deployment.rpcUrl(), Anvil.DEV_ACCOUNT_KEY)) {
                dao = new DataCoopChain(dev, deployment).dataDao(deployment.sampleDlpId());
                step(story, 2, "Meet the DataDAO");
                story.println("  DataDAO " + dao.id() + " \"" + dao.name() + "\" pays " + Outcomes.tokens(dao.rewardPerFile()) + " "
                        + dao.tokenSymbol() + " for a perfect file (score 1) of daily step counts.");
                story.println("  Its program checks the data's shape (JSON Schema), that it names its contributor, that");
                story.println("  nobody sent it before, and scores 0.6 x quality (days of data / 30) + 0.4 x ownership.");
                story.println("  The program's SHA-256 " + dao.programDigest().substring(0, 18) + "... is pinned on-chain.");

                step(story, 3, "Four people create wallets and get devnet ETH for fees");
                String[] names = {"Alice", "Bob", "Carol", "Dave"};
                List<Wallet> wallets = new ArrayList<>();
                for (String name : names) {
                    Wallet wallet = Wallet.create();
                    wallets.add(wallet);
                    String tx = dev.sendEther(wallet.address(), CONTRIBUTOR_ETH);
                    story.println("  " + pad(name, 6) + wallet.address() + "  funded with " + CONTRIBUTOR_ETH + " ETH in " + tx);
                }

                Path samples = Files.createDirectories(dir.resolve("samples"));
                Path alicesFile = samples.resolve("alice-steps.json");
                Files.writeString(alicesFile, stepsExport(wallets.get(0).address().value(), 30, 0));
                Path bobsFile = samples.resolve("bob-steps.json");
                Files.copy(alicesFile, bobsFile);
                Path carolsFile = samples.resolve("carol-steps.json");
                Files.writeString(carolsFile, "{\"owner\": \"" + wallets.get(2).address() + "\", \"days\": [{\"date\": \"2026-11-0");

                rows.add(contribute(story, 4, deployment, dir, "Alice", wallets.get(0), alicesFile,
                        "a valid export: 30 days of steps, naming her own address"));
                rows.add(contribute(story, 5, deployment, dir, "Bob", wallets.get(1), bobsFile,
                        "a copy of Alice's file, byte for byte"));
                rows.add(contribute(story, 6, deployment, dir, "Carol", wallets.get(2), carolsFile,
                        "a malformed file, cut off in the middle"));
                Path davesFile = samples.resolve("dave-steps.json");
                Files.writeString(davesFile, stepsExport(wallets.get(3).address().value(), 20, 7));
                rows.add(contribute(story, 7, deployment, dir, "Dave", wallets.get(3), davesFile,
                        "a valid export of his own: 20 days"));
            }

            step(story, 8, "Check Alice's attestation independently");
            Row alice = rows.get(0);
            var proof = alice.outcome().proof().orElseThrow();
            try (ChainSession session = ChainSession.readOnly(dir)) {
                var file = session.chain().file(proof.fileId());
                var attestation = AttestationCheck.fetch(proof.data().proofUrl());
                List<String> problems = AttestationCheck.mismatches(attestation, file, proof);
                story.println("  fetched " + proof.data().proofUrl());
                story.println("  its EIP-191 signature recovers to " + attestation.recoverSigner()
                        + (attestation.recoverSigner().equals(proof.validator()) ? ", the validator that recorded the proof" : ""));
                story.println(problems.isEmpty()
                        ? "  file, owner, checksums, job, DataDAO, program and score all match the chain: verified"
                        : "  does NOT verify: " + String.join("; ", problems));
                story.println("  prover type: " + attestation.field("prover", "type").asText()
                        + " (a software enclave says so; hardware TEEs add a quote)");
            }

            QueryStory query = new QueryStory(deployment, story, rows.stream()
                    .filter(row -> row.outcome().rewarded())
                    .map(row -> new QueryStory.Contributor(row.who(), row.wallet().address()))
                    .toList());
            query.refine(9);
            query.builderQueries(10);
            ComputeStory compute = new ComputeStory(deployment, story, dir);
            compute.builderTrains(12, query.builder(), query.contributors());
            query.datChangesHands(13, alice.who(), alice.wallet());
            ObjectNode claim = aliceProvesAClaim(story, 14, deployment, alice);

            step(story, 15, "Summary, read from the chain");
            story.println("  " + pad("who", 7) + pad("file", 6) + pad("job", 5) + pad("score", 7) + pad("reward", 12)
                    + pad("balance", 12) + "why");
            for (Row row : rows) {
                String score = row.outcome().proof().map(p -> Outcomes.score(p.score())).orElse("-");
                story.println("  " + pad(row.who(), 7) + pad(Long.toString(row.contribution().fileId()), 6)
                        + pad(Long.toString(row.contribution().jobId()), 5) + pad(score, 7)
                        + pad(Outcomes.tokens(row.outcome().reward()) + " " + dao.tokenSymbol(), 12)
                        + pad(Outcomes.tokens(row.balance()) + " " + dao.tokenSymbol(), 12)
                        + row.outcome().why().orElse("rewarded"));
            }
            story.println();
            story.println("Done: two contributors were rewarded and the two who were not can read why on-chain; their");
            story.println("refined rows answered a paid query and trained a verified model, and each was paid for the rows read;");
            story.println("Alice's file's earnings now go to whoever holds its Data Anchoring Token, and a claim about her");
            story.println("data is on-chain, proved without showing the data.");
            story.println("Run it yourself: ./coop up, then ./coop contribute FILE --dlp 1 --wait (see ./coop --help).");
            if (json.on()) {
                ObjectNode summary = summary(rows, dao);
                summary.set("query", query.json());
                summary.set("compute", compute.json());
                summary.set("claim", claim);
                spec.commandLine().getOut().println(Json.write(summary));
            }
        }
    }

    private Row contribute(PrintWriter story, int number, Deployment deployment, Path dir, String who, Wallet wallet, Path file,
            String what) {
        step(story, number, who + " contributes " + what);
        Progress progress = new Progress() {
            @Override
            public void step(String description) {
                story.println("  " + description);
                story.flush();
            }

            @Override
            public void bytes(long done, long total) {}
        };
        try (Contributor contributor = Contributor.connect(deployment, wallet, dir.resolve("tmp"))) {
            Contribution contribution = contributor.contribute(file, deployment.sampleDlpId(), Wallet.DEFAULT_SEED, progress);
            story.println("  file " + contribution.fileId() + " registered, job " + contribution.jobId() + " paid; transactions:");
            Outcomes.transactions(contribution).forEach(tx -> story.println("    " + tx.hash() + " " + tx.words()));
            Outcome outcome = contributor.awaitReward(contribution.jobId(), PROOF_TIMEOUT, progress);
            outcome.proof().ifPresent(proof -> story.println("  the validator proved it: score " + Outcomes.score(proof.score())
                    + ", metadata " + proof.data().metadata()));
            if (outcome.rewarded()) {
                story.println("  rewarded " + Outcomes.tokens(outcome.reward()) + " " + outcome.tokenSymbol()
                        + outcome.rewardTx().map(tx -> " in " + tx).orElse(""));
            } else {
                story.println("  not rewarded: " + outcome.why().orElse(""));
            }
            BigInteger balance = contributor.tokenBalance(deployment.sampleDlpId());
            story.println("  " + who + "'s balance on-chain: " + Outcomes.tokens(balance) + " " + outcome.tokenSymbol());
            story.flush();
            return new Row(who, wallet, contribution, outcome, balance);
        }
    }

    private static ObjectNode summary(List<Row> rows, DataDao dao) {
        ObjectNode root = Json.object();
        root.put("dlpId", dao.id());
        root.put("symbol", dao.tokenSymbol());
        ArrayNode contributors = root.putArray("contributors");
        for (Row row : rows) {
            ObjectNode node = Outcomes.json(row.outcome());
            node.put("who", row.who());
            node.put("address", row.wallet().address().value());
            node.put("fileId", row.contribution().fileId());
            node.put("balance", Outcomes.tokens(row.balance()));
            contributors.add(node);
        }
        return root;
    }

    /** A fitness export in the sample DataDAO's shape: {@code days} days of steps and metres, naming {@code owner}. */
    /**
     * Alice has the validator prove, in zero knowledge, how many of her days reached 8,000 steps, against
     * the commitment its enclave recorded when it refined her file; one day more is refused.
     */
    private static ObjectNode aliceProvesAClaim(PrintWriter story, int number, Deployment deployment, Row alice) {
        step(story, number, alice.who() + " proves a claim about her data without showing it");
        long fileId = alice.contribution().fileId();
        int days = (int) IntStream.range(0, 30).filter(day -> daySteps(day, 0) >= CLAIMED_STEPS).count();
        ObjectNode json = Json.object();
        try (ChainConnection connection = ChainConnection.open(deployment.rpcUrl(), alice.wallet())) {
            ChainSession session = new ChainSession(connection, new DataCoopChain(connection, deployment));
            long refinerId = session.queries().refinersOf(deployment.sampleDlpId()).getFirst().id();
            ClaimClient claims = new ClaimClient(session.chain(), session.commitments(), alice.wallet());
            ClaimClient.Claim claim = claims.prove(fileId, refinerId, "daily_steps.steps", BigDecimal.valueOf(CLAIMED_STEPS), days);
            story.println("  `coop claim prove --file " + fileId + " --column daily_steps.steps --at-least " + CLAIMED_STEPS
                    + " --rows " + days + "`: the validator's enclave proves it against the commitment it recorded when");
            story.println("  it refined her file, and the chain verifies the proof and records the claim in " + claim.txHash());
            story.println("  the proof shows neither her steps nor how many days she sent: only the claim");
            try {
                claims.prove(fileId, refinerId, "daily_steps.steps", BigDecimal.valueOf(CLAIMED_STEPS), days + 1);
                json.put("falseClaimRefused", false);
            } catch (ClaimClient.ClaimRefused refused) {
                story.println("  claiming " + (days + 1) + " days is refused: " + refused.getMessage());
                json.put("falseClaimRefused", true);
            }
            json.put("days", days).put("txHash", claim.txHash())
                    .put("recorded", claims.claims(fileId, refinerId).size());
        }
        return json;
    }

    private static int daySteps(int day, int seed) {
        return 6000 + ((day + seed) * 373) % 5000;
    }

    private static String stepsExport(String owner, int days, int seed) {
        StringBuilder json = new StringBuilder("{\"owner\": \"" + owner + "\", \"days\": [");
        LocalDate start = LocalDate.of(2026, 10, 1);
        for (int day = 0; day < days; day++) {
            int steps = daySteps(day, seed);
            json.append(day == 0 ? "" : ", ").append("{\"date\": \"").append(start.plusDays(day))
                    .append("\", \"steps\": ").append(steps).append(", \"distance_m\": ").append(steps * 7 / 10)
                    .append('}');
        }
        return json.append("]}\n").toString();
    }

    static void step(PrintWriter story, int number, String title) {
        story.println();
        story.println("Step " + number + ". " + title);
        story.flush();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
