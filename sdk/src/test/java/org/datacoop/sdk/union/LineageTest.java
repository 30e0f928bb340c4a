package org.datacoop.sdk.union;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.OwnershipChain.Transfer;
import org.datacoop.chain.UnionChain.AssetKind;
import org.datacoop.chain.UnionChain.UnionEvent;
import org.datacoop.protocol.Address;
import org.datacoop.sdk.union.Lineage.AssetNode;
import org.datacoop.sdk.union.Lineage.TraceNode;
import org.junit.jupiter.api.Test;

/** The tracer on DataToken's lifecycle as its events tell it: no chain, only the events. */
class LineageTest {
    private static final Address ALICE = Address.of("0x00000000000000000000000000000000000000a1");
    private static final Address BOB = Address.of("0x00000000000000000000000000000000000000b0");
    private static final Address CAROL = Address.of("0x00000000000000000000000000000000000000c0");
    private static final String T1 = "0x" + "11".repeat(32);
    private static final String T2 = "0x" + "22".repeat(32);
    private static final String T2_NEW = "0x" + "23".repeat(32);
    private static final String U3 = "0x" + "33".repeat(32);

    private final List<UnionEvent> events = new ArrayList<>(List.of(
            new UnionEvent.LeafRegistered(1, 1, AssetKind.FILE, "0x" + "aa".repeat(32), 0, "", ALICE),
            new UnionEvent.LeafRegistered(2, 2, AssetKind.TABLE, "", 1, "daily_steps", BOB),
            new UnionEvent.TermsSet(3, 1, 1, T1, BigInteger.ONE, ALICE),
            new UnionEvent.TermsSet(3, 2, 1, T2, BigInteger.TWO, BOB),
            new UnionEvent.UnionCreated(4, 3, AssetKind.UNION, 1, List.of(1L, 2L), U3, BigInteger.ZERO, CAROL),
            new UnionEvent.ConsentGranted(5, 3, 1, 0, T1, ALICE),
            new UnionEvent.ConsentGranted(5, 3, 2, 1, T2, BOB),
            new UnionEvent.UnionActivated(6, 3, CAROL),
            new UnionEvent.UnionCreated(7, 4, AssetKind.ALGORITHM, 1, List.of(3L), "0x" + "44".repeat(32),
                    BigInteger.ZERO, CAROL),
            new UnionEvent.UnionCreated(7, 5, AssetKind.ALGORITHM, 1, List.of(3L), "0x" + "55".repeat(32),
                    BigInteger.ZERO, CAROL),
            new UnionEvent.ConsentGranted(8, 4, 3, 0, U3, CAROL),
            new UnionEvent.ConsentGranted(8, 5, 3, 0, U3, CAROL),
            new UnionEvent.UnionActivated(9, 4, CAROL),
            new UnionEvent.UnionActivated(9, 5, CAROL)));

    @Test
    void aLeafLeadsUpToTheUnionAndBothAlgorithmAssets() {
        TraceNode up = Lineage.of(events, List.of()).ofAsset(1).up().get(0);
        assertThat(ids(up)).containsExactly(1L, 3L, 4L, 5L);
        assertThat(allActive(up)).isTrue();
    }

    @Test
    void aUnionLeadsDownToItsLeaves() {
        TraceNode down = Lineage.of(events, List.of()).ofAsset(4).down().get(0);
        assertThat(ids(down)).containsExactly(4L, 3L, 1L, 2L);
    }

    @Test
    void aRevokedConsentDeactivatesEverythingBuiltOnTheLeaf() {
        events.add(new UnionEvent.ConsentRevoked(10, 3, 1, 0, ALICE));
        Lineage lineage = Lineage.of(events, List.of());
        assertThat(lineage.assets()).filteredOn(a -> a.assetId() >= 3).allSatisfy(a -> {
            assertThat(a.activated()).isTrue();
            assertThat(a.active()).isFalse();
        });
    }

    @Test
    void changedTermsDeactivateUntilConsentedAgain() {
        events.add(new UnionEvent.TermsSet(10, 2, 1, T2_NEW, BigInteger.TEN, BOB));
        assertThat(Lineage.of(events, List.of()).assets()).filteredOn(AssetNode::active).extracting(AssetNode::assetId)
                .containsExactly(1L, 2L);
        events.add(new UnionEvent.ConsentGranted(11, 3, 2, 1, T2_NEW, BOB));
        assertThat(Lineage.of(events, List.of()).assets()).allMatch(AssetNode::active);
    }

    @Test
    void anOwnerLeadsToTheirAssets() {
        var trace = Lineage.of(events, List.of()).ofOwner(CAROL);
        assertThat(trace.up()).extracting(n -> ((AssetNode) n.node()).assetId()).containsExactly(3L, 4L, 5L);
        assertThat(Lineage.of(events, List.of()).ofOwner(ALICE).up()).hasSize(1);
    }

    @Test
    void aFileLeafBelongsToWhomItsDataWasLastTransferred() {
        String hash = "0x" + "aa".repeat(32);
        var lineage = Lineage.of(events, List.of(new Transfer(10, hash, ALICE, BOB), new Transfer(11, hash, BOB, CAROL)));
        assertThat(lineage.ofOwner(ALICE).up()).isEmpty();
        assertThat(lineage.ofOwner(CAROL).up()).extracting(n -> ((AssetNode) n.node()).assetId())
                .containsExactly(1L, 3L, 4L, 5L);
    }

    @Test
    void anUnknownAssetIsNamed() {
        assertThatThrownBy(() -> Lineage.of(events, List.of()).ofAsset(9)).isInstanceOf(ChainException.class)
                .hasMessageContaining("there is no asset 9");
    }

    private static List<Long> ids(TraceNode node) {
        return Stream.concat(Stream.of(((AssetNode) node.node()).assetId()), node.next().stream().flatMap(n -> ids(n).stream()))
                .toList();
    }

    private static boolean allActive(TraceNode node) {
        return ((AssetNode) node.node()).active() && node.next().stream().allMatch(LineageTest::allActive);
    }
}
