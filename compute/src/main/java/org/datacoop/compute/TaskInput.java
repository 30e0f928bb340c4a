package org.datacoop.compute;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a task gives its algorithm.
 *
 * @param rows the task's selected rows as a Parquet file (as DuckDB's {@code COPY ... (FORMAT parquet)}
 *     writes it); their order does not matter, every algorithm sorts them first (see {@link org.datacoop.compute.data.Selection})
 * @param params the task's params, a JSON object (its bytes are what the task's params hash covers)
 * @param model a directory holding a model a training task wrote ({@code model.json}), for inference and evaluation
 */
public record TaskInput(Path rows, String params, Optional<Path> model) {
    public TaskInput {
        rows = rows.toAbsolutePath().normalize();
        if (!Files.isRegularFile(rows)) {
            throw new ComputeException(ComputeException.Reason.UNAVAILABLE, "the task's rows file " + rows + " does not exist");
        }
        if (params.isBlank()) {
            params = "{}";
        }
        model = model.map(dir -> dir.toAbsolutePath().normalize());
    }

    public static TaskInput of(Path rows, String params) {
        return new TaskInput(rows, params, Optional.empty());
    }

    public TaskInput withModel(Path modelDir) {
        return new TaskInput(rows, params, Optional.of(modelDir));
    }
}
