package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datacoop.protocol.query.RowsRead;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

class ReadsTreeTest {
    @Test
    void everyLeafProvesAgainstTheRootAndNoOtherDoes() {
        TreeMap<Long, Long> rows = new TreeMap<>();
        for (long file = 1; file <= 37; file++) {
            rows.put(file * 11, file % 5 + 1);
        }
        ReadsTree tree = ReadsTree.of(new RowsRead(3, rows));
        rows.forEach((file, count) -> {
            assertThat(verify(tree.proof(file), tree.root(), ReadsTree.leaf(file, count))).as("file " + file).isTrue();
            assertThat(verify(tree.proof(file), tree.root(), ReadsTree.leaf(file, count + 1))).as("forged rows").isFalse();
        });
        assertThat(verify(tree.proof(11), tree.root(), ReadsTree.leaf(22, 3))).as("another file's proof").isFalse();
    }

    /** StandardMerkleTree's layout: one leaf is its own root; two hash to the pair sorted. */
    @Test
    void smallTreesAreOpenZeppelinsLayout() {
        ReadsTree one = ReadsTree.of(new RowsRead(1, new TreeMap<>(Map.of(7L, 2L))));
        assertThat(one.root()).isEqualTo(ReadsTree.leaf(7, 2));
        assertThat(one.proof(7)).isEmpty();

        ReadsTree two = ReadsTree.of(new RowsRead(1, new TreeMap<>(Map.of(7L, 2L, 8L, 5L))));
        byte[] a = ReadsTree.leaf(7, 2);
        byte[] b = ReadsTree.leaf(8, 5);
        assertThat(two.root()).isEqualTo(pair(a, b)).isEqualTo(pair(b, a));
        assertThat(two.proof(7)).containsExactly(b);
    }

    @Test
    void refusesAFileThatIsNoLeafAndReadsWithoutRows() {
        ReadsTree tree = ReadsTree.of(new RowsRead(4, new TreeMap<>(Map.of(7L, 2L))));
        assertThatThrownBy(() -> tree.proof(8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file 8 is not a leaf of refiner 4's reads");
        assertThatThrownBy(() -> ReadsTree.of(new RowsRead(4, new TreeMap<>())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refiner 4 has no rows read");
    }

    @Test
    void aDocumentRoundTripsAndCarriesEachRoot() {
        RowsRead first = new RowsRead(1, new TreeMap<>(Map.of(7L, 2L, 9L, 1L)));
        RowsRead second = new RowsRead(2, new TreeMap<>(Map.of(7L, 4L)));
        ReadsDocument document = new ReadsDocument("0xabc", List.of(first, second));
        byte[] json = document.toJson();
        assertThat(ReadsDocument.parse(json)).isEqualTo(document);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"root\":\"" + org.web3j.utils.Numeric.toHexString(ReadsTree.of(first).root()) + "\"")
                .contains("\"leaves\":[[7,2],[9,1]]");
    }

    @Test
    void aMalformedDocumentIsRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> parse("not json")).hasMessageStartingWith("the leaves document is not JSON");
        assertThatThrownBy(() -> parse("{\"reads\":[]}")).hasMessageStartingWith("the leaves document needs a queryId and reads");
        assertThatThrownBy(() -> parse("{\"queryId\":\"0x1\",\"reads\":[{\"leaves\":[]}]}"))
                .hasMessageStartingWith("a read of the leaves document needs a refinerId and leaves");
        assertThatThrownBy(() -> parse("{\"queryId\":\"0x1\",\"reads\":[{\"refinerId\":1,\"leaves\":[[1]]}]}"))
                .hasMessage("a leaf must be [fileId, rows]: [1]");
        assertThatThrownBy(() -> parse("{\"queryId\":\"0x1\",\"reads\":[{\"refinerId\":1,\"leaves\":[[1,2],[1,3]]}]}"))
                .hasMessage("file 1 is a leaf twice");
        assertThatThrownBy(() -> parse("{\"queryId\":\"0x1\",\"reads\":[{\"refinerId\":1,\"leaves\":[[1,0]]}]}"))
                .hasMessageContaining("file 1 has 0 rows read");
    }

    private static ReadsDocument parse(String json) {
        return ReadsDocument.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** OpenZeppelin's MerkleProof.verify. */
    private static boolean verify(List<byte[]> proof, byte[] root, byte[] leaf) {
        byte[] node = leaf;
        for (byte[] sibling : proof) {
            node = pair(node, sibling);
        }
        return Arrays.equals(node, root);
    }

    private static byte[] pair(byte[] a, byte[] b) {
        boolean ordered = Arrays.compareUnsigned(a, b) <= 0;
        byte[] both = new byte[64];
        System.arraycopy(ordered ? a : b, 0, both, 0, 32);
        System.arraycopy(ordered ? b : a, 0, both, 32, 32);
        return Hash.sha3(both);
    }
}
