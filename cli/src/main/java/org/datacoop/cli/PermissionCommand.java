package org.datacoop.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import org.datacoop.chain.QueryChain;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.query.QueryPermission;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop permission}: who may query which refined table or column, at what price. */
@Command(
        name = "permission",
        mixinStandardHelpOptions = true,
        description = "Grants, approves and lists query permissions on refined tables and columns.",
        subcommands = {PermissionCommand.Grant.class, PermissionCommand.Approve.class, PermissionCommand.Revoke.class,
            PermissionCommand.List.class})
final class PermissionCommand {
    /** Given here it applies to the subcommand: {@code coop permission --json ...}. */
    @Mixin
    private JsonOption json;

    @Command(
            name = "grant",
            mixinStandardHelpOptions = true,
            description = {
                "Grants a permission on a refiner's tables.",
                "",
                "From the DataDAO's owner it takes effect at once; "
                    + "from anyone else it is a request for the wallet itself, which waits for `permission approve`. "
                    + "Without --table it covers every table; without --column every column of the table."
            })
    static final class Grant extends SigningCommand {
        @Option(names = "--refiner", required = true, paramLabel = "ID", description = "The refiner whose tables it covers.")
        private long refinerId;

        @Option(names = "--grantee", paramLabel = "ADDRESS", description = "Who may query (default: the wallet).")
        private String grantee;

        @Option(names = "--anyone", description = "A generic permission, for every caller (owner only).")
        private boolean anyone;

        @Option(names = "--table", paramLabel = "TABLE", description = "The table (default: all).")
        private String table = "";

        @Option(names = "--column", paramLabel = "COLUMN", description = "The column (default: all of the table).")
        private String column = "";

        @Option(names = "--price", required = true, paramLabel = "ETH",
                description = "What a query using it pays, in ether (or whole tokens with --token).")
        private BigDecimal price;

        @Option(names = "--token", paramLabel = "ADDRESS", description = "An ERC-20 to be paid in (default: ether).")
        private String token;

        @Override
        public Integer call() {
            if (anyone && grantee != null) {
                throw new IllegalArgumentException("give --grantee or --anyone, not both");
            }
            if (table.isEmpty() && !column.isEmpty()) {
                throw new IllegalArgumentException("--column needs --table");
            }
            var signer = signer();
            Address to = anyone ? Address.ZERO : grantee == null ? signer.address() : Address.of(grantee);
            QueryPermission permission;
            try (ChainSession session = session(signer)) {
                var queries = session.queries();
                queries.refiner(refinerId);
                permission = queries.addPermission(to, refinerId, table, column, Ether.toWei(price, "--price"),
                        token == null ? Address.ZERO : Address.of(token));
            }
            print(out(), java.util.List.of(permission), asJson());
            return 0;
        }
    }

    /** A change to one permission by the wallet, printed afterwards as the chain records it. */
    abstract static class Change extends SigningCommand {
        @Parameters(paramLabel = "ID", description = "The permission.")
        private long id;

        abstract String apply(QueryChain queries, long permissionId);

        @Override
        public Integer call() {
            try (ChainSession session = session()) {
                QueryChain queries = session.queries();
                String tx = apply(queries, id);
                if (!asJson()) {
                    err().println("transaction " + tx);
                }
                print(out(), java.util.List.of(queries.permission(id)), asJson());
            }
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a requested permission (DataDAO owner).")
    static final class Approve extends Change {
        @Override
        String apply(QueryChain queries, long permissionId) {
            return queries.approvePermission(permissionId);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Ends a permission for good (the DataDAO's owner or its grantee).")
    static final class Revoke extends Change {
        @Override
        String apply(QueryChain queries, long permissionId) {
            return queries.revokePermission(permissionId);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the permissions on a refiner's tables.")
    static final class List extends ChainCommand {
        @Option(names = "--refiner", required = true, paramLabel = "ID", description = "The refiner.")
        private long refinerId;

        @Override
        public Integer call() {
            java.util.List<QueryPermission> permissions;
            try (ChainSession session = readOnly()) {
                QueryChain queries = session.queries();
                queries.refiner(refinerId);
                permissions = queries.permissionsOf(refinerId);
            }
            print(out(), permissions, asJson());
            return 0;
        }
    }

    private static void print(PrintWriter out, java.util.List<QueryPermission> permissions, boolean json) {
        if (json) {
            var array = Json.MAPPER.createArrayNode();
            for (QueryPermission p : permissions) {
                array.addObject().put("id", p.id()).put("grantee", p.grantee().isZero() ? "anyone" : p.grantee().value())
                        .put("refinerId", p.refinerId()).put("table", p.table()).put("column", p.column())
                        .put("price", p.price().toString()).put("token", p.token().value())
                        .put("approved", p.approved()).put("revoked", p.revoked());
            }
            out.println(Json.write(array));
            return;
        }
        if (permissions.isEmpty()) {
            out.println("no permissions");
        }
        for (QueryPermission p : permissions) {
            String status = p.revoked() ? "revoked" : p.approved() ? "approved" : "waiting for approval";
            out.println("permission " + p.id() + "  " + (p.grantee().isZero() ? "anyone" : p.grantee().value()) + "  "
                    + p.scope() + "  " + Outcomes.tokens(p.price()) + (p.token().isZero() ? " ETH" : " of " + p.token())
                    + "  " + status);
        }
    }
}
