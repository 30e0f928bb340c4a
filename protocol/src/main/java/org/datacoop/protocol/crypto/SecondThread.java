package org.datacoop.protocol.crypto;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A thread that runs tasks one after another in the order given, for work that can overlap the
 * caller's: the MDC's SHA-1 and file writes each take about as long as the cipher. A buffer handed
 * to a task must not change until the task's {@link Future} is done.
 */
final class SecondThread implements AutoCloseable {
    /** Work that may fail with an {@link IOException}, rethrown by {@link #await(Future)}. */
    interface Task {
        void run() throws IOException;
    }

    private final ExecutorService thread;

    SecondThread(String name) {
        thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name).factory());
    }

    Future<?> submit(Task task) {
        return thread.submit(() -> {
            task.run();
            return null;
        });
    }

    /** Waits for a task, rethrowing its failure; {@code null} (no task yet) returns at once. */
    static void await(Future<?> task) throws IOException {
        if (task == null) {
            return;
        }
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CryptoException(CryptoException.Reason.IO, "interrupted", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Lets the tasks already given finish, then ends the thread. */
    @Override
    public void close() {
        thread.close();
    }
}
