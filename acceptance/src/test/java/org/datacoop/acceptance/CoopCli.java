package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.datacoop.acceptance.CoopProcess.as;
import static org.datacoop.acceptance.CoopProcess.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datacoop.chain.Wallet;

/** {@code coop} run as a user runs it, as one wallet or another, on a data dir pointing at a {@link Devnet}. */
final class CoopCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Devnet net;
    private final Path dataDir;

    private CoopCli(Devnet net, Path dataDir) {
        this.net = net;
        this.dataDir = dataDir;
    }

    /** A data dir {@code dir}/coop holding {@code net}'s deployment. */
    static CoopCli on(Devnet net, Path dir) throws IOException {
        Path dataDir = Files.createDirectories(dir.resolve("coop"));
        net.deployment.writeTo(dataDir);
        return new CoopCli(net, dataDir);
    }

    /** {@code coop ARGS} as {@code wallet} on the devnet's data dir, which must succeed and print JSON. */
    JsonNode ok(Wallet wallet, String... args) throws Exception {
        CoopProcess.Result result = run(as(wallet.privateKeyHex(), withDataDir(args)));
        assertThat(result.exit()).as(String.join(" ", args) + ": " + result.err()).isZero();
        return JSON.readTree(result.out());
    }

    /** {@code coop ARGS} must fail with one {@code coop:} line containing {@code why}, and send no transaction. */
    void refusedWithNothingSent(Wallet wallet, String why, String... args) throws Exception {
        BigInteger before = net.admin.balance(wallet.address());
        CoopProcess.Result result = run(as(wallet.privateKeyHex(), withDataDir(args)));
        assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(1);
        assertThat(result.err()).as(String.join(" ", args)).startsWith("coop: ").contains(why).doesNotContain("\tat ");
        assertThat(net.admin.balance(wallet.address())).as("no gas spent: nothing was sent").isEqualTo(before);
    }

    private String[] withDataDir(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", dataDir.toString()));
        return all.toArray(String[]::new);
    }
}
