package org.datacoop.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers a dispute's referee signatures for its one disputed step. The party that needs the decision
 * asks the DataDAO's other refinement services ({@code POST /referee/step} at their TeePool url), rather
 * than referees watching every game themselves: a referee then re-executes only the steps someone
 * disputes, the party pays the gas of {@code decide}, and a referee needs no chain writes nor funds.
 * Each answer's signature is checked here against the DisputeGame's digest before it counts.
 */
final class Referees {
    private static final Logger LOG = LoggerFactory.getLogger(Referees.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A referee re-executes the task before it answers: a training takes a while. */
    private static final Duration ANSWER = Duration.ofMinutes(3);

    /** A referee's signature of the state it reached from the agreed one. */
    record Signed(Address referee, String stateAfter, byte[] signature) {}

    private final ComputeChain compute;
    private final DataCoopChain chain;
    private final QueryChain queries;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Referees(ComputeChain compute, DataCoopChain chain, QueryChain queries) {
        this.compute = compute;
        this.chain = chain;
        this.queries = queries;
    }

    /**
     * The signatures of the state after the disputed step that at least {@code quorum} referees agree on,
     * asking them one after another until that many agree; empty when too few answer alike.
     */
    Optional<Map.Entry<String, List<byte[]>>> decision(String taskId, ComputeChain.Dispute dispute, Address worker,
            int quorum) {
        Map<String, List<byte[]>> byState = new LinkedHashMap<>();
        for (Address candidate : queries.refinementServices(dispute.dlpId())) {
            if (candidate.equals(worker) || candidate.equals(dispute.challenger())) {
                continue;
            }
            Optional<Validator> validator = chain.findValidator(candidate).filter(Validator::active);
            if (validator.isEmpty()) {
                continue;
            }
            Optional<Signed> signed = ask(validator.get(), taskId, dispute);
            if (signed.isEmpty()) {
                continue;
            }
            List<byte[]> alike = byState.computeIfAbsent(signed.get().stateAfter(), s -> new ArrayList<>());
            alike.add(signed.get().signature());
            if (alike.size() >= quorum) {
                return Optional.of(Map.entry(signed.get().stateAfter(), alike));
            }
        }
        LOG.info("[taskId:{}] referees answered {} for step {}; {} must agree", taskId, byState.keySet(), dispute.lo(), quorum);
        return Optional.empty();
    }

    /** One referee's signed answer, checked; empty (logged) when it refuses, fails or signs something else. */
    private Optional<Signed> ask(Validator referee, String taskId, ComputeChain.Dispute dispute) {
        String body = JSON.createObjectNode().put("task_id", taskId).put("step", dispute.lo()).toString();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(referee.url() + "/referee/step")).timeout(ANSWER)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            LOG.info("[taskId:{}] referee {} did not answer: {}", taskId, referee.address(), e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                LOG.info("[taskId:{}] referee {} refused ({}): {}", taskId, referee.address(), response.statusCode(),
                        answer.path("error").asText());
                return Optional.empty();
            }
            String after = answer.path("state_after").asText();
            byte[] signature = Hex.bytes(answer.path("signature").asText());
            byte[] digest = compute.refereeStepDigest(taskId, dispute.lo(), dispute.agreed(), after);
            Address signer = Wallet.addressOf(Wallet.signerPublicKeyOfDigest(digest, signature));
            if (!signer.equals(referee.address())) {
                LOG.warn("[taskId:{}] referee {}'s signature is {}'s; not counted", taskId, referee.address(), signer);
                return Optional.empty();
            }
            return Optional.of(new Signed(signer, after, signature));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("[taskId:{}] referee {} answered something else than a signed step: {}", taskId, referee.address(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
