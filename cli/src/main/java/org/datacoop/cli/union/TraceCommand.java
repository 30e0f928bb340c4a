package org.datacoop.cli.union;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Json;
import org.datacoop.protocol.Address;
import org.datacoop.sdk.union.Lineage;
import org.datacoop.sdk.union.Lineage.AssetNode;
import org.datacoop.sdk.union.Lineage.Trace;
import org.datacoop.sdk.union.Lineage.TraceNode;
import org.datacoop.sdk.union.UnionClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coop trace}: the lineage of an asset or an owner's assets, from chain events alone. */
@Command(name = "trace", mixinStandardHelpOptions = true, description = {
    "Traces data unions from the union registry's events alone.",
    "",
    "Given an asset id, prints the asset down to its leaves and up to every union and algorithm asset built on it; "
        + "given an address, every asset it registered or created, each up to what was built on it. Each asset is "
        + "shown active or inactive as the events leave it (activation, consents, each child's terms at consent). "
        + "Only reads the chain."
})
public final class TraceCommand extends ChainCommand {
    @Parameters(paramLabel = "ASSET_ID|ADDRESS", description = "An asset's id or an owner's address.")
    private String subject;

    @Override
    public Integer call() {
        // read before the chain, so a malformed subject touches nothing
        Optional<Address> owner = subject.startsWith("0x") ? Optional.of(address(subject)) : Optional.empty();
        long assetId = owner.isPresent() ? 0 : assetId(subject);
        Lineage lineage;
        try (ChainSession session = readOnly()) {
            lineage = new UnionClient(session.chain()).lineage();
        }
        Trace trace = owner.map(lineage::ofOwner).orElseGet(() -> lineage.ofAsset(assetId));
        PrintWriter out = out();
        if (asJson()) {
            ObjectNode body = Json.object().put("subject", trace.subject());
            body.set("down", json(trace.down()));
            body.set("up", json(trace.up()));
            out.println(Json.write(body));
            return 0;
        }
        out.println(trace.subject());
        if (!trace.down().isEmpty()) {
            out.println("down to its leaves:");
            trace.down().forEach(node -> print(out, node, "  "));
        }
        out.println(trace.down().isEmpty() ? "assets, each up to what is built on it:" : "up to what is built on it:");
        if (trace.up().isEmpty()) {
            out.println("  none");
        }
        trace.up().forEach(node -> print(out, node, "  "));
        return 0;
    }

    private static void print(PrintWriter out, TraceNode node, String indent) {
        AssetNode a = (AssetNode) node.node();
        String what = switch (a.kind()) {
            case FILE -> "file leaf, data " + a.dataHash();
            case TABLE -> "table leaf, " + a.table() + " of refiner " + a.refinerId();
            case UNION, ALGORITHM -> a.kind().label() + " under template " + a.templateId();
        };
        out.println(indent + "asset " + a.assetId() + "  " + what + "  owner " + a.owner() + "  "
                + (a.active() ? "active" : a.activated() ? "inactive" : "not activated"));
        node.next().forEach(next -> print(out, next, indent + "  "));
    }

    private static ArrayNode json(List<TraceNode> nodes) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (TraceNode node : nodes) {
            AssetNode a = (AssetNode) node.node();
            ObjectNode item = array.addObject().put("type", "asset").put("assetId", a.assetId())
                    .put("kind", a.kind().label()).put("owner", a.owner().value()).put("active", a.active())
                    .put("activated", a.activated()).put("block", a.block());
            if (a.kind().isLeaf()) {
                item.put("dataHash", a.dataHash()).put("refinerId", a.refinerId()).put("table", a.table());
            } else {
                item.put("templateId", a.templateId());
            }
            item.set("next", json(node.next()));
        }
        return array;
    }

    private static long assetId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trace takes an asset's id or an address (0x and 40 hex digits), not '"
                    + text + "'");
        }
    }

    private static Address address(String text) {
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trace takes an asset's id or an address (0x and 40 hex digits), not '"
                    + text + "'");
        }
    }
}
