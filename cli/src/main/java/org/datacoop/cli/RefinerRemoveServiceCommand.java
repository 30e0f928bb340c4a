package org.datacoop.cli;

import java.nio.file.Path;
import org.datacoop.protocol.Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coop refiner remove-service --dlp ID ADDRESS}: a refinement service no longer trusted. A
 * sibling of {@code refiner service} rather than its subcommand, since picocli would then ask for
 * that command's required {@code --dlp} and ADDRESS before the subcommand's name.
 */
@Command(
        name = "remove-service",
        mixinStandardHelpOptions = true,
        description = {
            "Stops trusting a refinement service with a DataDAO the wallet owns.",
            "",
            "It refines and serves none of its files from then on (what it registered before stays on-chain)."
        })
final class RefinerRemoveServiceCommand extends SigningCommand {
    @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO.")
    private long dlpId;

    @Parameters(paramLabel = "ADDRESS", description = "The service's address.")
    private String address;

    @Override
    public Integer call() {
        Address service = Address.of(address);
        String tx;
        try (ChainSession session = session()) {
            session.chain().requireDataDao(dlpId);
            tx = session.queries().removeRefinementService(dlpId, service);
        }
        if (asJson()) {
            out().println(Json.write(Json.object().put("dlpId", dlpId).put("service", service.value())
                    .put("txHash", tx)));
        } else {
            out().println(service + " no longer refines or serves DataDAO " + dlpId + " (transaction "
                    + tx + ")");
        }
        return 0;
    }
}
