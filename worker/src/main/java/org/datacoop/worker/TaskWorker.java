package org.datacoop.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.datacoop.chain.BlockRange;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.node.NodeExtension;
import org.datacoop.node.api.NodeApi;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute worker of a validator: finds the tasks assigned to it from {@code TaskSubmitted} events,
 * journals each before moving past its block, and runs them one at a time ({@link TaskExecution}: a
 * task loads its rows and model into memory). An OP task's result, once proposed, is journaled
 * {@code PROPOSED} and watched at each poll until its window has passed, then finalized. On start it
 * takes up every task its journal has not ended, checking each against the chain, so a crash loses no
 * task, proves none twice and finalizes a proposed one. Every task ends proved, failed with its reason
 * on-chain, or expired for its requester to refund. A disputed OP result is played from its kept trace
 * ({@link DisputePlayer}) until the dispute ends.
 *
 * <p>The same extension makes the validator a challenger ({@link ChallengerWatch}, for the DataDAOs it
 * joined as one; {@code POST /challenge} has it check a result now) and a referee ({@code POST
 * /referee/step}, {@link RefereeEndpoint}).
 */
public final class TaskWorker implements NodeExtension {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final int MAX_FAULTS = 5;

    @Override
    public AutoCloseable start(Context context) {
        Deployment deployment = context.deployment();
        ComputeChain compute = new ComputeChain(context.connection(), deployment);
        String name = deployment.chainId() + "-" + deployment.address(Deployment.TASK_COORDINATOR).value();
        TaskJournal journal = new TaskJournal(context.dir().resolve("tasks").resolve(name));
        // A task may train for longer than a contribution's program runs: it gets the whole job timeout.
        Algorithms algorithms = new Algorithms(context.sandbox(), context.settings().programLimits(),
                context.settings().jobTimeout());
        TaskExecution execution = new TaskExecution(compute, context.chain(), context.enclave(), context.queries(),
                context.storage(), algorithms, journal, context.chainWrites(),
                new DishonestTraces(context.settings().dishonestOpStep()));
        QueryChain queries = new QueryChain(context.connection(), deployment);
        Address self = context.enclave().identity().address();
        DisputePlayer player = new DisputePlayer(compute, new Referees(compute, context.chain(), queries), self,
                context.chainWrites());
        context.api().addPost("/referee/step", new RefereeEndpoint(compute, queries, execution, context.enclave())::step);
        ChallengerWatch challenger = new ChallengerWatch(compute, queries, new TaskJournal(context.dir().resolve("challenges")
                .resolve(name)), execution, player, self, deployment.deploymentBlock(), context.chainWrites());
        Running running = new Running(compute, journal, execution, player, challenger, self, deployment.deploymentBlock());
        context.api().addPost("/challenge", running::challenge);
        running.start();
        return running;
    }

    private static final class Running implements AutoCloseable {
        private final ComputeChain compute;
        private final TaskJournal journal;
        private final TaskExecution execution;
        private final DisputePlayer player;
        private final ChallengerWatch challenger;
        private final Address self;
        private final long deploymentBlock;
        private final Map<String, Integer> faults = new ConcurrentHashMap<>();
        /** OP tasks proposed and not yet finalized, checked at every poll. */
        private final Set<String> proposed = ConcurrentHashMap.newKeySet();
        /** Other workers' OP results this node disputes, played at every poll. */
        private final Set<String> disputing = ConcurrentHashMap.newKeySet();
        private final ExecutorService runner = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("task-worker").daemon().factory());
        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("task-watcher").daemon().factory());

        Running(ComputeChain compute, TaskJournal journal, TaskExecution execution, DisputePlayer player,
                ChallengerWatch challenger, Address self, long deploymentBlock) {
            this.compute = compute;
            this.journal = journal;
            this.execution = execution;
            this.player = player;
            this.challenger = challenger;
            this.self = self;
            this.deploymentBlock = deploymentBlock;
        }

        void start() {
            for (TaskJournal.Entry entry : journal.unfinished()) {
                LOG.info("[taskId:{}] taking up again after a restart", entry.taskId());
                runner.execute(() -> run(entry.taskId()));
            }
            for (TaskJournal.Entry entry : challenger.unfinished()) {
                LOG.info("[taskId:{}] taking up the challenge again after a restart", entry.taskId());
                runner.execute(() -> check(entry.taskId()));
            }
            scheduler.scheduleWithFixedDelay(this::scan, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void scan() {
            for (String taskId : proposed) {
                try {
                    journal.trace(taskId).ifPresent(trace -> player.play(taskId, trace));
                    execution.finalizeIfDue(taskId).ifPresent(outcome -> {
                        proposed.remove(taskId);
                        ended(taskId, outcome);
                    });
                } catch (RuntimeException e) {
                    // Someone else may have finalized it or moved meanwhile: the next poll reads where it stands.
                    LOG.warn("[taskId:{}] playing or finalizing the OP result failed; trying again: {}", taskId, e.getMessage());
                }
            }
            for (String taskId : disputing) {
                try {
                    if (challenger.play(taskId)) {
                        disputing.remove(taskId);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("[taskId:{}] playing the dispute failed; trying again: {}", taskId, e.getMessage());
                }
            }
            try {
                for (String taskId : challenger.scan()) {
                    runner.execute(() -> check(taskId));
                }
            } catch (RuntimeException e) {
                LOG.warn("scanning for OP results to check failed; trying again: {}", e.getMessage());
            }
            try {
                long head = compute.blockNumber();
                long from = Math.max(journal.nextBlock(), deploymentBlock);
                for (BlockRange range : BlockRange.split(from, head, BlockRange.MAX_BLOCKS)) {
                    for (String taskId : compute.tasksAssignedTo(self, range.from(), range.to())) {
                        if (journal.find(taskId).isEmpty()) {
                            journal.save(new TaskJournal.Entry(taskId, TaskJournal.State.QUEUED, ""));
                            LOG.info("[taskId:{}] assigned to this worker", taskId);
                            runner.execute(() -> run(taskId));
                        }
                    }
                    journal.setNextBlock(range.to() + 1);
                }
            } catch (RuntimeException e) {
                LOG.warn("scanning for compute tasks failed; trying again: {}", e.getMessage());
            }
        }

        private void run(String taskId) {
            try {
                ended(taskId, execution.run(taskId));
            } catch (TaskExecution.Refused refused) {
                LOG.info("[taskId:{}] refused: {}", taskId, refused.getMessage());
                failOnChain(taskId, refused.getMessage());
            } catch (ChainException | StorageException e) {
                retryLater(taskId, e.getMessage());
            } catch (RuntimeException e) {
                // The kind only: a message could quote the task's rows.
                retryLater(taskId, e.getClass().getSimpleName());
            }
        }

        /**
         * {@code POST /challenge} {@code {"task_id": "0x…"}}: checks another worker's OP result now, as this
         * validator's scan would have had it been a challenger then ({@code checking}: {@code coop task show}
         * follows it); a task checked before is answered with how its check stands and why.
         */
        NodeApi.Response challenge(JsonNode request) {
            String taskId = RefereeEndpoint.knownTaskId(request, compute);
            Optional<TaskJournal.Entry> taken = challenger.take(taskId);
            if (taken.isEmpty()) {
                runner.execute(() -> check(taskId));
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("task_id", taskId)
                    .put("state", taken.map(e -> e.state().name()).orElse("CHECKING").toLowerCase(Locale.ROOT))
                    .put("reason", taken.map(TaskJournal.Entry::reason).orElse(""));
            return new NodeApi.Response(200, body);
        }

        /** Re-executes another worker's OP result as a challenger; one it disputes is played from then on. */
        private void check(String taskId) {
            try {
                TaskJournal.State state = challenger.check(taskId);
                if (state == TaskJournal.State.DISPUTING) {
                    disputing.add(taskId);
                } else if (state == TaskJournal.State.CHECKING && !scheduler.isShutdown()) {
                    // Its trace is kept: checking again costs two chain reads, not a re-execution.
                    scheduler.schedule(() -> runner.execute(() -> check(taskId)), RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (TaskExecution.Refused refused) {
                LOG.warn("[taskId:{}] cannot re-execute as a challenger: {}", taskId, refused.getMessage());
                challenger.giveUp(taskId, refused.getMessage());
            } catch (RuntimeException e) {
                // The kind only, as for a task: a message could quote its rows. A fault that may pass is tried
                // again while the window may still be open; one that keeps coming ends the check.
                int count = faults.merge(taskId, 1, Integer::sum);
                if (count >= MAX_FAULTS) {
                    faults.remove(taskId);
                    challenger.giveUp(taskId, "re-executing failed " + count + " times: " + e.getClass().getSimpleName());
                    return;
                }
                LOG.warn("[taskId:{}] re-executing as a challenger failed ({}); trying again in {} s", taskId,
                        e.getClass().getSimpleName(), RETRY.toSeconds());
                if (!scheduler.isShutdown()) {
                    scheduler.schedule(() -> runner.execute(() -> check(taskId)), RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            faults.remove(taskId);
        }

        private void ended(String taskId, TaskExecution.Outcome outcome) {
            switch (outcome) {
                case PROVED, ALREADY_PROVED -> end(taskId, TaskJournal.State.PROVED, "");
                case ALREADY_FAILED -> end(taskId, TaskJournal.State.FAILED, compute.record(taskId).failureReason());
                case EXPIRED -> end(taskId, TaskJournal.State.EXPIRED, "not proved by its deadline");
                case PROPOSED -> {
                    end(taskId, TaskJournal.State.PROPOSED, "");
                    proposed.add(taskId);
                }
            }
        }

        private void failOnChain(String taskId, String reason) {
            try {
                execution.fail(taskId, reason);
                end(taskId, TaskJournal.State.FAILED, reason);
            } catch (ChainException e) {
                retryLater(taskId, e.getMessage());
            }
        }

        /** A fault that may pass (the chain or storage unreachable); a task that keeps failing is failed on-chain. */
        private void retryLater(String taskId, String why) {
            int count = faults.merge(taskId, 1, Integer::sum);
            if (count >= MAX_FAULTS) {
                LOG.warn("[taskId:{}] failed {} times; giving up: {}", taskId, count, why);
                faults.remove(taskId);
                failOnChain(taskId, "the worker could not run the task: " + why);
                return;
            }
            LOG.warn("[taskId:{}] failed ({}); trying again in {} s", taskId, why, RETRY.toSeconds());
            if (!scheduler.isShutdown()) {
                scheduler.schedule(() -> runner.execute(() -> run(taskId)), RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void end(String taskId, TaskJournal.State state, String reason) {
            faults.remove(taskId);
            journal.save(new TaskJournal.Entry(taskId, state, reason));
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
            runner.shutdownNow();
            try {
                runner.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
