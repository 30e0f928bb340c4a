package org.datacoop.node.claim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.CommitmentsChain;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployment;
import org.datacoop.chain.OwnershipChain;
import org.datacoop.chain.QueryChain;
import org.datacoop.chain.Wallet;
import org.datacoop.node.enclave.Enclave;
import org.datacoop.node.enclave.Workspace;
import org.datacoop.node.job.ValidatorNode.RequestRefused;
import org.datacoop.node.refine.ColumnCommitter;
import org.datacoop.node.refine.Refinery;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.zk.Circuits;
import org.datacoop.zk.ClaimProof;
import org.datacoop.zk.FixedPoint;
import org.datacoop.zk.ZkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dataset claims, proved in the enclave for a file's owner: "at least N rows of this column are at least
 * k", against the commitment the refinement recorded, with the claim circuit, and recorded on-chain
 * ({@code DataCommitments.recordClaim}). Only the data's owner (the ownership registry's, else the file's)
 * may ask, by signing the claim: a claim tells
 * something about private rows, so it is theirs to publish. A claim that does not hold is refused
 * without a proof; nothing else about the rows is told.
 */
public final class ClaimService {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);

    private final DataCoopChain chain;
    private final QueryChain queries;
    private final Enclave enclave;
    private final Refinery refinery;
    private final ColumnCommitter committer;
    private final Path scratch;

    public ClaimService(DataCoopChain chain, QueryChain queries, Enclave enclave, Refinery refinery,
            ColumnCommitter committer, Path scratch) {
        this.chain = chain;
        this.queries = queries;
        this.enclave = enclave;
        this.refinery = refinery;
        this.committer = committer;
        this.scratch = scratch;
    }

    /**
     * A claim as its owner signs it.
     *
     * @param column {@code table.column}, committed at the refinement
     * @param atLeast k, in the column's own units (e.g. 7000 steps, 5.25 km)
     * @param rows N, how many rows the claim says hold a value of at least k
     * @param signature the owner's EIP-191 signature of {@link #message(long)}
     */
    public record ClaimRequest(long fileId, long refinerId, String column, BigDecimal atLeast, long rows, byte[] signature) {
        /** What the owner signs: the claim in words, on this chain ({@link CommitmentsChain#claimMessage}). */
        public String message(long chainId) {
            return CommitmentsChain.claimMessage(chainId, fileId, refinerId, column, rows, atLeast);
        }
    }

    /** A recorded claim: its transaction, and the threshold at the column's scale, as the chain holds it. */
    public record Recorded(String txHash, BigInteger threshold, int scale) {}

    /** Proves and records {@code request}'s claim; refuses naming what is wrong (with the HTTP status to answer). */
    public Recorded prove(ClaimRequest request) {
        if (request.rows() < 1 || request.rows() > 0xffff) {
            throw new RequestRefused(400, "rows must be 1 to 65535, got " + request.rows());
        }
        ContributedFile file;
        try {
            file = chain.file(request.fileId());
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw e;
            }
            throw new RequestRefused(404, "no file " + request.fileId() + " on this chain");
        }
        Address signer;
        try {
            signer = Wallet.signerOfMessage(request.message(chain.deployment().chainId()).getBytes(StandardCharsets.UTF_8),
                    request.signature());
        } catch (IllegalArgumentException e) {
            throw new RequestRefused(400, "the signature is malformed: " + e.getMessage());
        }
        Address owner = dataOwner(file);
        if (!signer.equals(owner)) {
            throw new RequestRefused(403, "the claim is signed by " + signer + ", not by file " + request.fileId()
                    + "'s owner " + owner);
        }
        CommitmentsChain.Recorded commitment;
        try {
            commitment = committer.commitments().commitmentOf(request.fileId(), request.refinerId(), request.column());
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw e;
            }
            throw new RequestRefused(404, "file " + request.fileId() + " has no commitment of " + request.column()
                    + " by refiner " + request.refinerId() + " (only numeric columns without NULLs are committed)");
        }
        if (!commitment.service().equals(enclave.identity().address())) {
            throw new RequestRefused(409, "file " + request.fileId() + "'s " + request.column() + " was committed by "
                    + commitment.service() + ", whose enclave alone can prove claims about it; this is "
                    + enclave.identity().address());
        }
        int scale = commitment.column().scale();
        if (request.atLeast().stripTrailingZeros().scale() > scale) {
            // Rounding would prove a weaker claim than the one signed.
            throw new RequestRefused(400, "at_least " + request.atLeast().toPlainString() + " has more decimals than "
                    + request.column() + " holds (" + scale + ")");
        }
        BigInteger threshold;
        try {
            threshold = FixedPoint.of(request.atLeast(), scale);
        } catch (ZkException e) {
            throw new RequestRefused(400, "at_least: " + e.getMessage());
        }
        List<BigInteger> values = values(request, scale);
        BigInteger salt = committer.salt(request.fileId(), request.refinerId(), request.column());
        Circuits circuits = committer.circuits();
        if (!circuits.commitment(values, salt).equals(commitment.column().commitment())) {
            throw new RequestRefused(409, "the refinement's rows of " + request.column() + " no longer open the"
                    + " commitment recorded for file " + request.fileId());
        }
        ClaimProof proof;
        try {
            proof = circuits.proveClaim(values, salt, threshold, request.rows());
        } catch (Circuits.ClaimDoesNotHold e) {
            throw new RequestRefused(422, e.getMessage().replace("the claim does not hold",
                    "the claim does not hold for file " + request.fileId() + "'s " + request.column()));
        } catch (ZkException e) {
            throw new RequestRefused(422, "the claim cannot be proved: " + e.getMessage());
        }
        String tx = committer.commitments().recordClaim(request.fileId(), request.refinerId(), request.column(),
                threshold, request.rows(), proof.proof());
        LOG.info("[fileId:{}] claim about {} recorded in {}", request.fileId(), request.column(), tx);
        return new Recorded(tx, threshold, scale);
    }

    /**
     * Whose the file's data is: the owner of its data hash in the ownership registry, who may have bought
     * it, else (not bound, or a deployment without the registry) the account that registered the file.
     */
    private Address dataOwner(ContributedFile file) {
        if (!chain.deployment().contracts().containsKey(Deployment.OWNERSHIP_REGISTRY)) {
            return file.owner();
        }
        OwnershipChain ownership = chain.ownership();
        return ownership.hashOfFile(file.id()).flatMap(ownership::binding).map(OwnershipChain.Binding::owner)
                .orElse(file.owner());
    }

    /** The column's values as refined, read back from the stored refinement in a scratch dir wiped after. */
    private List<BigInteger> values(ClaimRequest request, int scale) {
        int dot = request.column().indexOf('.');
        if (dot < 1) {
            throw new RequestRefused(400, "column must be table.column, got " + request.column());
        }
        byte[] key = queries.refinementKey(request.fileId(), request.refinerId(), enclave.identity().address());
        if (key.length == 0) {
            throw new RequestRefused(409, "refiner " + request.refinerId() + " shared no key of file "
                    + request.fileId() + "'s refinement with this validator");
        }
        Path dir = null;
        try {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, "claim-" + request.fileId() + "-");
            Path tables = refinery.openRefined(request.fileId(), request.refinerId(), key, dir);
            return ColumnCommitter.values(tables.resolve(request.column().substring(0, dot) + ".parquet"),
                    request.column().substring(dot + 1), scale);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the refinement of file " + request.fileId(), e);
        } finally {
            if (dir != null) {
                Workspace.deleteTree(dir);
            }
        }
    }
}
