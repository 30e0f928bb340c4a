package org.datacoop.cli.compute;

import java.io.PrintWriter;
import java.util.List;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.cli.SigningCommand;
import org.datacoop.sdk.compute.ComputeClient;
import org.datacoop.sdk.compute.ComputeClient.AlgorithmRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop algorithm}: which algorithms a DataDAO lets compute tasks run over its data. */
@Command(
        name = "algorithm",
        mixinStandardHelpOptions = true,
        description = {
            "Allows, disallows and lists the algorithms a DataDAO lets compute tasks run over its data.",
            "",
            "An algorithm is pinned by its digest: a built-in's (logistic-regression, linear-regression, predict, "
                + "evaluate) is the SHA-256 of its descriptor builtin:NAME/v1, a program's the SHA-256 of its bytes. "
                + "A task must use an algorithm every DataDAO it reads allows: an unchecked one could copy the rows "
                + "into its output."
        },
        subcommands = {AlgorithmCommand.Allow.class, AlgorithmCommand.Disallow.class, AlgorithmCommand.ListAllowed.class})
public final class AlgorithmCommand {
    /** Given here it applies to the subcommand: {@code coop algorithm --json list --dlp 1}. */
    @Mixin
    private JsonOption json;

    /** A change to a DataDAO's allowlist by its owner. */
    abstract static class Change extends SigningCommand {
        @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO (the wallet must own it).")
        private long dlpId;

        @Parameters(paramLabel = "NAME|DIGEST", description = "A built-in's name (logistic-regression) or an algorithm's digest (0x and 64 hex digits).")
        private String algorithm;

        abstract String apply(ComputeClient client, long dlpId, String algorithm);

        abstract String verb();

        @Override
        public Integer call() {
            AlgorithmRef ref = ComputeClient.algorithm(algorithm);
            var signer = signer();
            try (ChainSession session = session(signer)) {
                String tx = apply(Clients.compute(session, signer), dlpId, algorithm);
                PrintWriter out = out();
                if (asJson()) {
                    out.println(Json.write(Json.object().put("dlpId", dlpId).put("digest", ref.digest())
                            .put("descriptor", ref.descriptor().orElse(null)).put("txHash", tx)));
                } else {
                    out.println("DataDAO " + dlpId + " " + verb() + " " + ref.label()
                            + (ref.descriptor().isPresent() ? " (" + ref.digest() + ")" : "") + " in " + tx);
                }
            }
            return 0;
        }
    }

    @Command(name = "allow", mixinStandardHelpOptions = true, description = {
        "Allows an algorithm on the DataDAO's data (its owner only).",
        "",
        "Tasks may then run it over the DataDAO's refined tables, with the column permissions their requesters hold."
    })
    static final class Allow extends Change {
        @Override
        String apply(ComputeClient client, long dlpId, String algorithm) {
            return client.allowAlgorithm(dlpId, algorithm);
        }

        @Override
        String verb() {
            return "allows";
        }
    }

    @Command(name = "disallow", mixinStandardHelpOptions = true, description = {
        "Takes an algorithm off the DataDAO's allowlist (its owner only).",
        "",
        "Tasks submitted afterwards are refused; tasks already submitted run to their end."
    })
    static final class Disallow extends Change {
        @Override
        String apply(ComputeClient client, long dlpId, String algorithm) {
            return client.disallowAlgorithm(dlpId, algorithm);
        }

        @Override
        String verb() {
            return "no longer allows";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {
        "Lists the algorithms a DataDAO allows.",
        "",
        "Each is shown by its digest, with the built-in's descriptor where the digest is a built-in's."
    })
    static final class ListAllowed extends ChainCommand {
        @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO.")
        private long dlpId;

        @Override
        public Integer call() {
            List<AlgorithmRef> allowed;
            try (ChainSession session = readOnly()) {
                allowed = Clients.reader(session).algorithms(dlpId);
            }
            PrintWriter out = out();
            if (asJson()) {
                var array = Json.MAPPER.createArrayNode();
                allowed.forEach(a -> array.addObject().put("digest", a.digest()).put("descriptor", a.descriptor().orElse(null)));
                out.println(Json.write(array));
                return 0;
            }
            if (allowed.isEmpty()) {
                out.println("DataDAO " + dlpId + " allows no algorithm");
            }
            allowed.forEach(a -> out.println(a.digest() + a.descriptor().map(d -> "  " + d).orElse("")));
            return 0;
        }
    }
}
