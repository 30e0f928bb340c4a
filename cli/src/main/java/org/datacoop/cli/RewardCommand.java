package org.datacoop.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.datacoop.sdk.contribute.Contributor;
import org.datacoop.sdk.contribute.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coop reward FILE_ID}: claims the reward a file's proof earned. */
@Command(
        name = "reward",
        mixinStandardHelpOptions = true,
        description = {
            "Claims the reward of FILE_ID from the DataDAO that validated it, paid to the file's owner.",
            "",
            "Waits for the validation when it is still running. A reward paid before is shown, not paid "
                + "twice; a file that earns none says why (its proof's reason, or why validation failed)."
        })
final class RewardCommand extends SigningCommand {
    @Parameters(paramLabel = "FILE_ID", description = "The file whose reward to claim.")
    private long fileId;

    @Option(names = "--dlp", paramLabel = "ID", description = "The DataDAO (default: the one of the file's latest job).")
    private Long dlpId;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for an open job (default: 600).")
    private long timeoutSeconds = 600;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        PrintWriter out = out();
        Outcome outcome;
        try (Contributor contributor = contributor()) {
            outcome = contributor.reward(fileId, dlpId, Duration.ofSeconds(timeoutSeconds), new ProgressBar(err()));
        }
        if (asJson()) {
            out.println(Json.write(Outcomes.json(outcome)));
        } else {
            Outcomes.print(outcome, out);
        }
        return 0;
    }
}
