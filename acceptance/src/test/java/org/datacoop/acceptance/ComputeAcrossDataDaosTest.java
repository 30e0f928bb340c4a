package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ComputeChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.TaskReport;
import org.datacoop.chain.TaskSpec;
import org.datacoop.chain.Wallet;
import org.datacoop.compute.builtin.Builtin;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.query.Refiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * A compute task over two DataDAOs, the same contributors' days joined on owner and day: both
 * DataDAOs must allow the algorithm and trust the worker, both permissions are charged, and each
 * DataDAO and the protocol are paid their cut of their own permission's price.
 */
class ComputeAcrossDataDaosTest {
    private static final BigInteger PRICE_1 = BigInteger.TEN.pow(15);
    private static final BigInteger PRICE_2 = BigInteger.TEN.pow(15).multiply(BigInteger.valueOf(3));

    @TempDir
    Path dir;

    @Test
    void aTaskJoiningTwoDataDaosChargesBothAndIsProved() throws Exception {
        try (Devnet net = Devnet.start(dir, s -> s)) {
            DataCoopChain admin = new DataCoopChain(net.admin, net.deployment);
            QueryChain adminQueries = new QueryChain(net.admin, net.deployment);
            long dlp1 = net.deployment.sampleDlpId();
            Refiner refiner1 = adminQueries.refinersOf(dlp1).get(0);
            DataDao sample = admin.dataDao(dlp1);
            long dlp2 = admin.createDataDao("Walks", "Walk Token", "WLK", BigInteger.TEN.pow(24), BigInteger.TEN.pow(18),
                    Numeric.hexStringToByteArray(sample.programDigest()), sample.programUrl()).id();
            long refiner2 = adminQueries.addRefiner(dlp2, "daily steps", refiner1.schemaId(), refiner1.instructionUrl(),
                    Numeric.hexStringToByteArray(refiner1.instructionDigest()));
            adminQueries.addRefinementService(dlp2, net.validator.address());

            Wallet alice = net.fundedWallet();
            Wallet bob = net.fundedWallet();
            ComputeTasks.contribute(net, dir, dlp1, alice, 20, 0);
            ComputeTasks.contribute(net, dir, dlp1, bob, 20, 1);
            ComputeTasks.contribute(net, dir, dlp2, alice, 20, 2);
            ComputeTasks.contribute(net, dir, dlp2, bob, 20, 3);
            ComputeTasks.awaitRefined(adminQueries, refiner1.id(), 2);
            ComputeTasks.awaitRefined(adminQueries, refiner2, 2);

            Wallet builder = net.fundedWallet();
            List<Long> permissions = List.of(
                    adminQueries.addPermission(builder.address(), refiner1.id(), "daily_steps", "", PRICE_1, Address.ZERO).id(),
                    adminQueries.addPermission(builder.address(), refiner2, "daily_steps", "", PRICE_2, Address.ZERO).id());
            String digest = Builtin.LINEAR_REGRESSION.digest().toString();
            ComputeChain adminCompute = new ComputeChain(net.admin, net.deployment);
            adminCompute.allowAlgorithm(dlp1, digest);
            adminCompute.allowAlgorithm(dlp2, digest);

            String sql = "SELECT a.distance_km AS walked, b.steps AS stepped FROM daily_steps a JOIN dlp" + dlp2
                    + ".daily_steps b ON a.owner = b.owner AND a.day = b.day";
            String params = "{\"features\": [\"walked\"], \"label\": \"stepped\", \"epochs\": 3, \"seed\": 1}";
            TaskSpec spec = new TaskSpec(dlp1, sql, Builtin.LINEAR_REGRESSION.descriptor(), params, builder.publicKey(),
                    Optional.empty());
            Address treasury = net.admin.account(); // the protocol treasury and both DataDAOs' owner
            try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
                ComputeChain compute = new ComputeChain(connection, net.deployment);
                BigInteger treasuryBefore = compute.earnings(Address.ZERO, treasury);
                ComputeChain.Submitted submitted = ComputeTasks.submit(net, compute, builder, net.validator.address(),
                        new ComputeTasks.Task(dlp1, List.of(refiner1.id(), refiner2), permissions, digest, spec), sql);
                assertThat(submitted.dataPrice()).as("both permissions charged").isEqualTo(PRICE_1.add(PRICE_2));

                ComputeChain.Record record = ComputeTasks.await(compute, submitted.taskId());
                assertThat(record.status()).as(record.failureReason()).isEqualTo(ComputeChain.Status.VERIFIED);
                TaskReport.Decoded report = TaskReport.decode(compute.proof(submitted.taskId()).orElseThrow().report());
                assertThat(report.roots()).extracting(TaskReport.Root::refinerId).containsExactly(refiner1.id(), refiner2);
                assertThat(report.roots()).allSatisfy(root -> assertThat(root.totalRows()).isEqualTo(40));

                // The protocol's cut of each price and each DataDAO's cut of its own, as the QueryEngine's shares set them.
                QueryChain queries = new QueryChain(connection, net.deployment);
                BigInteger expected = cuts(queries.shares(dlp1), PRICE_1).add(cuts(queries.shares(dlp2), PRICE_2));
                assertThat(queries.shares(dlp1).treasury()).isEqualTo(treasury);
                assertThat(compute.earnings(Address.ZERO, treasury).subtract(treasuryBefore))
                        .as("the protocol's and both DataDAOs' cuts").isEqualTo(expected);
            }
        }
    }

    private static BigInteger cuts(QueryChain.Shares shares, BigInteger price) {
        BigInteger bps = BigInteger.valueOf(10_000);
        return price.multiply(BigInteger.valueOf(shares.protocolBps())).divide(bps)
                .add(price.multiply(BigInteger.valueOf(shares.dataDaoBps())).divide(bps));
    }
}
