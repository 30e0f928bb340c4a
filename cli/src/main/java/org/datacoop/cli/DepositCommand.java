package org.datacoop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code coop deposit}: the wallet's prepaid balance in the QueryEngine. */
@Command(
        name = "deposit",
        mixinStandardHelpOptions = true,
        description = "Manages the wallet's deposit in the QueryEngine, which pays for its queries.",
        subcommands = {DepositWithdrawCommand.class})
final class DepositCommand {
    @Mixin
    private JsonOption json;

    private DepositCommand() {}
}
