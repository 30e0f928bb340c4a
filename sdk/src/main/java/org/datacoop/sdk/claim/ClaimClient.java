package org.datacoop.sdk.claim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.CommitmentsChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.sdk.node.NodeHttp;
import org.datacoop.zk.FixedPoint;

/**
 * Dataset claims about a file's refined rows: "at least N rows of this column are at least k", proved by
 * the enclave of the validator that committed to the column (only it holds the rows and the salt) and
 * recorded on-chain; the proof shows nothing else. Only the file's owner may have one proved: the owner
 * signs the claim ({@link CommitmentsChain#claimMessage}) and the validator checks it.
 */
public final class ClaimClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataCoopChain chain;
    private final CommitmentsChain commitments;
    private final Wallet wallet;

    public ClaimClient(DataCoopChain chain, CommitmentsChain commitments, Wallet wallet) {
        this.chain = chain;
        this.commitments = commitments;
        this.wallet = wallet;
    }

    /** Why a validator refused a claim: its HTTP status and its words (e.g. that the claim does not hold). */
    public static final class ClaimRefused extends RuntimeException {
        private final int status;

        public ClaimRefused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** A recorded claim, in the column's own units. */
    public record Claim(long fileId, long refinerId, String column, long rows, BigDecimal atLeast, Address prover,
            long recordedAt, String txHash) {}

    /**
     * Has the claim "at least {@code rows} rows of {@code column} are at least {@code atLeast}" about file
     * {@code fileId} as refiner {@code refinerId} refined it proved and recorded; refuses naming why.
     */
    public Claim prove(long fileId, long refinerId, String column, BigDecimal atLeast, long rows) {
        CommitmentsChain.Recorded commitment = commitments.commitmentOf(fileId, refinerId, column);
        String url = chain.findValidator(commitment.service())
                .map(v -> v.url().replaceFirst("/+$", ""))
                .orElseThrow(() -> new ChainException("the validator " + commitment.service() + " that committed "
                        + column + " of file " + fileId + " publishes no url"));
        byte[] signature = wallet.signMessage(CommitmentsChain.claimMessage(chain.deployment().chainId(), fileId,
                refinerId, column, rows, atLeast).getBytes(StandardCharsets.UTF_8));
        ObjectNode body = JSON.createObjectNode()
                .put("file_id", fileId)
                .put("refiner_id", refinerId)
                .put("column", column)
                .put("at_least", atLeast.toPlainString())
                .put("rows", rows)
                .put("signature", Hex.prefixed(signature));
        JsonNode answer = NodeHttp.post(url + "/claim", body, "the validator", ClaimRefused::new);
        return new Claim(fileId, refinerId, column, rows, atLeast, commitment.service(), 0,
                answer.path("tx_hash").asText());
    }

    /** The claims recorded about file {@code fileId} as refiner {@code refinerId} refined it, oldest first. */
    public List<Claim> claims(long fileId, long refinerId) {
        return commitments.claimsOf(fileId, refinerId).stream().map(claim -> new Claim(fileId, refinerId, claim.column(),
                claim.minRows(), FixedPoint.value(claim.threshold(),
                        commitments.commitmentOf(fileId, refinerId, claim.column()).column().scale()).stripTrailingZeros(),
                claim.prover(), claim.recordedAt(), "")).toList();
    }
}
