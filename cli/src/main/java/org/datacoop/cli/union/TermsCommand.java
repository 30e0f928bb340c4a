package org.datacoop.cli.union;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Ether;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.protocol.union.Constraint;
import org.datacoop.sdk.union.UnionClient;
import org.datacoop.sdk.union.UnionClient.AssetView;
import org.datacoop.sdk.union.UnionClient.LeafTerms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop terms}: which templates a leaf permits, with which constraints and at what price. */
@Command(
        name = "terms",
        mixinStandardHelpOptions = true,
        description = {
            "Sets, clears and shows a leaf's terms: the templates it permits, a constraint per parameter, a price.",
            "",
            "A constraint is free (any value), a value (5, or a text such as steps), a range (1..4) or a set "
                + "({age,steps}). A union over the leaf must bind it with constraints that allow nothing these do "
                + "not, and is active only while the consent its owner gave stands for the leaf's current terms: "
                + "changing them stops every union over the leaf under that template until consented again."
        },
        subcommands = {TermsCommand.Set.class, TermsCommand.Clear.class, TermsCommand.Show.class})
public final class TermsCommand {
    /** Given here it applies to the subcommand: {@code coop terms --json show 1}. */
    @Mixin
    private JsonOption json;

    @Command(name = "set", mixinStandardHelpOptions = true, description = {
        "Sets (or replaces) a leaf's terms for a template; its owner (or a file's delegate)."
    })
    static final class Set extends UnionSigningCommand {
        @Option(names = "--asset", required = true, paramLabel = "LEAF_ID", description = "The leaf.")
        private long leafId;

        @Option(names = "--template", required = true, paramLabel = "TEMPLATE_ID", description = "The template permitted.")
        private long templateId;

        @Option(names = "--param", required = true, paramLabel = "NAME=CONSTRAINT",
                description = "A parameter's constraint: free, 5, 1..4 or {a,b} (repeat for every parameter).")
        private List<String> params;

        @Option(names = "--price", paramLabel = "ETH", description = "The price of a use, in ETH (default: 0).")
        private BigDecimal price = BigDecimal.ZERO;

        @Override
        public Integer call() {
            Map<String, Constraint> constraints = Terms.parse(params, "--param");
            var wei = Ether.toWei(price, "--price");
            return run(client -> client.setTerms(leafId, templateId, constraints, wei),
                    tx -> Json.object().put("assetId", leafId).put("templateId", templateId).put("price", wei.toString())
                            .put("txHash", tx).set("constraints", Terms.json(constraints)),
                    tx -> "leaf " + leafId + " permits template " + templateId + " with " + Terms.text(constraints)
                            + " at " + wei + " wei (" + tx + ")");
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = {
        "Stops a leaf permitting a template; its owner (or a file's delegate). Unions over it under the template stop."
    })
    static final class Clear extends UnionSigningCommand {
        @Option(names = "--asset", required = true, paramLabel = "LEAF_ID", description = "The leaf.")
        private long leafId;

        @Option(names = "--template", required = true, paramLabel = "TEMPLATE_ID", description = "The template.")
        private long templateId;

        @Override
        public Integer call() {
            return run(client -> client.clearTerms(leafId, templateId),
                    tx -> Json.object().put("assetId", leafId).put("templateId", templateId).put("txHash", tx),
                    tx -> "leaf " + leafId + " no longer permits template " + templateId + " (" + tx + ")");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Shows the terms a leaf sets, per template it permits. Only reads the chain."
    })
    static final class Show extends ChainCommand {
        @Parameters(paramLabel = "LEAF_ID", description = "The leaf.")
        private long leafId;

        @Override
        public Integer call() {
            AssetView view;
            try (ChainSession session = readOnly()) {
                view = new UnionClient(session.chain()).show(leafId);
            }
            if (!view.asset().kind().isLeaf()) {
                throw new IllegalArgumentException("asset " + leafId + " is a " + view.asset().kind().label()
                        + ", not a leaf: `coop union show " + leafId + "` shows its constraints");
            }
            if (asJson()) {
                var array = Json.MAPPER.createArrayNode();
                view.terms().forEach(t -> array.add(json(t)));
                out().println(Json.write(Json.object().put("assetId", leafId).put("owner", view.owner().value())
                        .set("terms", array)));
                return 0;
            }
            out().println("leaf " + leafId + "  owner " + view.owner());
            if (view.terms().isEmpty()) {
                out().println("  permits no template");
            }
            for (LeafTerms t : view.terms()) {
                out().println("  template " + t.template().templateId() + " (" + t.template().name() + "): "
                        + Terms.text(t.constraints()) + "  price " + t.price() + " wei  set "
                        + Instant.ofEpochSecond(t.setAt()) + " by " + t.setBy() + "  terms " + t.termsHash());
            }
            return 0;
        }

        private static com.fasterxml.jackson.databind.node.ObjectNode json(LeafTerms t) {
            return Json.object().put("templateId", t.template().templateId()).put("template", t.template().name())
                    .put("price", t.price().toString()).put("termsHash", t.termsHash()).put("setAt", t.setAt())
                    .put("setBy", t.setBy().value()).set("constraints", Terms.json(t.constraints()));
        }
    }
}
