package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.QueryChain;
import org.datacoop.protocol.query.Refiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coop refiner run --dlp ID [--file ID]}: the backfill of a DataDAO's refiners, shown and
 * waited for. The refining itself is the services' to do, since only a validator holding a file's
 * key can open it: a validator that is the DataDAO's refinement service refines, by itself, every
 * file it proved for the DataDAO as soon as the DataDAO gains a refiner or takes it as a service.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Shows which of a DataDAO's proved files each of its refiners has refined and which are pending.",
            "",
            "Its refinement services refine files proved before a refiner was added by themselves, as soon as "
                + "they see the refiner on-chain, with the key each owner shared; --wait waits until none is pending."
        })
final class RefinerRunCommand extends ChainCommand {
    private static final Duration POLL = Duration.ofMillis(500);

    @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO.")
    private long dlpId;

    @Option(names = "--file", paramLabel = "ID", description = "Only this file (default: every proved file).")
    private Long fileId;

    @Option(names = "--wait", description = "Wait until every file is refined by every refiner.")
    private boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "With --wait: how long to wait (default: 120).")
    private long timeoutSeconds = 120;

    /** A proved file and the refiners that have, and have not yet, refined it. */
    record FileRefinement(long fileId, List<Long> refined, List<Long> pending) {}

    @Override
    public Integer call() throws InterruptedException {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        List<FileRefinement> files;
        boolean hasService;
        try (ChainSession session = readOnly()) {
            List<Long> proved = session.chain().provedFiles(dlpId);
            if (fileId != null) {
                session.chain().file(fileId);
                if (!proved.contains(fileId)) {
                    throw new IllegalArgumentException("file " + fileId + " has no proof for DataDAO " + dlpId
                            + " scoring above zero, so it is not refined");
                }
                proved = List.of(fileId);
            }
            QueryChain queries = session.queries();
            List<Refiner> refiners = queries.refinersOf(dlpId);
            hasService = !queries.refinementServices(dlpId).isEmpty();
            files = refinements(queries, proved, refiners);
            Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
            while (await && pending(files) > 0) {
                if (Instant.now().isAfter(deadline)) {
                    throw new ChainException(pending(files) + " refinements of DataDAO " + dlpId + " are still pending after "
                            + timeoutSeconds + " s" + (hasService ? "" : ": it has no refinement service (coop refiner service)"));
                }
                Thread.sleep(POLL);
                files = refinements(queries, proved, refiners);
            }
        }
        print(out(), files, hasService);
        return 0;
    }

    private static List<FileRefinement> refinements(QueryChain queries, List<Long> files, List<Refiner> refiners) {
        return files.stream().map(file -> new FileRefinement(file,
                        refiners.stream().filter(r -> queries.refinement(file, r.id()).isPresent()).map(Refiner::id).toList(),
                        refiners.stream().filter(r -> queries.refinement(file, r.id()).isEmpty()).map(Refiner::id).toList()))
                .toList();
    }

    private static long pending(List<FileRefinement> files) {
        return files.stream().mapToLong(f -> f.pending().size()).sum();
    }

    private void print(PrintWriter out, List<FileRefinement> files, boolean hasService) {
        if (asJson()) {
            ObjectNode body = Json.object().put("dlpId", dlpId).put("pending", pending(files)).put("hasService", hasService);
            ArrayNode array = body.putArray("files");
            files.forEach(f -> array.add(Json.MAPPER.valueToTree(f)));
            out.println(Json.write(body));
            return;
        }
        if (files.isEmpty()) {
            out.println("DataDAO " + dlpId + " has no proved files to refine");
        }
        files.forEach(f -> out.println("file " + f.fileId() + "  refined by " + (f.refined().isEmpty() ? "none" : f.refined())
                + "  pending " + (f.pending().isEmpty() ? "none" : f.pending())));
        if (!hasService && pending(files) > 0) {
            out.println("DataDAO " + dlpId + " has no refinement service, so nothing pending is refined (coop refiner service)");
        }
    }
}
