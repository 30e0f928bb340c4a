package org.datacoop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.devnet.Anvil;
import org.datacoop.node.ValidatorService;
import org.datacoop.node.job.JobSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coop node run}: a validator on its own, for the network a data dir's deployment names. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "Runs a validator node (coop job show inspects a job as its validator sees it).",
        subcommands = {NodeCommand.Run.class})
final class NodeCommand {
    /** Given here it applies to the subcommand: {@code coop node --json ...}. */
    @Mixin
    private JsonOption json;

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Runs a validator in the foreground until Ctrl-C.",
                "",
                "Its keys and journal are in DIR/node (created on first run). It registers itself in the "
                    + "TeePool (on a devnet at once; elsewhere with --maintainer-key-file or $COOP_MAINTAINER_KEY, or "
                    + "prints what a maintainer needs), keeps its url there current, validates every job assigned to "
                    + "it with no call from the client, runs and proves the compute tasks assigned to it (TEE mode), "
                    + "and answers POST /RunProof, POST /proof, POST /query, POST /query/price, POST /task/price, "
                    + "GET /jobs/{id} and GET /health. After a crash it takes up its unfinished jobs and tasks from "
                    + "its journal and the chain."
            })
    static final class Run implements Callable<Integer> {
        @Mixin
        private DataDirOption dataDir;

        @Option(names = "--host", paramLabel = "HOST", description = "Address to serve the API on (default: 127.0.0.1).")
        private String host = "127.0.0.1";

        @Option(names = "--port", paramLabel = "PORT", description = "API port (default: a free one).")
        private int port;

        @Option(names = "--maintainer-key-file", paramLabel = "FILE",
                description = "File holding a key with the TeePool's maintainer role, to register this validator (default: $COOP_MAINTAINER_KEY; the devnet's own on a devnet).")
        private Path maintainerKeyFile;

        @Option(names = "--maintainer-key", paramLabel = "HEX",
                description = "The key itself; other users can read it in the process list, so prefer --maintainer-key-file.")
        private String maintainerKey;

        @Option(names = "--max-file-bytes", paramLabel = "BYTES", description = "Largest file it validates (default: 1 GiB).")
        private long maxFileBytes = JobSettings.DEFAULT.maxFileBytes();

        @Option(names = "--max-document-bytes", paramLabel = "BYTES",
                description = "Largest document the built-in program reads into memory (default: 16 MiB).")
        private long maxDocumentBytes = JobSettings.DEFAULT.maxDocumentBytes();

        @Option(names = "--job-timeout", paramLabel = "SECONDS", description = "Time a job may wait for the contributor's key (default: 600).")
        private long jobTimeoutSeconds = JobSettings.DEFAULT.jobTimeout().toSeconds();

        @Option(names = "--program-timeout", paramLabel = "SECONDS", description = "Time one program run may take (default: 120).")
        private long programTimeoutSeconds = JobSettings.DEFAULT.programTimeout().toSeconds();

        @Option(names = "--program-memory", paramLabel = "MIB",
                description = "Address space each process of a DataDAO's program may take, in MiB (default: 1024).")
        private long programMemoryMib = JobSettings.DEFAULT.programLimits().memoryBytes() >> 20;

        @Option(names = "--unsafe-no-sandbox",
                description = "Where bubblewrap is missing, run DataDAOs' programs anyway, unsandboxed: they can then read"
                        + " this validator's keys. Every attestation says sandbox 'none'. Without it such a validator runs"
                        + " only built-in programs.")
        private boolean unsafeNoSandbox;

        @Option(names = "--dishonest-op-step", paramLabel = "N", hidden = true,
                description = "For tests of OP disputes on the devnet only (refused on any other chain): corrupt this"
                        + " validator's OP traces from state N on, so it proposes wrong results and disputes right ones.")
        private Integer dishonestOpStep;

        private long programMemoryBytes() {
            if (programMemoryMib < 16 || programMemoryMib > (1L << 20)) {
                throw new IllegalArgumentException("--program-memory must be between 16 and 1048576 MiB, not " + programMemoryMib);
            }
            return programMemoryMib << 20;
        }

        @Mixin
        private JsonOption json;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (maxFileBytes < 1 || maxDocumentBytes < 1 || jobTimeoutSeconds < 1 || programTimeoutSeconds < 1) {
                throw new IllegalArgumentException(
                        "--max-file-bytes, --max-document-bytes, --job-timeout and --program-timeout must be positive");
            }
            Optional<String> maintainer = Secrets.of(spec).find(Secrets.Secret.MAINTAINER_KEY, maintainerKey, maintainerKeyFile);
            Path dir = dataDir.resolve();
            Deployment deployment = Deployment.readFrom(dir);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            JobSettings settings = JobSettings.DEFAULT.withMaxFileBytes(maxFileBytes).withMaxDocumentBytes(maxDocumentBytes)
                    .withTimeouts(Duration.ofSeconds(jobTimeoutSeconds), Duration.ofSeconds(programTimeoutSeconds))
                    .withProgramLimits(JobSettings.DEFAULT.programLimits().withMemoryBytes(programMemoryBytes()))
                    .withUnsafeNoSandbox(unsafeNoSandbox);
            if (dishonestOpStep != null) {
                settings = settings.withDishonestOpStep(dishonestOpStep);
            }
            if (maintainer.isEmpty() && deployment.devnet()) {
                maintainer = Optional.of(Anvil.DEV_ACCOUNT_KEY);
            }
            try (DataDirLock lock = DataDirLock.acquire(dir.resolve("node"), "validator")) {
                CountDownLatch stopped = new CountDownLatch(1);
                ValidatorService validator = ValidatorService.start(deployment, dir.resolve("node"), settings, host, port,
                        maintainer);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    validator.close();
                    stopped.countDown();
                }, "coop-node-shutdown"));
                if (json.on()) {
                    var body = Json.object();
                    body.put("validator", validator.address().value());
                    body.put("url", validator.url());
                    out.println(Json.write(body));
                } else {
                    out.println("validator " + validator.address());
                    out.println("validator-url " + validator.url());
                }
                out.flush();
                err.println("ready: validating jobs for the TeePool at " + deployment.address(Deployment.TEE_POOL)
                        + "; Ctrl-C stops");
                err.flush();
                stopped.await();
            }
            return 0;
        }
    }
}
