package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.protocol.DataDao;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop dlp}: DataDAOs, created and shown. */
@Command(
        name = "dlp",
        mixinStandardHelpOptions = true,
        description = "Creates, shows and updates DataDAOs.",
        subcommands = {DlpCommand.Create.class, DlpCommand.Show.class, DlpUpdateCommand.class})
final class DlpCommand {
    /** Given here it applies to the subcommand: {@code coop dlp --json ...}. */
    @Mixin
    private JsonOption json;

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates a DataDAO owned by the wallet, with its own token whose whole supply is its reward budget.",
                "",
                "--program is its proof-of-contribution program: a declarative definition (JSON, "
                    + "\"program\": \"builtin:declarative/v1\"; checked here before anything is sent) or an "
                    + "executable following Vana's contract. It is uploaded to storage unless --program-url says "
                    + "where it is published; its SHA-256 is pinned on-chain and validators run no other program."
            })
    static final class Create extends SigningCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The DataDAO's name.")
        private String name;

        @Option(names = "--symbol", required = true, paramLabel = "SYMBOL", description = "Its token's symbol, e.g. STEP.")
        private String symbol;

        @Option(names = "--token-name", paramLabel = "NAME", description = "Its token's name (default: NAME Token).")
        private String tokenName;

        @Option(names = "--reward-per-file", required = true, paramLabel = "TOKENS", description = "Tokens for a file scored 1.")
        private BigDecimal rewardPerFile;

        @Option(names = "--budget", paramLabel = "TOKENS", description = "Tokens minted for rewards (default: 1000000).")
        private BigDecimal budget = BigDecimal.valueOf(1_000_000);

        @Option(names = "--program", required = true, paramLabel = "FILE", description = "The proof-of-contribution program.")
        private Path program;

        @Option(names = "--program-url", paramLabel = "URL", description = "Where the program is published (default: upload it).")
        private String programUrl;

        @Override
        public Integer call() throws IOException {
            if (name.isBlank() || symbol.isBlank()) {
                throw new IllegalArgumentException("--name and --symbol must not be blank");
            }
            BigInteger reward = wholeTokens(rewardPerFile, "--reward-per-file");
            BigInteger supply = wholeTokens(budget, "--budget");
            if (supply.compareTo(reward) < 0) {
                throw new IllegalArgumentException("--budget must hold at least one reward of --reward-per-file");
            }
            byte[] bytes = DlpProgram.read(program);
            Path dir = dir();
            DlpProgram pinned = DlpProgram.publish(bytes, programUrl, Deployment.readFrom(dir));
            DataCoopChain.CreatedDataDao created;
            try (ChainSession session = session()) {
                created = session.chain().createDataDao(name, tokenName == null ? name + " Token" : tokenName, symbol, supply,
                        reward, pinned.digest(), pinned.url());
            }
            PrintWriter out = out();
            if (asJson()) {
                ObjectNode body = Json.object();
                body.put("dlpId", created.id());
                body.put("pool", created.pool().value());
                body.put("token", created.token().value());
                body.put("programDigest", pinned.digestHex());
                body.put("programUrl", pinned.url());
                body.put("txHash", created.txHash());
                out.println(Json.write(body));
            } else {
                out.println("created DataDAO " + created.id() + " (" + name + ") in transaction " + created.txHash());
                out.println("pool " + created.pool() + ", token " + symbol + " at " + created.token());
                out.println("program " + pinned.digestHex() + " at " + pinned.url());
            }
            return 0;
        }

        static BigInteger wholeTokens(BigDecimal tokens, String option) {
            if (tokens.signum() <= 0) {
                throw new IllegalArgumentException(option + " must be more than 0");
            }
            return Ether.toWei(tokens, option);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows DataDAO ID as the chain records it.")
    static final class Show extends ChainCommand {
        @Parameters(paramLabel = "ID", description = "The DataDAO id.")
        private long dlpId;

        @Override
        public Integer call() {
            DataDao dao;
            Optional<DataCoopChain.PendingReward> cut;
            long minGroupSize;
            long shareBps;
            try (ChainSession session = readOnly()) {
                dao = session.chain().dataDao(dlpId);
                cut = session.chain().pendingRewardPerFile(dlpId);
                minGroupSize = session.queries().minGroupSize(dlpId);
                shareBps = session.queries().shares(dlpId).dataDaoBps();
            }
            PrintWriter out = out();
            String programUrl = dao.programUrl().startsWith("data:") ? "(inline data: url, " + dao.programUrl().length()
                    + " characters)" : dao.programUrl();
            if (asJson()) {
                ObjectNode body = Json.object();
                body.put("dlpId", dao.id());
                body.put("name", dao.name());
                body.put("pool", dao.pool().value());
                body.put("owner", dao.owner().value());
                body.put("token", dao.token().value());
                body.put("symbol", dao.tokenSymbol());
                body.put("rewardPerFile", Outcomes.tokens(dao.rewardPerFile()));
                cut.ifPresentOrElse(pending -> body.putObject("pendingRewardPerFile")
                                .put("tokens", Outcomes.tokens(pending.rewardPerFile()))
                                .put("effectiveAt", Instant.ofEpochSecond(pending.effectiveAtSeconds()).toString()),
                        () -> body.putNull("pendingRewardPerFile"));
                body.put("rewardsLeft", Outcomes.tokens(dao.rewardsLeft()));
                body.put("programDigest", dao.programDigest());
                body.put("programUrl", dao.programUrl());
                body.put("minGroupSize", minGroupSize);
                body.put("sharePercent", DlpUpdateCommand.percent(shareBps));
                out.println(Json.write(body));
            } else {
                out.println("DataDAO " + dao.id() + ": " + dao.name());
                out.println("owner " + dao.owner() + ", pool " + dao.pool());
                out.println("token " + dao.tokenSymbol() + " at " + dao.token());
                out.println("reward per file " + Outcomes.tokens(dao.rewardPerFile()) + " " + dao.tokenSymbol()
                        + cut.map(pending -> " (" + Outcomes.tokens(pending.rewardPerFile()) + " " + dao.tokenSymbol()
                                + " for jobs requested from " + Instant.ofEpochSecond(pending.effectiveAtSeconds()) + ")").orElse("")
                        + ", " + Outcomes.tokens(dao.rewardsLeft()) + " " + dao.tokenSymbol() + " left");
                out.println("program " + dao.programDigest() + " at " + programUrl);
                out.println("queries: " + (minGroupSize == 0 ? "no minimum group size"
                        : "aggregates over at least " + minGroupSize + " contributors") + ", its share of each payment "
                        + DlpUpdateCommand.percent(shareBps) + "%");
            }
            return 0;
        }
    }
}
