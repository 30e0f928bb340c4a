package org.datacoop.cli.union;

import java.util.List;
import java.util.Locale;
import org.datacoop.chain.UnionChain.Template;
import org.datacoop.chain.UnionChain.TemplateKind;
import org.datacoop.cli.ChainCommand;
import org.datacoop.cli.ChainSession;
import org.datacoop.cli.Json;
import org.datacoop.cli.JsonOption;
import org.datacoop.sdk.union.UnionClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop template}: operator templates, what terms and unions permit to run. */
@Command(
        name = "template",
        mixinStandardHelpOptions = true,
        description = {
            "Registers and shows operator templates: what may be run over data in a union.",
            "",
            "A template pins code by its digest (an allowed compute algorithm's, a query shape's, or the federated "
                + "trainer's) and names its parameters. Anyone registers one; nothing changes it afterwards, so terms "
                + "written against it keep their meaning. Leaves permit templates with terms (`coop terms set`)."
        },
        subcommands = {TemplateCommand.Register.class, TemplateCommand.Show.class})
public final class TemplateCommand {
    /** Given here it applies to the subcommand: {@code coop template --json show 1}. */
    @Mixin
    private JsonOption json;

    @Command(name = "register", mixinStandardHelpOptions = true, description = {
        "Registers a template; anyone. Prints its id."
    })
    static final class Register extends UnionSigningCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The template's name.")
        private String name;

        @Option(names = "--kind", defaultValue = "algorithm", paramLabel = "KIND",
                description = "What the digest pins: algorithm, query or federated (default: ${DEFAULT-VALUE}).")
        private String kind;

        @Option(names = "--digest", required = true, paramLabel = "DIGEST",
                description = "The code's digest, 0x and 64 hex digits.")
        private String digest;

        @Option(names = "--param", required = true, paramLabel = "NAME",
                description = "A parameter's name, in order (repeat for each).")
        private List<String> params;

        @Override
        public Integer call() {
            TemplateKind templateKind = kind(kind);
            return run(client -> client.registerTemplate(templateKind, digest, name, params),
                    id -> Json.object().put("templateId", id).put("name", name),
                    id -> "template " + id + " (" + name + ", " + templateKind.label() + ") registered with parameters "
                            + String.join(", ", params));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Shows a template: its kind, digest, parameters and who registered it. Only reads the chain."
    })
    static final class Show extends ChainCommand {
        @Parameters(paramLabel = "TEMPLATE_ID", description = "The template's id.")
        private long templateId;

        @Override
        public Integer call() {
            Template t;
            try (ChainSession session = readOnly()) {
                t = new UnionClient(session.chain()).template(templateId);
            }
            if (asJson()) {
                var body = Json.object().put("templateId", t.templateId()).put("name", t.name())
                        .put("kind", t.kind().label()).put("codeDigest", t.codeDigest())
                        .put("registeredBy", t.registeredBy().value());
                t.params().forEach(body.putArray("params")::add);
                out().println(Json.write(body));
            } else {
                out().println("template " + t.templateId() + "  " + t.name() + "  (" + t.kind().label() + ")");
                out().println("  digest " + t.codeDigest());
                out().println("  parameters " + String.join(", ", t.params()));
                out().println("  registered by " + t.registeredBy());
            }
            return 0;
        }
    }

    private static TemplateKind kind(String text) {
        try {
            return TemplateKind.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kind: unknown kind '" + text + "' (algorithm, query or federated)");
        }
    }
}
