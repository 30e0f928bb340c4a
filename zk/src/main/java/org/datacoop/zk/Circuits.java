package org.datacoop.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.datacoop.chain.devnet.Toolchain;

/**
 * The circuits of {@code circuits/}, reached through {@code node circuits/zk.js}: no Groth16 prover and
 * no Poseidon matching circomlib's is on Maven Central, and circomlibjs is the circuits' own reference
 * (zk.js says more). One node process serves every call of an instance, so that Poseidon's set-up
 * (about a second) is paid once; values never appear on a command line.
 */
public final class Circuits implements AutoCloseable {
    /** BN254's scalar field, in which the circuits compute. */
    public static final BigInteger FIELD =
            new BigInteger("21888242871839275222246405745257275088548364400416034343698204186575808495617");
    /** The aggregate circuits built, by the rows they hold; DataCommitments.circuitFor chooses the same. */
    public static final List<Integer> AGGREGATE_ROWS = List.of(8, 32);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path script;
    private Process server;
    private BufferedWriter input;
    private BufferedReader output;

    private Circuits(Path script) {
        this.script = script;
    }

    /** The circuits of the checkout {@code coop} runs from ({@code coop.home} or {@code COOP_HOME}). */
    public static Circuits discover() {
        return at(Toolchain.discover().home());
    }

    /** The circuits of the checkout at {@code home}; fails naming the fix when they are not built. */
    public static Circuits at(Path home) {
        Path script = home.resolve("circuits").resolve("zk.js");
        if (!Files.isRegularFile(script)) {
            throw new ZkException("no circuits at " + script.getParent() + ": is " + home + " a DataCoop checkout?");
        }
        return new Circuits(script);
    }

    /** Whether the circuits' keys are built (by {@code node circuits/build.js}, which {@code ./coop build} runs). */
    public boolean built() {
        return AGGREGATE_ROWS.stream().allMatch(rows -> Files.isRegularFile(
                script.resolveSibling("build").resolve("aggregate" + rows + ".zkey")));
    }

    /** The rows of the smallest aggregate circuit that holds {@code rows} values. */
    public static int circuitFor(int rows) {
        return AGGREGATE_ROWS.stream().filter(held -> rows <= held).findFirst().orElseThrow(() -> new ZkException(
                rows + " rows do not fit an aggregate circuit: the largest holds " + AGGREGATE_ROWS.getLast()));
    }

    /** A salt for a commitment: {@code secret} (e.g. 32 bytes from the enclave) reduced into the field. */
    public static BigInteger salt(byte[] secret) {
        return new BigInteger(1, secret).mod(FIELD);
    }

    /** A field element as the signed integer it stands for (elements above p/2 are negative). */
    public static BigInteger signed(BigInteger element) {
        return element.compareTo(FIELD.shiftRight(1)) > 0 ? element.subtract(FIELD) : element;
    }

    /** The salted Poseidon commitment to {@code values} (fixed-point integers) that the aggregate circuits open. */
    public BigInteger commitment(List<BigInteger> values, BigInteger salt) {
        ObjectNode request = request(values, salt);
        return new BigInteger(run("commit", request).path("commitment").asText());
    }

    /**
     * A proof, by the smallest aggregate circuit that holds them, of count, sum, and count and sum of the
     * values at least {@code threshold}, over {@code values} under their commitment with {@code salt}.
     */
    public AggregateProof proveAggregate(List<BigInteger> values, BigInteger salt, BigInteger threshold) {
        int rows = circuitFor(values.size());
        ObjectNode request = request(values, salt);
        request.put("circuit", "aggregate" + rows);
        request.put("threshold", threshold.toString());
        JsonNode calldata = run("prove", request).path("calldata");
        return new AggregateProof(rows, flatProof(calldata), elements(calldata.path("inputs")));
    }

    /** The rows the claim circuit holds: a claim is about a column of at most this many rows. */
    public static final int CLAIM_ROWS = 32;

    /**
     * A proof by the claim circuit that at least {@code minRows} of {@code values}, under their commitment
     * with {@code salt}, are at least {@code threshold}; it shows nothing else. A claim that does not hold
     * cannot be proved: that fails as {@link ClaimDoesNotHold}.
     */
    public ClaimProof proveClaim(List<BigInteger> values, BigInteger salt, BigInteger threshold, long minRows) {
        if (values.size() > CLAIM_ROWS) {
            throw new ZkException(values.size() + " rows do not fit the claim circuit, which holds at most " + CLAIM_ROWS);
        }
        long holding = values.stream().filter(v -> v.compareTo(threshold) >= 0).count();
        if (holding < minRows) {
            throw new ClaimDoesNotHold(holding, minRows);
        }
        ObjectNode request = request(values, salt);
        request.put("circuit", "claim" + CLAIM_ROWS);
        request.put("threshold", threshold.toString());
        request.put("minRows", Long.toString(minRows));
        JsonNode calldata = run("prove", request).path("calldata");
        return new ClaimProof(flatProof(calldata), elements(calldata.path("inputs")));
    }

    /** The rows do not hold the claim: it cannot be proved (and the circuit would refuse its witness). */
    public static final class ClaimDoesNotHold extends ZkException {
        ClaimDoesNotHold(long holding, long claimed) {
            super("the claim does not hold: fewer than " + claimed + " rows are at least the threshold");
        }
    }

    private static List<BigInteger> flatProof(JsonNode calldata) {
        List<BigInteger> proof = new ArrayList<>();
        calldata.path("a").forEach(x -> proof.add(element(x)));
        calldata.path("b").forEach(pair -> pair.forEach(x -> proof.add(element(x))));
        calldata.path("c").forEach(x -> proof.add(element(x)));
        return proof;
    }

    private static List<BigInteger> elements(JsonNode array) {
        List<BigInteger> elements = new ArrayList<>();
        array.forEach(x -> elements.add(element(x)));
        return elements;
    }

    private static ObjectNode request(List<BigInteger> values, BigInteger salt) {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode array = request.putArray("values");
        values.forEach(value -> array.add(value.toString()));
        request.put("salt", salt.toString());
        return request;
    }

    private static BigInteger element(JsonNode hex) {
        return new BigInteger(hex.asText().replaceFirst("^0x", ""), 16);
    }

    /**
     * One request to the served {@code zk.js}, started on first use and again after it died; calls are
     * serialized (a proof already takes both cores). A request that outlasts {@link #TIMEOUT} kills it.
     */
    private synchronized JsonNode run(String command, ObjectNode request) {
        if (server == null || !server.isAlive()) {
            start();
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("command", command);
        line.set("request", request);
        String answer;
        try {
            input.write(JSON.writeValueAsString(line));
            input.newLine();
            input.flush();
            answer = CompletableFuture.supplyAsync(this::readLine).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException e) {
            stop();
            throw new ZkException("circuits/zk.js stopped while it answered " + command
                    + " (is Node.js installed, and the checkout's npm packages?)", e);
        } catch (TimeoutException e) {
            stop();
            throw new ZkException("circuits/zk.js " + command + " did not finish within " + TIMEOUT.toMinutes()
                    + " minutes");
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new ZkException("interrupted while circuits/zk.js " + command + " ran", e);
        }
        try {
            JsonNode reply = JSON.readTree(answer);
            if (reply.has("error")) {
                throw new ZkException("circuits/zk.js " + command + " failed: " + reply.path("error").asText());
            }
            return reply.path("answer");
        } catch (IOException e) {
            throw new ZkException("circuits/zk.js " + command + " answered unreadably: " + e.getMessage(), e);
        }
    }

    private void start() {
        try {
            // Its standard error is discarded: errors come back as answers, and snarkjs's own chatter names no value.
            server = new ProcessBuilder("node", script.toString(), "serve")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new ZkException("cannot start node for the circuits (is Node.js installed?): " + e.getMessage(), e);
        }
        input = new BufferedWriter(new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8));
        output = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    }

    private String readLine() {
        try {
            String line = output.readLine();
            if (line == null) {
                throw new UncheckedIOException(new IOException("circuits/zk.js ended"));
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        if (server != null) {
            server.destroyForcibly();
            server = null;
        }
    }

    /** Ends the served zk.js, if it runs (it also ends by itself with this JVM, when its input closes). */
    @Override
    public synchronized void close() {
        stop();
    }
}
