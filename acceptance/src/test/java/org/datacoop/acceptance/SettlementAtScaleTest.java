package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.QueryRequestDigest;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.ReadsDocument;
import org.datacoop.chain.VanaMoksha;
import org.datacoop.chain.Wallet;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.query.QueryPermission;
import org.datacoop.protocol.query.QueryRequest;
import org.datacoop.protocol.query.RowsRead;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import okhttp3.OkHttpClient;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * A paid query over 10,000 refined files of four contributors, with different row counts, settled
 * on a real devnet in one transaction, and each contributor's claim paying exactly its share. The
 * files are registered, proved and refined through the real contracts, in bulk: anvil mines each
 * batch of transactions in one block, sent unsigned from accounts it impersonates (the TeePool's
 * proofs too, since a proof is the TeePool's call and a validation job per file would take many
 * minutes).
 */
class SettlementAtScaleTest {
    private static final int CONTRIBUTORS = 4;
    private static final int FILES_PER_CONTRIBUTOR = 2_500;
    private static final int BATCH = 200;
    private static final BigInteger PRICE = BigInteger.TEN.pow(17); // 0.1 ETH

    @TempDir
    static Path dir;

    private static Devnet net;
    private static HttpService rpc;
    private static Web3j web3j;

    @BeforeAll
    static void start() {
        net = Devnet.start(dir, settings -> settings);
        rpc = new HttpService(net.anvil.rpcUrl(),
                new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(2)).build()); // a batch of 200 transactions
        web3j = Web3j.build(rpc);
    }

    @AfterAll
    static void stop() {
        if (web3j != null) {
            web3j.shutdown();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aQueryOverTenThousandFilesSettlesInOneTransactionAndEachContributorClaimsExactlyItsShare() throws Exception {
        long dlpId = net.dataDaoWithScript("print('scale')");
        Wallet service = net.fundedWallet();
        QueryChain admin = new QueryChain(net.admin, net.deployment);
        byte[] digest = Hash.sha3("scale".getBytes(StandardCharsets.UTF_8));
        long schemaId = admin.addSchema("Scale", "sqlite", "http://example.org/schema", digest);
        long refinerId = admin.addRefiner(dlpId, "Scale", schemaId, "http://example.org/refiner", digest);
        admin.addRefinementService(dlpId, service.address());
        QueryPermission permission = admin.addPermission(Address.ZERO, refinerId, "", "", PRICE, Address.ZERO);

        List<Wallet> contributors = new ArrayList<>();
        for (int k = 0; k < CONTRIBUTORS; k++) {
            contributors.add(net.fundedWallet());
        }
        SortedMap<Long, Long> rowsByFile = registerRefinedFiles(dlpId, refinerId, service.address(), contributors);
        assertThat(rowsByFile).hasSize(CONTRIBUTORS * FILES_PER_CONTRIBUTOR);

        // The builder signs the query; the service publishes its 10,000 leaves and settles one root.
        Wallet builder = net.fundedWallet();
        RowsRead reads = new RowsRead(refinerId, rowsByFile);
        QueryChain.Settlement settlement;
        String queryId;
        try (ChainConnection asBuilder = ChainConnection.open(net.anvil.rpcUrl(), builder);
                ChainConnection asService = ChainConnection.open(net.anvil.rpcUrl(), service)) {
            QueryChain builderQueries = new QueryChain(asBuilder, net.deployment);
            builderQueries.deposit(Address.ZERO, PRICE);
            QueryRequest request = new QueryRequest(builder.address(), service.address(),
                    QueryRequestDigest.sqlHash(dlpId, "SELECT count(*) FROM scale"), Address.ZERO, PRICE, BigInteger.ONE,
                    new DataCoopChain(asBuilder, net.deployment).latestBlockSeconds() + 3600);
            byte[] signature = builder.signDigest(builderQueries.queryDigest(request));
            QueryChain serviceQueries = new QueryChain(asService, net.deployment);
            queryId = serviceQueries.queryId(request);
            byte[] document = new ReadsDocument(queryId, List.of(reads)).toJson();
            String leavesUrl = net.storage.urlOf(net.storage.put(new ByteArrayInputStream(document)));
            settlement = serviceQueries.settleQuery(request, signature, List.of(permission.id()), List.of(reads), leavesUrl);
            assertThat(settlement.queryId()).isEqualTo(queryId);
            assertThat(builderQueries.deposits(Address.ZERO, builder.address())).isZero();
        }
        BigInteger settleGas = web3j.ethGetTransactionReceipt(settlement.txHash()).send().getTransactionReceipt()
                .orElseThrow().getGasUsed();
        System.out.println("settleQuery over " + rowsByFile.size() + " files: " + settleGas + " gas");
        assertThat(settleGas).isLessThan(BigInteger.valueOf(1_000_000));

        QueryChain.Commitment commitment = admin.commitments(0).stream()
                .filter(c -> c.queryId().equals(queryId)).findFirst().orElseThrow();
        BigInteger cut = commitment.contributorsCut();
        QueryChain.Shares shares = admin.shares(dlpId);
        BigInteger protocolCut = PRICE.multiply(BigInteger.valueOf(shares.protocolBps())).divide(BigInteger.valueOf(10_000));
        BigInteger daoCut = PRICE.multiply(BigInteger.valueOf(shares.dataDaoBps())).divide(BigInteger.valueOf(10_000));
        assertThat(cut).isEqualTo(PRICE.subtract(protocolCut).subtract(daoCut));
        BigInteger total = BigInteger.valueOf(reads.totalRows());
        assertThat(commitment.totalRows()).isEqualTo(reads.totalRows());

        // Each contributor finds its leaves through the published document and claims them itself.
        Address daoOwner = net.admin.account();
        BigInteger daoBefore = admin.earnings(Address.ZERO, daoOwner);
        BigInteger paid = BigInteger.ZERO;
        Map<Address, BigInteger> expected = new HashMap<>();
        for (Wallet contributor : contributors) {
            BigInteger share = BigInteger.ZERO;
            for (ContributedFile file : net.chain.filesOf(contributor.address())) {
                share = share.add(cut.multiply(BigInteger.valueOf(rowsByFile.get(file.id()))).divide(total));
            }
            expected.put(contributor.address(), share);
        }
        assertThat(new java.util.HashSet<>(expected.values())).hasSize(CONTRIBUTORS); // different rows, different shares
        for (Wallet contributor : contributors) {
            try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), contributor)) {
                QueryChain queries = new QueryChain(connection, net.deployment);
                ReadsClaims claims = new ReadsClaims(new DataCoopChain(connection, net.deployment), queries,
                        new DatChain(connection, net.deployment), HttpBlobStore::fetchBytes);
                ReadsClaims.Found found = claims.find(contributor.address(), Address.ZERO);
                assertThat(found.problems()).isEmpty();
                assertThat(found.leaves()).isEqualTo(FILES_PER_CONTRIBUTOR);
                assertThat(found.amount()).isEqualTo(expected.get(contributor.address()));
                claims.claim(found.pending());
                assertThat(claims.find(contributor.address(), Address.ZERO).pending()).isEmpty();

                BigInteger engineBefore = connection.balance(queries.queryEngine());
                BigInteger amount = queries.claim(Address.ZERO).amount();
                assertThat(amount).isEqualTo(expected.get(contributor.address()));
                assertThat(connection.balance(queries.queryEngine())).isEqualTo(engineBefore.subtract(amount));
                paid = paid.add(amount);
            }
        }
        // What flooring each of the 10,000 shares left went to the DataDAO's owner with the last claim.
        BigInteger dust = cut.subtract(paid);
        assertThat(dust.signum()).isGreaterThanOrEqualTo(0);
        assertThat(dust).isLessThan(BigInteger.valueOf(rowsByFile.size()));
        assertThat(admin.earnings(Address.ZERO, daoOwner).subtract(daoBefore)).isEqualTo(dust);
    }

    /**
     * {@link #FILES_PER_CONTRIBUTOR} files per contributor, each validated for {@code dlpId} and refined
     * by {@code refinerId}; contributor k's files have 1 + (k + i) % (k + 2) rows, so each has its own total.
     */
    private static SortedMap<Long, Long> registerRefinedFiles(long dlpId, long refinerId, Address service,
            List<Wallet> contributors) throws IOException {
        Deployment deployment = net.deployment;
        String registry = deployment.address(Deployment.DATA_REGISTRY).value();
        String teePool = deployment.address(Deployment.TEE_POOL).value();
        // Only encodes calls: they are sent unsigned, from accounts anvil impersonates.
        DataRegistry encoder = DataRegistry.load(registry, web3j, new ReadonlyTransactionManager(web3j, teePool),
                new DefaultGasProvider());
        // anvil holds back a sender's transactions once their gas limits exceed its balance.
        List<String> senders = new ArrayList<>(List.of(teePool, service.value()));
        contributors.forEach(c -> senders.add(c.address().value()));
        for (String sender : senders) {
            call("anvil_impersonateAccount", sender);
            call("anvil_setBalance", sender, "0x" + BigInteger.TEN.pow(24).toString(16));
        }
        call("evm_setBlockGasLimit", "0x" + BigInteger.TEN.pow(12).toString(16));
        // Mined one transaction a block as they arrive, the batches' out-of-order nonces stall anvil.
        call("evm_setAutomine", false);
        List<Transaction> adds = new ArrayList<>();
        for (Wallet contributor : contributors) {
            BigInteger nonce = nonceOf(contributor.address().value());
            for (int i = 0; i < FILES_PER_CONTRIBUTOR; i++) {
                adds.add(Transaction.createFunctionCallTransaction(contributor.address().value(), nonce.add(BigInteger.valueOf(i)),
                        null, BigInteger.valueOf(1_000_000), registry,
                        encoder.addFile("scale://" + contributor.address() + "/" + i).encodeFunctionCall()));
            }
        }
        sendAndMine(adds);

        SortedMap<Long, Long> rowsByFile = new TreeMap<>();
        List<Transaction> proofs = new ArrayList<>();
        List<Transaction> refinements = new ArrayList<>();
        BigInteger teeNonce = nonceOf(teePool);
        BigInteger serviceNonce = nonceOf(service.value());
        for (int k = 0; k < contributors.size(); k++) {
            List<ContributedFile> files = net.chain.filesOf(contributors.get(k).address());
            assertThat(files).hasSize(FILES_PER_CONTRIBUTOR);
            for (int i = 0; i < files.size(); i++) {
                long fileId = files.get(i).id();
                rowsByFile.put(fileId, 1L + (k + i) % (k + 2));
                // The registry stores a proof's signature as r, s and v, so it takes 65 bytes even unchecked.
                DataRegistry.FileProof proof = new DataRegistry.FileProof(BigInteger.ZERO, teePool, BigInteger.TEN.pow(18),
                        BigInteger.valueOf(dlpId), new byte[32], "", "scale://proof", "", new byte[65], BigInteger.ZERO); // a signature's 65 bytes: the registry stores r, s and v
                proofs.add(Transaction.createFunctionCallTransaction(teePool, teeNonce.add(BigInteger.valueOf(proofs.size())),
                        null, BigInteger.valueOf(1_000_000), registry,
                        encoder.addProof(BigInteger.valueOf(fileId), proof).encodeFunctionCall()));
                refinements.add(Transaction.createFunctionCallTransaction(service.value(),
                        serviceNonce.add(BigInteger.valueOf(refinements.size())), null, BigInteger.valueOf(1_000_000), registry,
                        encoder.addRefinementWithPermission(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId),
                                "scale://refined/" + fileId, service.value(), new byte[] {1}).encodeFunctionCall()));
            }
        }
        sendAndMine(proofs);
        sendAndMine(refinements);
        call("evm_setAutomine", true);
        call("evm_setBlockGasLimit", "0x" + BigInteger.valueOf(30_000_000).toString(16)); // a real chain's again
        assertThat(new QueryChain(net.admin, deployment).refinedFilesCount(refinerId)).isEqualTo(rowsByFile.size());
        return rowsByFile;
    }

    /** Sends {@code transactions} in batches, mines each into a block and checks every one succeeded. */
    private static void sendAndMine(List<Transaction> transactions) throws IOException {
        List<String> hashes = new ArrayList<>();
        for (int from = 0; from < transactions.size(); from += BATCH) {
            BatchRequest batch = web3j.newBatch();
            transactions.subList(from, Math.min(transactions.size(), from + BATCH)).forEach(tx -> batch.add(web3j.ethSendTransaction(tx)));
            for (Response<?> response : batch.send().getResponses()) {
                assertThat(response.hasError()).as(() -> response.getError().getMessage()).isFalse();
                hashes.add((String) response.getResult());
            }
            call("evm_mine"); // a block per batch: anvil's pool slows down with thousands pending
        }
        Instant deadline = Instant.now().plus(Devnet.WAIT);
        List<String> pending = hashes;
        while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
            List<String> unmined = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += BATCH) {
                List<String> some = pending.subList(from, Math.min(pending.size(), from + BATCH));
                BatchRequest batch = web3j.newBatch();
                some.forEach(hash -> batch.add(web3j.ethGetTransactionReceipt(hash)));
                List<? extends Response<?>> responses = batch.send().getResponses();
                for (int i = 0; i < some.size(); i++) {
                    var receipt = ((EthGetTransactionReceipt) responses.get(i)).getTransactionReceipt();
                    if (receipt.isEmpty()) {
                        unmined.add(some.get(i));
                    } else {
                        assertThat(receipt.get().isStatusOK()).as("transaction %s succeeded", some.get(i)).isTrue();
                    }
                }
            }
            pending = unmined;
        }
        assertThat(pending).as("transactions mined within %s", Devnet.WAIT).isEmpty();
    }

    private static BigInteger nonceOf(String account) throws IOException {
        return web3j.ethGetTransactionCount(account, DefaultBlockParameterName.PENDING).send().getTransactionCount();
    }

    private static void call(String method, Object... params) {
        try {
            Response<?> response = new Request<>(method, List.of(params), rpc, VanaMoksha.Text.class).send();
            assertThat(response.hasError()).as(() -> method + ": " + response.getError().getMessage()).isFalse();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " failed", e);
        }
    }
}
