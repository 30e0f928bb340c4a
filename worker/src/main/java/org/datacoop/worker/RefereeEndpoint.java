package org.datacoop.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.compute.trace.Trace;
import org.datacoop.node.api.NodeApi;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.job.ValidatorNode.RequestRefused;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /referee/step} {@code {"task_id": "0x…", "step": 3}}: this validator as a referee of an OP
 * dispute's one disputed step. It reads the step from the chain (the caller only names the task, and
 * may name the step it expects), re-executes the task in its enclave as a challenger would
 * ({@link TaskExecution#reexecute}, once per task), and when its own state at the step is the agreed one
 * signs the EIP-712 {@code RefereeStep} from it to its state after the step. It answers only while the
 * dispute is deciding that step, only as a refinement service of the dispute's DataDAO, and never as a
 * party. The answer: {@code task_id}, {@code step}, {@code referee}, {@code state_before},
 * {@code state_after}, {@code signature}.
 */
final class RefereeEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RefereeEndpoint.class);

    private final ComputeChain compute;
    private final QueryChain queries;
    private final TaskExecution execution;
    private final Enclave enclave;
    /** Each disputed task's trace as re-executed here: a trace depends on the task alone. */
    private final Map<String, Trace> traces = new ConcurrentHashMap<>();

    RefereeEndpoint(ComputeChain compute, QueryChain queries, TaskExecution execution, Enclave enclave) {
        this.compute = compute;
        this.queries = queries;
        this.execution = execution;
        this.enclave = enclave;
    }

    /** The request's {@code task_id}, a task the chain knows, in lowercase; refused by name otherwise. */
    static String knownTaskId(JsonNode request, ComputeChain compute) {
        JsonNode id = request.get("task_id");
        if (id == null || !id.isTextual() || !id.asText().matches("0x[0-9a-fA-F]{64}")) {
            throw new RequestRefused(400, "task_id must be a task id, 0x and 64 hex digits, not " + id);
        }
        String taskId = id.asText().toLowerCase(Locale.ROOT);
        if (compute.record(taskId).status() == ComputeChain.Status.NONE) {
            throw new RequestRefused(404, "there is no task " + taskId);
        }
        return taskId;
    }

    NodeApi.Response step(JsonNode request) {
        JsonNode step = request.get("step");
        if (step != null && !(step.canConvertToExactIntegral() && step.canConvertToLong() && step.asLong() >= 0)) {
            throw new RequestRefused(400, "step must be a step number (0 or more), not " + step);
        }
        String taskId = knownTaskId(request, compute);
        ComputeChain.Proposal proposal = compute.proposal(taskId).orElseThrow(() -> new RequestRefused(409, "task "
                + taskId + " has no OP result, so no dispute to referee"));
        if (step != null && step.asLong() >= proposal.traceLength()) {
            throw new RequestRefused(400, "step " + step.asLong() + " is out of range: task " + taskId + "'s trace has "
                    + proposal.traceLength() + " steps, 0 to " + (proposal.traceLength() - 1));
        }
        ComputeChain.Dispute dispute = compute.dispute(taskId).filter(d -> d.phase() == ComputeChain.DisputePhase.STEP)
                .orElseThrow(() -> new RequestRefused(409, "task " + taskId + "'s dispute is not deciding a step (it is "
                        + compute.dispute(taskId).map(d -> d.phase().toString()).orElse("not disputed") + ")"));
        if (step != null && step.asLong() != dispute.lo()) {
            throw new RequestRefused(409, "step " + step.asLong() + " is not the disputed one: task " + taskId
                    + "'s dispute decides step " + dispute.lo());
        }
        Address self = enclave.identity().address();
        if (self.equals(proposal.worker()) || self.equals(dispute.challenger())) {
            throw new RequestRefused(403, "this validator " + self + " is a party to task " + taskId
                    + "'s dispute and cannot referee it");
        }
        if (!queries.isRefinementService(dispute.dlpId(), self)) {
            throw new RequestRefused(403, "this validator " + self + " is not a refinement service of DataDAO "
                    + dispute.dlpId() + ", whose data the disputed step reads");
        }
        Trace mine;
        try {
            mine = traces.computeIfAbsent(taskId, execution::reexecute);
        } catch (TaskExecution.Refused e) {
            throw new RequestRefused(422, "this referee cannot re-execute task " + taskId + ": " + e.getMessage());
        }
        String before = Bisection.state(mine, dispute.lo());
        if (!before.equalsIgnoreCase(dispute.agreed())) {
            throw new RequestRefused(409, "this referee reaches " + before + " at step " + dispute.lo() + ", not the agreed "
                    + dispute.agreed() + ": it vouches for no step from a state it does not reach");
        }
        String after = Bisection.state(mine, dispute.lo() + 1);
        byte[] signature = enclave.identity().signDigest(compute.refereeStepDigest(taskId, dispute.lo(), before, after));
        LOG.info("[taskId:{}] refereed step {}: {} -> {}", taskId, dispute.lo(), before, after);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("task_id", taskId);
        body.put("step", dispute.lo());
        body.put("referee", self.value());
        body.put("state_before", before);
        body.put("state_after", after);
        body.put("signature", Hex.prefixed(signature));
        return new NodeApi.Response(200, body);
    }
}
