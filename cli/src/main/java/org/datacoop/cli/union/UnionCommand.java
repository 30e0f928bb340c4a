package org.datacoop.cli.union;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.datacoop.chain.UnionChain.Asset;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Ether;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.protocol.union.Constraint;
import org.datacoop.sdk.union.UnionClient;
import org.datacoop.sdk.union.UnionClient.AssetView;
import org.datacoop.sdk.union.UnionClient.ChildConsent;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop union}: leaves, unions over them, consents and activation. */
@Command(
        name = "union",
        mixinStandardHelpOptions = true,
        description = {
            "Registers leaves and builds data unions over them, after Ownership Labs' DataToken.",
            "",
            "A leaf is a file's bound data (its owner acts for it) or a DataDAO's table (the DataDAO's owner acts). "
                + "A union binds leaves and other unions under one template, with constraints per slot (a leaf is one "
                + "slot, a union child brings its own) that must allow nothing a child's terms do not; the chain checks "
                + "this at creation and at every consent. An algorithm asset is a union over one child that fixes every "
                + "value. A union is active once its creator activates it after every child's owner consented, and "
                + "stays active only while every consent stands for its child's current terms and every child is "
                + "active: a revoked consent or changed terms stop it and everything built on it. `coop trace` shows "
                + "the tree."
        },
        subcommands = {UnionCommand.Leaf.class, UnionCommand.Create.class, UnionCommand.Consent.class,
            UnionCommand.Revoke.class, UnionCommand.Activate.class, UnionCommand.Show.class})
public final class UnionCommand {
    /** Given here it applies to the subcommand: {@code coop union --json show 3}. */
    @Mixin
    private JsonOption json;

    @Command(name = "leaf", mixinStandardHelpOptions = true, description = {
        "Registers a file's bound data (its owner or a delegate) or a DataDAO's table (its owner) as a leaf."
    })
    static final class Leaf extends UnionSigningCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        private Source source;

        static final class Source {
            @Option(names = "--file", paramLabel = "FILE_ID", description = "A file whose data a validator bound.")
            Long fileId;

            @ArgGroup(exclusive = false)
            Table table;
        }

        static final class Table {
            @Option(names = "--refiner", required = true, paramLabel = "REFINER_ID", description = "The table's refiner.")
            long refinerId;

            @Option(names = "--table", required = true, paramLabel = "NAME", description = "The table's name.")
            String name;
        }

        @Override
        public Integer call() {
            if (source.fileId != null) {
                long fileId = source.fileId;
                return run(client -> client.registerFileLeaf(fileId),
                        id -> Json.object().put("assetId", id).put("fileId", fileId),
                        id -> "leaf " + id + " is file " + fileId + "'s data");
            }
            Table table = source.table;
            return run(client -> client.registerTableLeaf(table.refinerId, table.name),
                    id -> Json.object().put("assetId", id).put("refinerId", table.refinerId).put("table", table.name),
                    id -> "leaf " + id + " is table " + table.name + " of refiner " + table.refinerId);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
        "Creates a union (or, with --algorithm, an algorithm asset) over children; anyone, who then owns it.",
        "",
        "Give one --slot per slot, in child order: a leaf child has one slot, a union child as many as it has. "
            + "A slot names a constraint for every parameter of the template: --slot 'arg1=1 arg2=free'."
    })
    static final class Create extends UnionSigningCommand {
        @Option(names = "--template", required = true, paramLabel = "TEMPLATE_ID", description = "The template.")
        private long templateId;

        @Option(names = "--child", required = true, paramLabel = "ASSET_ID", description = "A child (repeat, in order).")
        private List<Long> children;

        @Option(names = "--slot", required = true, paramLabel = "'NAME=CONSTRAINT ...'",
                description = "A slot's constraints (repeat, in order).")
        private List<String> slots;

        @Option(names = "--price", paramLabel = "ETH", description = "The union's own price over its children's, in ETH (default: 0).")
        private BigDecimal price = BigDecimal.ZERO;

        @Option(names = "--algorithm", description = "An algorithm asset: one child, every value fixed; nothing builds on it.")
        private boolean algorithm;

        @Override
        public Integer call() {
            List<Map<String, Constraint>> parsed = slots.stream().map(s -> Terms.parseSlot(s, "--slot")).toList();
            var wei = Ether.toWei(price, "--price");
            String kind = algorithm ? "algorithm asset" : "union";
            return run(client -> client.createUnion(templateId, children, parsed, wei, algorithm),
                    id -> Json.object().put("assetId", id).put("kind", algorithm ? "algorithm" : "union"),
                    id -> kind + " " + id + " created over " + children + "; it is active once every child's owner "
                            + "consents (`coop union consent " + id + " --child ID`) and it is activated");
        }
    }

    /** A subcommand on one child of a union. */
    abstract static class OnChild extends UnionSigningCommand {
        @Parameters(paramLabel = "UNION_ID", description = "The union.")
        long unionId;

        @Option(names = "--child", required = true, paramLabel = "ASSET_ID", description = "The child the wallet acts for.")
        long childId;
    }

    @Command(name = "consent", mixinStandardHelpOptions = true, description = {
        "Consents to a union for one of its children, as the child's owner: for the child's current terms, which the "
            + "union's constraints must still fulfil."
    })
    static final class Consent extends OnChild {
        @Override
        public Integer call() {
            return run(client -> client.consent(unionId, childId),
                    tx -> Json.object().put("assetId", unionId).put("childId", childId).put("txHash", tx),
                    tx -> "asset " + childId + " consents to union " + unionId + " (" + tx + ")");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = {
        "Revokes a child's consent, as its owner: the union and everything built on it stop being active."
    })
    static final class Revoke extends OnChild {
        @Override
        public Integer call() {
            return run(client -> client.revoke(unionId, childId),
                    tx -> Json.object().put("assetId", unionId).put("childId", childId).put("txHash", tx),
                    tx -> "asset " + childId + " no longer consents to union " + unionId + " (" + tx + ")");
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = {
        "Activates a union once every child consented to its current terms and every child union is active; its creator."
    })
    static final class Activate extends UnionSigningCommand {
        @Parameters(paramLabel = "UNION_ID", description = "The union.")
        private long unionId;

        @Override
        public Integer call() {
            return run(client -> client.activate(unionId),
                    tx -> Json.object().put("assetId", unionId).put("txHash", tx),
                    tx -> "union " + unionId + " is active (" + tx + ")");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Shows an asset: its kind, owner, whether it is active, and a union's constraints and consents or a leaf's "
            + "terms. Only reads the chain."
    })
    static final class Show extends ChainCommand {
        @Parameters(paramLabel = "ASSET_ID", description = "The asset.")
        private long assetId;

        @Override
        public Integer call() {
            AssetView view;
            try (ChainSession session = readOnly()) {
                view = new UnionClient(session.chain()).show(assetId);
            }
            Asset a = view.asset();
            if (asJson()) {
                ObjectNode body = Json.object().put("assetId", assetId).put("kind", a.kind().label())
                        .put("owner", view.owner().value()).put("active", view.active());
                if (a.kind().isLeaf()) {
                    body.put("dataHash", a.dataHash()).put("refinerId", a.refinerId()).put("table", a.table());
                    ArrayNode templates = body.putArray("templates");
                    view.terms().forEach(t -> templates.add(t.template().templateId()));
                } else {
                    body.put("templateId", a.templateId()).put("price", a.price().toString()).put("termsHash", a.termsHash())
                            .put("activatedAt", a.activatedAt());
                    ArrayNode children = body.putArray("children");
                    a.children().forEach(children::add);
                    ArrayNode slots = body.putArray("slots");
                    view.slots().forEach(s -> slots.add(Terms.json(s)));
                    ArrayNode consents = body.putArray("consents");
                    view.consents().forEach(c -> consents.addObject().put("childId", c.childId())
                            .put("given", c.consent().given()).put("standing", c.standing())
                            .put("by", c.consent().given() ? c.consent().by().value() : null)
                            .put("termsHash", c.consent().termsHash()));
                }
                out().println(Json.write(body));
                return 0;
            }
            out().println(a.kind().label() + " " + assetId + "  owner " + view.owner() + "  "
                    + (view.active() ? "active" : "inactive"));
            if (a.kind().isLeaf()) {
                out().println(a.dataHash().isEmpty() ? "  table " + a.table() + " of refiner " + a.refinerId()
                        : "  data " + a.dataHash());
                view.terms().forEach(t -> out().println("  permits template " + t.template().templateId() + " ("
                        + t.template().name() + "): " + Terms.text(t.constraints()) + "  price " + t.price() + " wei"));
                return 0;
            }
            var template = view.template().orElseThrow();
            out().println("  template " + template.templateId() + " (" + template.name() + ")  own price " + a.price()
                    + " wei  " + (a.activatedAt() == 0 ? "never activated"
                            : "activated " + Instant.ofEpochSecond(a.activatedAt())));
            for (int s = 0; s < view.slots().size(); s++) {
                out().println("  slot " + (s + 1) + ": " + Terms.text(view.slots().get(s)));
            }
            for (ChildConsent c : view.consents()) {
                out().println("  child " + c.childId() + ": " + (!c.consent().given() ? "no consent"
                        : c.standing() ? "consented by " + c.consent().by()
                                : "consent by " + c.consent().by() + " is for terms since changed"));
            }
            return 0;
        }
    }
}
