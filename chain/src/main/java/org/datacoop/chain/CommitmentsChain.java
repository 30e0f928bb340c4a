package org.datacoop.chain;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.datacoop.chain.contracts.DataCommitments;
import org.datacoop.protocol.Address;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.StaticArray6;
import org.web3j.abi.datatypes.generated.StaticArray8;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The commitments to refined files' columns that circuits open (DataCommitments), and the check of an
 * aggregate proof against them. Mapped to records here and nowhere else.
 */
public final class CommitmentsChain {
    private final ChainConnection chain;
    private final DataCommitments commitments;

    private CommitmentsChain(ChainConnection chain, DataCommitments commitments) {
        this.chain = chain;
        this.commitments = commitments;
    }

    /** The deployment's commitments; empty for a deployment made before they existed. */
    public static Optional<CommitmentsChain> of(ChainConnection chain, Deployment deployment) {
        String address = deployment.contracts().get(Deployment.DATA_COMMITMENTS);
        return Optional.ofNullable(address).map(at -> new CommitmentsChain(chain,
                DataCommitments.load(at, chain.web3j(), chain.transactions(), chain.gas())));
    }

    /** The deployment's commitments; fails naming the contract when the deployment has none. */
    public static CommitmentsChain required(ChainConnection chain, Deployment deployment) {
        return of(chain, deployment).orElseThrow(() -> new ChainException(
                "the deployment has no contract named " + Deployment.DATA_COMMITMENTS + " (it predates commitments)"));
    }

    /**
     * A column's commitment, to be recorded or as recorded.
     *
     * @param name {@code table.column}
     * @param rows how many values it commits to
     * @param scale the values are round(x * 10^scale)
     */
    public record Column(String name, BigInteger commitment, long rows, int scale) {}

    /** A recorded commitment: the column's, and who recorded it when (seconds since the epoch). */
    public record Recorded(Column column, Address service, long committedAt) {}

    /** What an aggregate proof established over a committed column, in its fixed-point units. */
    public record Aggregate(BigInteger count, BigInteger sum, BigInteger countAtLeast, BigInteger sumAtLeast,
            BigInteger threshold, int scale) {}

    /**
     * A dataset claim about a committed column, as recorded: at least {@code minRows} rows hold a value
     * at least {@code threshold} (fixed-point, at the column's scale); {@code recordedAt} in seconds.
     */
    public record Claim(String column, BigInteger threshold, long minRows, Address prover, long recordedAt) {}

    /**
     * What a file's owner signs (EIP-191) to have a validator prove and record a claim about its rows: the
     * claim in words, on chain {@code chainId}; {@code atLeast} in the column's own units.
     */
    public static String claimMessage(long chainId, long fileId, long refinerId, String column, long rows,
            java.math.BigDecimal atLeast) {
        return "DataCoop dataset claim\nchain: " + chainId + "\nfile: " + fileId + "\nrefiner: " + refinerId
                + "\ncolumn: " + column + "\nat least " + rows + " rows >= " + atLeast.toPlainString();
    }

    /** Records refiner {@code refinerId}'s commitments for file {@code fileId} (perhaps none); the transaction hash. */
    public String commit(long fileId, long refinerId, List<Column> columns) {
        return Calls.send("recording the commitments of file " + fileId + " as refiner " + refinerId + " refined it",
                commitments.commit(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId), columns.stream()
                        .map(c -> new DataCommitments.Column(c.name(), c.commitment(), BigInteger.valueOf(c.rows()),
                                BigInteger.valueOf(c.scale())))
                        .toList()))
                .getTransactionHash();
    }

    /** Whether refiner {@code refinerId}'s commitments for file {@code fileId} are recorded. */
    public boolean isCommitted(long fileId, long refinerId) {
        return Calls.send("reading whether file " + fileId + " is committed for refiner " + refinerId,
                commitments.isCommitted(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId)));
    }

    /** The columns committed for file {@code fileId} as refiner {@code refinerId} refined it, as recorded. */
    public List<Recorded> commitmentsOf(long fileId, long refinerId) {
        @SuppressWarnings("unchecked")
        List<Object> names = Calls.send("reading the committed columns of file " + fileId,
                commitments.columnsOf(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId)));
        return names.stream()
                .map(name -> name instanceof Utf8String text ? text.getValue() : name.toString())
                .map(name -> commitmentOf(fileId, refinerId, name))
                .toList();
    }

    /** Column {@code column}'s commitment; fails naming it when there is none. */
    public Recorded commitmentOf(long fileId, long refinerId, String column) {
        Function function = new Function(DataCommitments.FUNC_COMMITMENTOF, List.of(new Uint256(fileId),
                new Uint256(refinerId), new Utf8String(column)), List.of(new TypeReference<DataCommitments.Commitment>() {}));
        DataCommitments.Commitment recorded = (DataCommitments.Commitment) Calls.view(chain,
                commitments.getContractAddress(), function, "reading the commitment of " + column + " in file " + fileId)
                .get(0);
        return new Recorded(new Column(column, recorded.commitment, recorded.rows.longValueExact(),
                recorded.scale.intValueExact()), Address.of(recorded.service), recorded.committedAt.longValueExact());
    }

    /**
     * Checks an aggregate proof ({@code proof}: 8 elements; {@code publicSignals}: 6) against column
     * {@code column}'s recorded commitment, by a call (no transaction); fails naming what is wrong.
     */
    public Aggregate verifyAggregate(long fileId, long refinerId, String column, List<BigInteger> proof,
            List<BigInteger> publicSignals) {
        Function function = new Function(DataCommitments.FUNC_VERIFYAGGREGATE, List.of(new Uint256(fileId),
                new Uint256(refinerId), new Utf8String(column), new StaticArray8<>(Uint256.class, uints(proof)),
                new StaticArray6<>(Uint256.class, uints(publicSignals))),
                List.of(new TypeReference<DataCommitments.Aggregate>() {}));
        DataCommitments.Aggregate proved = (DataCommitments.Aggregate) Calls.view(chain,
                commitments.getContractAddress(), function, "checking an aggregate proof over " + column + " of file "
                        + fileId).get(0);
        return new Aggregate(proved.count, proved.sum, proved.countAtLeast, proved.sumAtLeast, proved.threshold,
                proved.scale.intValueExact());
    }

    /**
     * Records the claim that at least {@code minRows} rows of {@code column} hold a value at least
     * {@code threshold}, with the claim circuit's {@code proof} (8 elements); the transaction hash. A proof
     * that does not prove it is refused by name before anything is sent.
     */
    public String recordClaim(long fileId, long refinerId, String column, BigInteger threshold, long minRows,
            List<BigInteger> proof) {
        return Calls.send("recording a claim about " + column + " of file " + fileId,
                commitments.recordClaim(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId), column, threshold,
                        BigInteger.valueOf(minRows), proof)).getTransactionHash();
    }

    /** The claims recorded about file {@code fileId} as refiner {@code refinerId} refined it, oldest first. */
    public List<Claim> claimsOf(long fileId, long refinerId) {
        @SuppressWarnings("unchecked")
        List<DataCommitments.Claim> claims = Calls.send("reading the claims about file " + fileId,
                commitments.claimsOf(BigInteger.valueOf(fileId), BigInteger.valueOf(refinerId)));
        return claims.stream().map(c -> new Claim(c.column, c.threshold, c.minRows.longValueExact(), Address.of(c.prover),
                c.recordedAt.longValueExact())).toList();
    }

    private static List<Uint256> uints(List<BigInteger> values) {
        return values.stream().map(Uint256::new).toList();
    }
}
