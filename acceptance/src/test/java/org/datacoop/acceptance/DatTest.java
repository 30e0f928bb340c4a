package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.DatChain;
import org.datacoop.chain.DatChain.DatToken;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.ReadsClaims;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.query.Refiner;
import org.datacoop.sdk.query.QueryClient;
import org.datacoop.storage.HttpBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data Anchoring Tokens on a real devnet: Alice's and Dave's contributions are rewarded and each
 * receives its file's DAT with the reward; Alice sells hers to Carol, and the next paid query's
 * share for Alice's rows is credited to Carol, not to Alice. The tests run in order: the second
 * moves the token the first checks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatTest {
    private static final BigInteger PRICE = BigInteger.TEN.pow(16);

    @TempDir
    static Path dir;

    private static Devnet net;
    private static DatChain dats;
    private static Refiner refiner;
    private static Wallet alice;
    private static Wallet dave;
    private static long aliceFile;

    @BeforeAll
    static void startNetworkAndContributeTwoFiles() throws Exception {
        net = Devnet.start(dir, settings -> settings);
        dats = new DatChain(net.admin, net.deployment);
        QueryChain adminQueries = new QueryChain(net.admin, net.deployment);
        refiner = adminQueries.refinersOf(net.deployment.sampleDlpId()).get(0);
        alice = net.fundedWallet();
        dave = net.fundedWallet();
        net.contributeSteps(alice, 30, 0, dir);
        net.contributeSteps(dave, 20, 1, dir);
        aliceFile = net.chain.filesOf(alice.address()).stream().mapToLong(ContributedFile::id).findFirst().orElseThrow();
        net.awaitRefined(refiner.id(), 2);
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void eachContributorReceivesItsFilesTokenWithTheReward() {
        List<DatToken> tokens = dats.tokensOf(alice.address());
        assertThat(tokens).hasSize(1);
        DatToken token = tokens.get(0);
        assertThat(token.classId()).isEqualTo(net.deployment.sampleDlpId());
        assertThat(token.fileId()).isEqualTo(aliceFile);
        assertThat(token.holder()).isEqualTo(alice.address());
        assertThat(token.shareRatio()).isPositive(); // the proof's score, in basis points
        assertThat(token.tokenId()).isEqualTo(dats.tokenIdOf(net.deployment.sampleDlpId(), aliceFile));
        assertThat(dats.tokensOf(dave.address())).singleElement()
                .satisfies(daves -> assertThat(daves.fileId()).isNotEqualTo(aliceFile));
    }

    @Test
    @Order(2)
    void onlyTheHolderCanTransferAToken() {
        BigInteger tokenId = dats.tokenIdOf(net.deployment.sampleDlpId(), aliceFile);
        try (ChainConnection asDave = ChainConnection.open(net.anvil.rpcUrl(), dave)) {
            assertThatThrownBy(() -> new DatChain(asDave, net.deployment).transfer(tokenId, dave.address()))
                    .isInstanceOf(ChainException.class)
                    .hasMessageContaining("is held by " + alice.address().value());
        }
        assertThat(dats.holderOf(tokenId)).contains(alice.address());
    }

    @Test
    @Order(3)
    void afterATransferTheNextQueryCreditsTheNewHolderNotTheContributor() {
        Wallet carol = Wallet.create();
        BigInteger tokenId = dats.tokenIdOf(net.deployment.sampleDlpId(), aliceFile);
        try (ChainConnection asAlice = ChainConnection.open(net.anvil.rpcUrl(), alice)) {
            new DatChain(asAlice, net.deployment).transfer(tokenId, carol.address());
        }
        assertThat(dats.holderOf(tokenId)).contains(carol.address());
        assertThat(dats.tokensOf(alice.address())).isEmpty();
        assertThat(dats.tokensOf(carol.address())).extracting(DatToken::tokenId).containsExactly(tokenId);

        Wallet builder = net.fundedWallet();
        new QueryChain(net.admin, net.deployment)
                .addPermission(builder.address(), refiner.id(), "daily_steps", "steps", PRICE, Address.ZERO);
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), builder)) {
            QueryChain queries = new QueryChain(connection, net.deployment);
            queries.deposit(Address.ZERO, PRICE);
            DataCoopChain coop = new DataCoopChain(connection, net.deployment);
            BigInteger aliceBefore = queries.earnings(Address.ZERO, alice.address());
            QueryClient.Answer answer = new QueryClient(coop, queries, builder)
                    .query("SELECT count(*) AS days FROM daily_steps", net.deployment.sampleDlpId(), Optional.empty());

            // The builder claims the leaf of Alice's file; the ledger pays whoever holds its token.
            ReadsClaims claims = new ReadsClaims(coop, queries, new DatChain(connection, net.deployment), HttpBlobStore::fetchBytes);
            List<ReadsClaims.Pending> pending = claims.find(Set.of(aliceFile), Address.ZERO).pending().stream()
                    .filter(p -> p.commitment().queryId().equals(answer.queryId())).toList();
            assertThat(pending).singleElement().satisfies(p -> assertThat(p.amount()).isPositive());
            claims.claim(pending);

            assertThat(queries.earnings(Address.ZERO, carol.address())).isEqualTo(pending.get(0).amount());
            assertThat(queries.earnings(Address.ZERO, alice.address())).isEqualTo(aliceBefore);
        }
    }
}
