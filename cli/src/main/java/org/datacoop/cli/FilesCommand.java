package org.datacoop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.DatChain.DatToken;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.sdk.contribute.Contributor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coop files}: the wallet's files and the state of their validation jobs. */
@Command(name = "files", mixinStandardHelpOptions = true,
        description = "Lists the wallet's files (or another owner's), their validation jobs and the Data Anchoring Token each"
                + " rewarding DataDAO minted for it (`coop dat show TOKEN_ID`). Only reads the chain: no password is asked when"
                + " the keystore names its address.")
final class FilesCommand extends SigningCommand {
    @Option(names = "--owner", paramLabel = "ADDRESS", description = "Whose files to list (default: the wallet's).")
    private String owner;

    @Override
    public Integer call() throws Exception {
        Address whose = owner == null ? walletAddress() : Address.of(owner);
        List<Contributor.FileStatus> files;
        Map<Long, List<DatToken>> tokens = new HashMap<>();
        try (ChainSession session = readOnly()) {
            files = Contributor.files(session.chain(), whose);
            DatChain dats = session.dats();
            for (Contributor.FileStatus status : files) {
                // a file has a token in each DataDAO that rewarded it, so in those its jobs name
                tokens.put(status.file().id(), status.jobs().stream().map(ValidationJob::dlpId).distinct()
                        .flatMap(dlpId -> dats.tokenOfFile(dlpId, status.file().id()).stream()).toList());
            }
        }
        PrintWriter out = out();
        if (asJson()) {
            ArrayNode list = Json.MAPPER.createArrayNode();
            for (Contributor.FileStatus status : files) {
                ObjectNode file = list.addObject();
                file.put("fileId", status.file().id());
                file.put("url", status.file().url());
                file.put("checksum", status.file().checksum());
                file.put("owner", status.file().owner().value());
                file.put("addedAtBlock", status.file().addedAtBlock());
                ArrayNode dats = file.putArray("dats");
                for (DatToken token : tokens.get(status.file().id())) {
                    dats.addObject().put("tokenId", token.tokenId().toString()).put("dlpId", token.classId())
                            .put("holder", token.holder().value());
                }
                ArrayNode jobs = file.putArray("jobs");
                for (ValidationJob job : status.jobs()) {
                    ObjectNode node = jobs.addObject();
                    node.put("jobId", job.id());
                    node.put("dlpId", job.dlpId());
                    node.put("status", job.status().name());
                    node.put("validator", job.validator().value());
                    node.put("bidWei", job.bidWei().toString());
                    if (!job.failureReason().isEmpty()) {
                        node.put("failureReason", job.failureReason());
                    }
                }
            }
            out.println(Json.write(list));
            return 0;
        }
        if (files.isEmpty()) {
            out.println("no files yet (contribute one with `coop contribute FILE --dlp ID`)");
        }
        for (Contributor.FileStatus status : files) {
            out.println("file " + status.file().id() + "  " + status.file().url());
            if (status.jobs().isEmpty()) {
                out.println("    no validation job");
            }
            for (ValidationJob job : status.jobs()) {
                out.println("    job " + job.id() + "  DataDAO " + job.dlpId() + "  " + job.status().name().toLowerCase()
                        + (job.failureReason().isEmpty() ? "" : ": " + job.failureReason()));
            }
            List<DatToken> dats = tokens.get(status.file().id());
            if (dats.isEmpty()) {
                out.println("    no DAT");
            }
            for (DatToken token : dats) {
                out.println("    DAT " + token.tokenId() + "  DataDAO " + token.classId() + "  held by " + token.holder());
            }
        }
        return 0;
    }
}
