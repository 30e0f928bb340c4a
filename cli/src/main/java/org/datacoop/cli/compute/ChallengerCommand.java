package org.datacoop.cli.compute;

import java.io.PrintWriter;
import org.datacoop.chain.ComputeChain;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.cli.Outcomes;
import org.datacoop.cli.SigningCommand;
import org.datacoop.protocol.Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop challenger}: a DataDAO's challengers of optimistic (OP) results. */
@Command(
        name = "challenger",
        mixinStandardHelpOptions = true,
        description = {
            "Admits, joins, leaves and shows a DataDAO's challengers of optimistic (OP) task results.",
            "",
            "A challenger is a validator that re-executes the OP results over the DataDAO's data and disputes a wrong "
                + "one, with a bond it loses if its challenge is false. The DataDAO's owner admits it; the validator "
                + "joins with its bond (sign as the validator: COOP_PRIVATE_KEY=$(cat DIR/node/signing.key)). To "
                + "re-execute, it must also be a refinement service of the DataDAO."
        },
        subcommands = {ChallengerCommand.Admit.class, ChallengerCommand.Join.class, ChallengerCommand.Leave.class,
            ChallengerCommand.Show.class})
public final class ChallengerCommand {
    /** Given here it applies to the subcommand: {@code coop challenger --json show --dlp 1 0x…}. */
    @Mixin
    private JsonOption json;

    @Command(name = "admit", mixinStandardHelpOptions = true, description = {
        "Admits a validator as a challenger of the DataDAO (its owner only).",
        "",
        "The validator must be active in the TeePool; it challenges once it joins with its bond."
    })
    static final class Admit extends SigningCommand {
        @Mixin
        private OfValidator of;

        @Override
        public Integer call() {
            Address account = of.validator();
            try (ChainSession session = session()) {
                String tx = session.compute().admitChallenger(of.dlpId, account);
                print(out(), asJson(), of.dlpId, account, session.compute().challenger(of.dlpId, account), tx,
                        "admitted as a challenger of DataDAO " + of.dlpId);
            }
            return 0;
        }
    }

    /** The DataDAO and the validator a subcommand is about. */
    static final class OfValidator {
        @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO.")
        long dlpId;

        @Parameters(paramLabel = "VALIDATOR", description = "The validator's address.")
        private String validator;

        Address validator() {
            return Address.of(validator);
        }
    }

    /** The wallet's own membership, changed: it signs as the validator. */
    abstract static class Membership extends SigningCommand {
        @Option(names = "--dlp", required = true, paramLabel = "ID", description = "The DataDAO.")
        private long dlpId;

        abstract String apply(ComputeChain compute, long dlpId);

        abstract String done(long dlpId);

        @Override
        public Integer call() {
            try (ChainSession session = session()) {
                ComputeChain compute = session.compute();
                String tx = apply(compute, dlpId);
                Address self = compute.account();
                print(out(), asJson(), dlpId, self, compute.challenger(dlpId, self), tx, done(dlpId));
            }
            return 0;
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true, description = {
        "Joins the DataDAO's challengers as the wallet, an admitted validator, posting the registry's bond.",
        "",
        "Its node then re-executes every OP result over the DataDAO's data and disputes a wrong one."
    })
    static final class Join extends Membership {
        @Override
        String apply(ComputeChain compute, long dlpId) {
            return compute.joinChallengers(dlpId);
        }

        @Override
        String done(long dlpId) {
            return "joined the challengers of DataDAO " + dlpId;
        }
    }

    @Command(name = "leave", mixinStandardHelpOptions = true, description = {
        "Leaves the DataDAO's challengers: the bond comes back to the wallet.",
        "",
        "Refused while a dispute the wallet opened is running: its bond is at stake there."
    })
    static final class Leave extends Membership {
        @Override
        String apply(ComputeChain compute, long dlpId) {
            return compute.leaveChallengers(dlpId);
        }

        @Override
        String done(long dlpId) {
            return "left the challengers of DataDAO " + dlpId + "; its bond is paid back";
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Shows a validator as a challenger of the DataDAO: admitted, its bond, the dispute that locks it, its challenges "
            + "made, won and lost, reputation and rewards."
    })
    static final class Show extends ChainCommand {
        @Mixin
        private OfValidator of;

        @Override
        public Integer call() {
            Address account = of.validator();
            try (ChainSession session = readOnly()) {
                print(out(), asJson(), of.dlpId, account, session.compute().challenger(of.dlpId, account), null, null);
            }
            return 0;
        }
    }

    private static void print(PrintWriter out, boolean json, long dlpId, Address account, ComputeChain.Challenger c,
            String tx, String done) {
        boolean locked = !c.lockedIn().equals("0x" + "00".repeat(32));
        if (json) {
            var body = Json.object().put("dlpId", dlpId).put("challenger", account.value()).put("admitted", c.admitted())
                    .put("bond", Outcomes.tokens(c.bond())).put("lockedIn", locked ? c.lockedIn() : null)
                    .put("made", c.made()).put("won", c.won()).put("lost", c.lost()).put("reputation", c.reputation())
                    .put("rewards", Outcomes.tokens(c.rewards()));
            if (tx != null) {
                body.put("txHash", tx);
            }
            out.println(Json.write(body));
            return;
        }
        if (done != null) {
            out.println(account + " " + done + " (transaction " + tx + ")");
        }
        out.println("challenger  " + account + " of DataDAO " + dlpId);
        out.println("admitted    " + (c.admitted() ? "yes" : "no"));
        out.println("bond        " + Outcomes.tokens(c.bond()) + " ETH" + (c.bond().signum() == 0 ? " (not joined)" : ""));
        out.println("disputing   " + (locked ? "task " + c.lockedIn() : "none"));
        out.println("challenges  " + c.made() + " made, " + c.won() + " won, " + c.lost() + " lost; reputation "
                + c.reputation() + "; rewards " + Outcomes.tokens(c.rewards()) + " ETH");
    }
}
