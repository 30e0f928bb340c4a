package org.datacoop.node.refine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.QueryChain;
import org.datacoop.node.enclave.Archives;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.enclave.Workspace;
import org.datacoop.node.program.ExternalProgram;
import org.datacoop.node.program.ProgramException;
import org.datacoop.node.program.ProgramLoader;
import org.datacoop.node.program.ProgramRun;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.crypto.KeyWrapping;
import org.datacoop.protocol.crypto.PasswordEncryption;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.protocol.query.Schema;
import org.datacoop.query.QueryException;
import org.datacoop.query.TableSchema;
import org.datacoop.query.refine.DeclarativeRefiner;
import org.datacoop.query.refine.RefinedWriter;
import org.datacoop.query.refine.RefinerDefinition;
import org.datacoop.query.refine.SchemaDefinition;
import org.datacoop.storage.HttpBlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node as a DataDAO's refinement service: after a proof, it runs each of the DataDAO's refiners
 * on the decrypted file still in the job's workspace, checks the output against the refiner's
 * on-chain schema, writes Parquet (every row stamped with the file id and owner), zips and encrypts
 * it under a fresh password wrapped to the enclave's own key, stores it, and registers it with
 * {@code addRefinementWithPermission}; then commits to its numeric columns ({@link ColumnCommitter}), also
 * for a refinement registered before a restart cut that short.
 */
public final class Refinery {
    private static final Logger LOG = LoggerFactory.getLogger(Refinery.class);
    private static final long MAX_ROWS_PER_FILE = 10_000_000;
    /** The largest refined output of one file, zipped Parquet: query services load no bigger one. */
    public static final long MAX_REFINED_BYTES = 64L << 20;
    private static final Duration EXTERNAL_TIMEOUT = Duration.ofMinutes(2);

    private final QueryChain queries;
    private final Enclave enclave;
    private final HttpBlobStore storage;
    private final ProgramLoader programs;
    private final Optional<ColumnCommitter> committer;
    private final Function<Address, Optional<byte[]>> serviceKeys;
    private final Map<Long, Loaded> refiners = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A refiner's program, checked against its pinned digest, and its schema's tables. */
    public record Loaded(Refiner refiner, List<TableSchema> tables, RefinerDefinition declarative, ExternalProgram external) {}

    /**
     * @param serviceKeys the secp256k1 public key of an active validator, by address: the DataDAO's other
     *     refinement services get each refinement's key wrapped to theirs
     */
    public Refinery(QueryChain queries, Enclave enclave, HttpBlobStore storage, ProgramLoader programs,
            Optional<ColumnCommitter> committer, Function<Address, Optional<byte[]>> serviceKeys) {
        this.queries = queries;
        this.enclave = enclave;
        this.storage = storage;
        this.programs = programs;
        this.committer = committer;
        this.serviceKeys = serviceKeys;
    }

    /** The refiners of {@code dlpId} this node should run: all of them when it is one of its services, else none. */
    public List<Refiner> refinersFor(long dlpId) {
        if (!queries.isRefinementService(dlpId, enclave.identity().address())) {
            return List.of();
        }
        return queries.refinersOf(dlpId);
    }

    /** Whether a refiner of {@code dlpId} this node runs has not refined (or committed to) {@code fileId} yet. */
    public boolean lacksRefinement(long fileId, long dlpId) {
        return refinersFor(dlpId).stream().anyMatch(refiner -> queries.refinement(fileId, refiner.id()).isEmpty()
                || lacksCommitments(fileId, refiner.id()));
    }

    private boolean lacksCommitments(long fileId, long refinerId) {
        return committer.isPresent() && !committer.get().isCommitted(fileId, refinerId);
    }

    /**
     * Refines the decrypted file in {@code workspace}'s input dir with every refiner of its DataDAO
     * that has not refined it yet. A refiner that fails is logged and skipped: the proof stands.
     *
     * @return how many refinements were registered
     */
    public int refine(long jobId, long fileId, long dlpId, Address owner, Workspace workspace) {
        int registered = 0;
        for (Refiner refiner : refinersFor(dlpId)) {
            boolean refined = queries.refinement(fileId, refiner.id()).isPresent();
            if (refined && !lacksCommitments(fileId, refiner.id())) {
                continue;
            }
            try {
                refineOne(jobId, fileId, owner, load(refiner), workspace, !refined);
                registered += refined ? 0 : 1;
            } catch (ChainException e) {
                if (e.isUnreachable()) {
                    throw e;
                }
                LOG.warn("[jobId:{} fileId:{}] the chain refused refiner {}'s output: {}", jobId, fileId, refiner.id(),
                        e.getMessage());
            } catch (RuntimeException e) {
                // The kind only: a refiner's message may quote the data it read. The other refiners still run.
                LOG.warn("[jobId:{} fileId:{}] refiner {} failed: {}", jobId, fileId, refiner.id(), switch (e) {
                    case QueryException q -> q.code().toString();
                    case ProgramException p -> p.reason().toString();
                    default -> e.getClass().getSimpleName();
                });
            }
        }
        return registered;
    }

    /** Refines into the workspace; registers the output when {@code register}, then commits to it. */
    private void refineOne(long jobId, long fileId, Address owner, Loaded loaded, Workspace workspace, boolean register) {
        long refinerId = loaded.refiner().id();
        Path raw = workspace.file("refiner-" + refinerId + "-raw");
        Path out = workspace.file("refiner-" + refinerId + "-out");
        try {
            Files.createDirectories(raw);
            Files.createDirectories(out);
            if (loaded.declarative() != null) {
                try (Stream<Path> inputs = Files.list(workspace.inputDir())) {
                    DeclarativeRefiner.refine(loaded.declarative(), inputs.sorted().toList(), raw);
                }
            } else {
                loaded.external().runForOutput(new ProgramRun(jobId, fileId,
                        loaded.refiner().dlpId(), owner, "", workspace.inputDir(), raw, Map.of(), EXTERNAL_TIMEOUT));
            }
            RefinedWriter.Written written = RefinedWriter.write(loaded.tables(), raw, fileId, owner, out, MAX_ROWS_PER_FILE);
            if (register) {
                register(jobId, fileId, refinerId, written, out, workspace);
            }
            if (committer.isPresent()) {
                String tx = committer.get().commit(fileId, refinerId, loaded.tables(), out);
                LOG.info("[jobId:{} fileId:{}] refiner {}'s columns committed in {}", jobId, fileId, refinerId, tx);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot refine file " + fileId + " in the workspace", e);
        }
    }

    private void register(long jobId, long fileId, long refinerId, RefinedWriter.Written written, Path out,
            Workspace workspace) throws IOException {
        Path zip = workspace.file("refiner-" + refinerId + ".zip");
        zip(out, zip);
        if (Files.size(zip) > MAX_REFINED_BYTES) {
            throw new QueryException(QueryException.Code.BAD_INPUT, "the refined output is over "
                    + (MAX_REFINED_BYTES >> 20) + " MiB");
        }
        char[] password = HexFormat.of().formatHex(randomBytes()).toCharArray();
        Path encrypted = workspace.file("refiner-" + refinerId + ".pgp");
        new PasswordEncryption().encryptFile(zip, encrypted, password);
        String url;
        try (var in = Files.newInputStream(encrypted)) {
            url = storage.urlOf(storage.put(in));
        }
        byte[] key = HexFormat.of().parseHex(new KeyWrapping().wrapEcies(
                new String(password).getBytes(StandardCharsets.UTF_8), enclave.identity().publicKey()));
        // No lock: the connection numbers parallel transactions itself, and the receipt is awaited unlocked.
        String tx = queries.addRefinement(fileId, refinerId, url, enclave.identity().address(), key);
        LOG.info("[jobId:{} fileId:{}] refiner {} wrote {} rows; registered in {}", jobId, fileId, refinerId,
                written.rows(), tx);
        share(jobId, fileId, refinerId, password);
        Arrays.fill(password, '\0');
    }

    /**
     * Wraps the refinement's password to every other active refinement service of the DataDAO, so any
     * of its enclaves can re-execute a task over the file: an optimistic task's challengers and referees
     * must run the worker's selection themselves rather than trust rows the worker hands them. One that
     * cannot be shared is logged: the refinement stands and the others are still shared.
     */
    private void share(long jobId, long fileId, long refinerId, char[] password) {
        Address self = enclave.identity().address();
        for (Address service : queries.refinementServices(queries.refiner(refinerId).dlpId())) {
            if (service.equals(self)) {
                continue;
            }
            Optional<byte[]> publicKey = serviceKeys.apply(service);
            if (publicKey.isEmpty()) {
                LOG.info("[jobId:{} fileId:{}] refinement service {} is not an active validator; not shared", jobId, fileId,
                        service);
                continue;
            }
            try {
                queries.shareRefinement(fileId, refinerId, service, HexFormat.of().parseHex(new KeyWrapping().wrapEcies(
                        new String(password).getBytes(StandardCharsets.UTF_8), publicKey.get())));
            } catch (ChainException e) {
                if (e.isUnreachable()) {
                    throw e;
                }
                LOG.warn("[jobId:{} fileId:{}] refiner {}'s output not shared with {}: {}", jobId, fileId, refinerId, service,
                        e.getMessage());
            }
        }
    }

    /**
     * Fetches file {@code fileId}'s refinement by refiner {@code refinerId}, opens it with {@code key} (its
     * password wrapped to this enclave) and unpacks its tables (TABLE.parquet) into {@code dir}/tables.
     *
     * @return the tables' directory
     */
    public Path openRefined(long fileId, long refinerId, byte[] key, Path dir) throws IOException {
        String url = queries.refinement(fileId, refinerId).orElseThrow(() -> new QueryException(
                QueryException.Code.UNKNOWN_NAME, "file " + fileId + " has no refinement by refiner " + refinerId));
        Path encrypted = dir.resolve("refined.pgp");
        Path zip = dir.resolve("refined.zip");
        Files.write(encrypted, ProgramLoader.fetch(url));
        char[] password = new String(enclave.unwrap(key), StandardCharsets.UTF_8).toCharArray();
        try {
            new PasswordEncryption().decryptFile(encrypted, zip, password, MAX_REFINED_BYTES);
        } finally {
            Arrays.fill(password, '\0');
        }
        Path tables = Files.createDirectory(dir.resolve("tables"));
        Archives.extract(zip, tables, MAX_REFINED_BYTES * 8, 1000);
        return tables;
    }

    /** Refiner {@code refiner}'s program and tables, fetched and checked once. */
    public Loaded load(Refiner refiner) {
        Loaded known = refiners.get(refiner.id());
        if (known != null) {
            return known;
        }
        Schema schema = queries.schema(refiner.schemaId());
        SchemaDefinition definition = SchemaDefinition.parse(ProgramLoader.fetchPinned(schema.definitionUrl(), schema.definitionDigest(),
                "the definition of schema " + schema.id()));
        byte[] program = ProgramLoader.fetchPinned(refiner.instructionUrl(), refiner.instructionDigest(), "refiner " + refiner.id());
        Loaded loaded;
        if (program.length > 0 && program[0] == '{') {
            RefinerDefinition declarative = RefinerDefinition.parse(program);
            definition.requireMatches(declarative);
            loaded = new Loaded(refiner, definition.tables(), declarative, null);
        } else {
            loaded = new Loaded(refiner, definition.tables(), null,
                    programs.external(refiner.instructionUrl(), refiner.instructionDigest(), "refiner " + refiner.id()));
        }
        refiners.put(refiner.id(), loaded);
        return loaded;
    }

    private static void zip(Path dir, Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(file);
                Stream<Path> tables = Files.list(dir)) {
            for (Path table : tables.sorted().toList()) {
                zip.putNextEntry(new ZipEntry(table.getFileName().toString()));
                Files.copy(table, zip);
                zip.closeEntry();
            }
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }
}
