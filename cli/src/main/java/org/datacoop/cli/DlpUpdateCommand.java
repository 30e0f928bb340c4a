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
import org.datacoop.chain.QueryChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop dlp update ID}: what a DataDAO's owner may change after creating it. */
@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        description = {
            "Changes a DataDAO the wallet owns: its program, reward, minimum group size or share.",
            "",
            "A new proof-of-contribution program is uploaded and pinned as `dlp create` does; jobs already "
                + "requested keep the program they pinned. The minimum group size bounds the aggregates its "
                + "tables answer; the share is its part of each query payment. Everything is checked before "
                + "the first transaction; each change is one transaction."
        })
final class DlpUpdateCommand extends SigningCommand {
    @Parameters(paramLabel = "ID", description = "The DataDAO id.")
    private long dlpId;

    @Option(names = "--program", paramLabel = "FILE", description = "A new proof-of-contribution program for new jobs.")
    private Path program;

    @Option(names = "--program-url", paramLabel = "URL",
            description = "Where the new program is published (default: upload it); needs --program.")
    private String programUrl;

    @Option(names = "--reward-per-file", paramLabel = "TOKENS", description = "Tokens for a file scored 1 (0 pays nothing).")
    private BigDecimal rewardPerFile;

    @Option(names = "--min-group-size", paramLabel = "N",
            description = "The fewest distinct contributors an aggregate group must cover (0: no minimum).")
    private Long minGroupSize;

    @Option(names = "--share", paramLabel = "PERCENT", description = "The DataDAO's share of each query payment, in percent.")
    private BigDecimal sharePercent;

    @Override
    public Integer call() throws IOException {
        if (programUrl != null && program == null) {
            throw new IllegalArgumentException("--program-url needs --program: its SHA-256 is what is pinned");
        }
        if (program == null && rewardPerFile == null && minGroupSize == null && sharePercent == null) {
            throw new IllegalArgumentException("nothing to change: give --program, --reward-per-file, --min-group-size or --share");
        }
        if (minGroupSize != null && minGroupSize < 0) {
            throw new IllegalArgumentException("--min-group-size must not be negative");
        }
        BigInteger reward = rewardPerFile == null ? null : Ether.toWei(rewardPerFile, "--reward-per-file");
        Long shareBps = sharePercent == null ? null : basisPoints(sharePercent);
        byte[] programBytes = program == null ? null : DlpProgram.read(program);
        ObjectNode changes = Json.object();
        changes.put("dlpId", dlpId);
        PrintWriter out = out();
        try (ChainSession session = session()) {
            session.chain().requireDataDao(dlpId);
            QueryChain queries = session.queries();
            queries.requireDataDaoOwner(dlpId, "changes it");
            if (shareBps != null && shareBps > queries.maxDataDaoShareBps()) {
                throw new IllegalArgumentException("--share " + sharePercent.toPlainString() + " is over the most a DataDAO may take, "
                        + percent(queries.maxDataDaoShareBps()) + "%");
            }
            if (programBytes != null) {
                DlpProgram pinned = DlpProgram.publish(programBytes, programUrl, session.chain().deployment());
                String tx = session.chain().updateProgram(dlpId, pinned.digest(), pinned.url());
                changes.putObject("program").put("digest", pinned.digestHex()).put("url", pinned.url()).put("txHash", tx);
                report(out, "program " + pinned.digestHex() + " at " + pinned.url(), tx);
            }
            if (reward != null) {
                String tx = session.chain().updateRewardPerFile(dlpId, reward);
                ObjectNode change = changes.putObject("rewardPerFile").put("tokens", Outcomes.tokens(reward)).put("txHash", tx);
                Optional<DataCoopChain.PendingReward> cut = session.chain().pendingRewardPerFile(dlpId);
                cut.ifPresent(pending -> change.put("effectiveAt", Instant.ofEpochSecond(pending.effectiveAtSeconds()).toString()));
                report(out, "reward per file " + Outcomes.tokens(reward) + cut.map(pending -> " for jobs requested from "
                        + Instant.ofEpochSecond(pending.effectiveAtSeconds()) + " (a cut waits, so no request already"
                        + " sent is cut)").orElse(""), tx);
            }
            if (minGroupSize != null) {
                String tx = queries.setMinGroupSize(dlpId, minGroupSize);
                changes.putObject("minGroupSize").put("size", minGroupSize).put("txHash", tx);
                report(out, "minimum group size " + minGroupSize, tx);
            }
            if (shareBps != null) {
                String tx = queries.setDataDaoShare(dlpId, shareBps);
                changes.putObject("share").put("percent", percent(shareBps)).put("txHash", tx);
                report(out, "share " + percent(shareBps) + "%", tx);
            }
        }
        if (asJson()) {
            out.println(Json.write(changes));
        }
        return 0;
    }

    private void report(PrintWriter out, String change, String tx) {
        if (!asJson()) {
            out.println("DataDAO " + dlpId + ": " + change + " (transaction " + tx + ")");
        }
    }

    /** {@code percent} in basis points, as the QueryEngine keeps shares; refused when finer than a hundredth of a percent. */
    static long basisPoints(BigDecimal percent) {
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("--share must be a percentage from 0 to 100");
        }
        try {
            return percent.movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("--share takes at most two decimals (a basis point)");
        }
    }

    static String percent(long bps) {
        return BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString();
    }
}
