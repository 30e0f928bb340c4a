package org.datacoop.cli.own;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.datacoop.chain.OwnershipChain.License;
import org.datacoop.chain.OwnershipChain.LicenseTerms;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Ether;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.cli.Outcomes;
import org.datacoop.cli.SigningCommand;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Sha256;
import org.datacoop.sdk.ownership.OwnershipClient;
import org.datacoop.sdk.ownership.OwnershipClient.FileOwnership;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop own}: who owns a file's data, and the owner's transfers, licenses and delegates. */
@Command(
        name = "own",
        mixinStandardHelpOptions = true,
        description = {
            "Shows and manages the ownership of contributed data in the OwnershipRegistry.",
            "",
            "When a validator proves a file valid, its enclave binds the file's data hash to the file's owner. The hash "
                + "is keyed (HMAC-SHA256 under a secret of the DataDAO's enclave), so nobody can confirm a guess of "
                + "private content by hashing it. From then on the owner transfers the data, licenses it (query, "
                + "compute, training; with terms, an expiry and a price) and revokes licenses, sets terms (then only "
                + "licensed grantees may query or compute over it), and appoints delegates who may transfer and license "
                + "it too; only the owner appoints and dismisses delegates.",
            "",
            "A license with a price is an offer until it is paid (`coop own pay`); once bought it cannot be revoked and "
                + "stands until it expires. Payments are credited to the data's owner, who takes them with `coop own withdraw`."
        },
        subcommands = {OwnCommand.Show.class, OwnCommand.Transfer.class, OwnCommand.Grant.class, OwnCommand.SetTerms.class, OwnCommand.Revoke.class,
            OwnCommand.Pay.class, OwnCommand.Withdraw.class, OwnCommand.Delegate.class, OwnCommand.Undelegate.class})
public final class OwnCommand {
    /** Given here it applies to the subcommand: {@code coop own --json show --file 1}. */
    @Mixin
    private JsonOption json;

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Shows a file's data hash, its owner, its licenses (active or not) and its owner's delegates.",
        "",
        "Only reads the chain: no wallet is needed."
    })
    static final class Show extends ChainCommand {
        @Option(names = "--file", required = true, paramLabel = "ID", description = "The file's id.")
        private long fileId;

        @Override
        public Integer call() {
            FileOwnership shown;
            try (ChainSession session = readOnly()) {
                shown = new OwnershipClient(session.chain()).show(fileId);
            }
            PrintWriter out = out();
            if (asJson()) {
                ObjectNode body = Json.object().put("fileId", fileId).put("dataHash", shown.dataHash())
                        .put("owner", shown.owner().value()).put("boundAt", shown.binding().boundAt())
                        .put("validator", shown.binding().validator().value());
                ArrayNode licenses = body.putArray("licenses");
                shown.licenses().forEach(license -> licenses.add(json(license)));
                ArrayNode delegates = body.putArray("delegates");
                shown.delegates().forEach(delegate -> delegates.add(delegate.value()));
                shown.terms().ifPresentOrElse(terms -> body.putObject("terms").put("termsUrl", terms.termsUrl())
                                .put("termsHash", terms.termsHash()).put("setAt", terms.setAt())
                                .put("setBy", terms.setBy().value()),
                        () -> body.putNull("terms"));
                out.println(Json.write(body));
                return 0;
            }
            out.println("file " + fileId + "  data hash " + shown.dataHash());
            out.println("  owner " + shown.owner() + "  (bound " + Instant.ofEpochSecond(shown.binding().boundAt())
                    + " by validator " + shown.binding().validator() + ")");
            out.println(shown.terms().map(terms -> "  terms: " + terms.termsUrl() + " (" + terms.termsHash() + "), set "
                    + Instant.ofEpochSecond(terms.setAt()) + " by " + terms.setBy() + ": only licensed grantees may use it")
                    .orElse("  terms: none (no license needed)"));
            out.println("  delegates: " + (shown.delegates().isEmpty() ? "none"
                    : String.join(", ", shown.delegates().stream().map(Address::value).toList())));
            if (shown.licenses().isEmpty()) {
                out.println("  licenses: none");
            }
            for (License license : shown.licenses()) {
                LicenseTerms terms = license.terms();
                out.println("  license " + license.licenseId() + "  " + status(license) + "  grantee " + terms.grantee()
                        + "  scope " + scopeText(terms.scope()) + "  expires " + expiry(terms.expiresAt()) + "  price "
                        + Outcomes.tokens(terms.price()) + " ETH  terms " + terms.termsUrl() + " (" + terms.termsHash() + ")");
            }
            return 0;
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true, description = {
        "Makes another address the owner of a file's data; the owner or a delegate.",
        "",
        "The old owner's delegates are dismissed (the new owner appoints its own); licenses stay until revoked or expired."
    })
    static final class Transfer extends OnFile {
        @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "The new owner.")
        private String to;

        @Override
        public Integer call() {
            Address recipient = address(to, "--to");
            return run(client -> client.transfer(fileId, recipient),
                    tx -> Json.object().put("fileId", fileId).put("to", recipient.value()).put("txHash", tx),
                    tx -> "file " + fileId + "'s data transferred to " + recipient + " in " + tx);
        }
    }

    @Command(name = "license", mixinStandardHelpOptions = true, description = {
        "Grants a license over a file's data; the owner or a delegate.",
        "",
        "A license names its grantee, what it may do (query, compute, training), its terms (a url, and their hash: "
            + "given, or computed from a local copy with --terms), an expiry and a price. A free license grants until "
            + "it expires or is revoked (`coop own revoke`); a priced one is an offer that grants once paid "
            + "(`coop own pay`), and then until it expires: a bought license cannot be revoked."
    })
    static final class Grant extends OnFile {
        @Option(names = "--grantee", required = true, paramLabel = "ADDRESS", description = "Who may use the data.")
        private String grantee;

        @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
                description = "What the grantee may do: query, compute, training (comma-separated).")
        private List<String> scope;

        @Option(names = "--terms-url", required = true, paramLabel = "URL", description = "Where the license's terms are.")
        private String termsUrl;

        @Option(names = "--terms-hash", paramLabel = "HASH",
                description = "The terms' hash, 0x and 64 hex digits (default: SHA-256 of --terms, else zero).")
        private String termsHash;

        @Option(names = "--terms", paramLabel = "FILE", description = "A local copy of the terms, whose SHA-256 is recorded.")
        private Path termsFile;

        @Option(names = "--expires", paramLabel = "TIME",
                description = "When the license stops granting, as an ISO-8601 instant (2027-01-01T00:00:00Z); default: never.")
        private String expires;

        @Option(names = "--price", paramLabel = "ETH",
                description = "What the grantee pays, in ETH, before the license grants (default: 0, free).")
        private BigDecimal price = BigDecimal.ZERO;

        @Override
        public Integer call() {
            LicenseTerms terms = new LicenseTerms(address(grantee, "--grantee"),
                    termsHash(termsHash, termsFile).orElse("0x" + "00".repeat(32)), termsUrl, scopes(scope),
                    expiry(expires), Ether.toWei(price, "--price"));
            return run(client -> client.license(fileId, terms),
                    id -> Json.object().put("fileId", fileId).put("licenseId", id).put("grantee", terms.grantee().value()),
                    id -> "license " + id + " granted to " + terms.grantee() + " over file " + fileId + "'s data ("
                            + scopeText(terms.scope()) + ", expires " + expiry(terms.expiresAt()) + ")");
        }

    }

    @Command(name = "terms", mixinStandardHelpOptions = true, description = {
        "Sets or clears the terms of a file's data; the owner or a delegate.",
        "",
        "While terms are set, the query and compute paths serve the file's rows only to grantees holding an active "
            + "license of the matching scope (query for queries, compute for tasks; `coop own license`), besides "
            + "their DataDAO permissions; everyone else is refused by name before anything is charged. Data without "
            + "terms needs no license."
    })
    static final class SetTerms extends OnFile {
        @Option(names = "--terms-url", paramLabel = "URL", description = "Where the terms are.")
        private String termsUrl;

        @Option(names = "--terms-hash", paramLabel = "HASH", description = "The terms' hash, 0x and 64 hex digits.")
        private String termsHash;

        @Option(names = "--terms", paramLabel = "FILE", description = "A local copy of the terms, whose SHA-256 is recorded.")
        private Path termsFile;

        @Option(names = "--clear", description = "Clears the terms instead: the data is served without licenses again.")
        private boolean clear;

        @Override
        public Integer call() {
            if (clear) {
                if (termsUrl != null || termsHash != null || termsFile != null) {
                    throw new IllegalArgumentException("--clear takes no --terms-url, --terms-hash or --terms");
                }
                return run(client -> client.clearTerms(fileId),
                        tx -> Json.object().put("fileId", fileId).put("terms", (String) null).put("txHash", tx),
                        tx -> "file " + fileId + "'s data has no terms any more (" + tx + ")");
            }
            if (termsUrl == null) {
                throw new IllegalArgumentException("give --terms-url (with --terms or --terms-hash), or --clear");
            }
            String hash = termsHash(termsHash, termsFile).orElseThrow(() -> new IllegalArgumentException(
                    "give the terms' hash with --terms-hash, or a local copy of them with --terms"));
            return run(client -> client.setTerms(fileId, hash, termsUrl),
                    tx -> Json.object().put("fileId", fileId).put("termsUrl", termsUrl).put("termsHash", hash)
                            .put("txHash", tx),
                    tx -> "file " + fileId + "'s data is now served only to licensed grantees, on terms " + termsUrl
                            + " (" + hash + ") (" + tx + ")");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = {
        "Revokes a license: it grants nothing from then on. The owner of its data or a delegate."
    })
    static final class Revoke extends Signed {
        @Parameters(paramLabel = "LICENSE_ID", description = "The license's id (see `coop own show`).")
        private long licenseId;

        @Override
        public Integer call() {
            return run(client -> client.revoke(licenseId),
                    tx -> Json.object().put("licenseId", licenseId).put("txHash", tx),
                    tx -> "license " + licenseId + " revoked in " + tx);
        }
    }

    @Command(name = "pay", mixinStandardHelpOptions = true, description = {
        "Pays a priced license's price, exactly, so that it grants its grantee; anyone may pay for the grantee.",
        "",
        "The price goes to the data's owner at the time of payment (`coop own withdraw`). A free, already paid, "
            + "revoked or expired license is refused by name and nothing is sent."
    })
    static final class Pay extends Signed {
        @Parameters(paramLabel = "LICENSE_ID", description = "The license's id (see `coop own show`).")
        private long licenseId;

        @Override
        public Integer call() {
            return run(client -> client.pay(licenseId),
                    paid -> Json.object().put("licenseId", licenseId).put("price", paid.price().toString())
                            .put("payee", paid.payee().value()).put("txHash", paid.txHash()),
                    paid -> "license " + licenseId + " paid: " + Outcomes.tokens(paid.price()) + " ETH to "
                            + paid.payee() + " in " + paid.txHash() + "; it grants from now on");
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = {
        "Sends the wallet everything license payments credited to it as a data owner."
    })
    static final class Withdraw extends Signed {
        @Override
        public Integer call() {
            return run(OwnershipClient::withdraw,
                    taken -> Json.object().put("amount", taken.amount().toString()).put("txHash", taken.txHash()),
                    taken -> "withdrew " + Outcomes.tokens(taken.amount()) + " ETH of license earnings in " + taken.txHash());
        }
    }

    @Command(name = "delegate", mixinStandardHelpOptions = true, description = {
        "Appoints a delegate for a file's data, who may transfer it and grant and revoke its licenses until dismissed "
            + "(`coop own undelegate`) or until the data changes hands. The owner only."
    })
    static final class Delegate extends OnOperator {
        @Override
        public Integer call() {
            Address delegate = operator();
            return run(client -> client.delegate(fileId, delegate),
                    tx -> Json.object().put("fileId", fileId).put("operator", delegate.value()).put("txHash", tx),
                    tx -> delegate + " is a delegate for file " + fileId + "'s data (" + tx + ")");
        }
    }

    @Command(name = "undelegate", mixinStandardHelpOptions = true, description = {
        "Dismisses a delegate of a file's data: it can no longer transfer or license it. The owner only."
    })
    static final class Undelegate extends OnOperator {
        @Override
        public Integer call() {
            Address delegate = operator();
            return run(client -> client.undelegate(fileId, delegate),
                    tx -> Json.object().put("fileId", fileId).put("operator", delegate.value()).put("txHash", tx),
                    tx -> delegate + " is no longer a delegate for file " + fileId + "'s data (" + tx + ")");
        }
    }

    /** What every signing subcommand shares: running an action on the registry and printing its outcome. */
    abstract static class Signed extends SigningCommand {
        <T> int run(Function<OwnershipClient, T> action, Function<T, ObjectNode> asJson, Function<T, String> asText) {
            T outcome;
            try (ChainSession session = session()) {
                outcome = action.apply(new OwnershipClient(session.chain()));
            }
            out().println(asJson() ? Json.write(asJson.apply(outcome)) : asText.apply(outcome));
            return 0;
        }
    }

    /** A signing subcommand on one file's data. */
    abstract static class OnFile extends Signed {
        @Option(names = "--file", required = true, paramLabel = "ID", description = "The file's id.")
        long fileId;
    }

    /** A subcommand on one delegate of a file's data. */
    abstract static class OnOperator extends OnFile {
        @Option(names = "--operator", required = true, paramLabel = "ADDRESS", description = "The delegate.")
        private String operator;

        Address operator() {
            return address(operator, "--operator");
        }
    }

    private static Address address(String text, String option) {
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " is not an address (0x and 40 hex digits): " + text);
        }
    }

    /** The terms' hash: {@code hash} checked, or the SHA-256 of {@code file}; empty when neither is given. */
    private static Optional<String> termsHash(String hash, Path file) {
        if (hash != null && file != null) {
            throw new IllegalArgumentException("give --terms-hash or --terms, not both");
        }
        if (file != null) {
            try {
                return Optional.of(Hex.prefixed(Sha256.of(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (hash != null && !hash.matches("0x[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("--terms-hash is not 0x and 64 hex digits: " + hash);
        }
        return Optional.ofNullable(hash);
    }

    private static Set<Scope> scopes(List<String> names) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            try {
                scopes.add(Scope.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--scope: unknown scope '" + name + "' (query, compute or training)");
            }
        }
        return scopes;
    }

    private static long expiry(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--expires is not an ISO-8601 instant such as 2027-01-01T00:00:00Z: " + text);
        }
    }

    private static ObjectNode json(License license) {
        LicenseTerms terms = license.terms();
        ObjectNode node = Json.object().put("licenseId", license.licenseId()).put("grantee", terms.grantee().value())
                .put("active", license.active()).put("revoked", license.revoked()).put("paid", license.paid())
                .put("grantedBy", license.grantedBy().value()).put("expiresAt", terms.expiresAt())
                .put("price", terms.price().toString()).put("termsUrl", terms.termsUrl()).put("termsHash", terms.termsHash());
        ArrayNode scope = node.putArray("scope");
        terms.scope().stream().sorted().forEach(s -> scope.add(s.name().toLowerCase(Locale.ROOT)));
        return node;
    }

    private static String status(License license) {
        if (license.active()) {
            return license.bought() ? "active (bought)" : "active";
        }
        return license.revoked() ? "revoked" : license.paid() ? "expired" : "offered, unpaid (coop own pay " + license.licenseId() + ")";
    }

    private static String scopeText(Set<Scope> scope) {
        return String.join(",", scope.stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static String expiry(long expiresAt) {
        return expiresAt == 0 ? "never" : Instant.ofEpochSecond(expiresAt).toString();
    }
}
