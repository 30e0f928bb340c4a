package org.datacoop.cli.union;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Json;
import org.datacoop.cli.SigningCommand;
import org.datacoop.sdk.union.UnionClient;

/** A union command that signs as the wallet: runs one action of the client and prints its outcome. */
abstract class UnionSigningCommand extends SigningCommand {
    final <T> int run(Function<UnionClient, T> action, Function<T, ObjectNode> asJson, Function<T, String> asText) {
        T outcome;
        try (ChainSession session = session()) {
            outcome = action.apply(new UnionClient(session.chain()));
        }
        out().println(asJson() ? Json.write(asJson.apply(outcome)) : asText.apply(outcome));
        return 0;
    }
}
