package org.datacoop.chain;

import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.datacoop.chain.contracts.DataAnchoringToken;
import org.datacoop.protocol.Address;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;

/**
 * Data Anchoring Tokens on one chain: a token per file a DataDAO rewarded, whose holder is paid the
 * file's share of every query and compute payment. Mapped to records here and nowhere else. Token
 * ids are 256-bit numbers (the DataDAO's id above the file's), so they are {@link BigInteger}s.
 */
public final class DatChain {
    private final ChainConnection chain;
    private final DataAnchoringToken dat;
    private final long deploymentBlock;

    public DatChain(ChainConnection chain, Deployment deployment) {
        this.chain = chain;
        this.deploymentBlock = deployment.deploymentBlock();
        this.dat = DataAnchoringToken.load(deployment.address(Deployment.DATA_ANCHORING_TOKEN).value(), chain.web3j(),
                chain.transactions(), chain.gas());
    }

    /**
     * One token.
     *
     * @param classId the DataDAO whose class it is
     * @param value what is left of its usage quota
     * @param shareRatio its revenue weight: the proof's score in basis points
     * @param expireAt when its quota stops being usable, in seconds since the epoch; 0 when never
     */
    public record DatToken(BigInteger tokenId, long classId, long fileId, Address holder, BigInteger value,
            long shareRatio, long expireAt) {}

    /** The id file {@code fileId}'s token has (or would have) in DataDAO {@code dlpId}'s class. */
    public BigInteger tokenIdOf(long dlpId, long fileId) {
        return Calls.send("computing the token id of file " + fileId + " in DataDAO " + dlpId,
                dat.tokenIdOf(BigInteger.valueOf(dlpId), BigInteger.valueOf(fileId)));
    }

    /** Token {@code tokenId}, if it was minted. */
    public Optional<DatToken> token(BigInteger tokenId) {
        if (holderOf(tokenId).isEmpty()) {
            return Optional.empty();
        }
        DataAnchoringToken.TokenInfo info = Calls.send("reading token " + tokenId, dat.tokenInfo(tokenId));
        return Optional.of(new DatToken(tokenId, info.classId.longValueExact(), info.fileId.longValueExact(),
                Address.of(info.holder), info.value, info.shareRatio.longValueExact(), info.expireAt.longValueExact()));
    }

    /** File {@code fileId}'s token in DataDAO {@code dlpId}'s class, if it was rewarded there. */
    public Optional<DatToken> tokenOfFile(long dlpId, long fileId) {
        return token(tokenIdOf(dlpId, fileId));
    }

    /** Who holds {@code tokenId}; empty when it was never minted. */
    public Optional<Address> holderOf(BigInteger tokenId) {
        Address holder = Address.of(Calls.send("reading the holder of token " + tokenId, dat.holderOf(tokenId)));
        return holder.isZero() ? Optional.empty() : Optional.of(holder);
    }

    /**
     * The tokens {@code owner} holds now, in the order they reached it: every token an ERC-1155
     * transfer (a mint included) sent it since the deployment, less those it has passed on.
     */
    public List<DatToken> tokensOf(Address owner) {
        String to = TypeEncoder.encode(new org.web3j.abi.datatypes.Address(owner.value()));
        Set<BigInteger> received = new LinkedHashSet<>();
        for (var log : Calls.logs(chain, dat.getContractAddress(), deploymentBlock, chain.blockNumber(),
                filter -> filter.addOptionalTopics(EventEncoder.encode(DataAnchoringToken.TRANSFERSINGLE_EVENT),
                                EventEncoder.encode(DataAnchoringToken.TRANSFERBATCH_EVENT))
                        .addNullTopic()
                        .addNullTopic()
                        .addSingleTopic(to),
                "reading the tokens sent to " + owner.value())) {
            if (log.getTopics().get(0).equals(EventEncoder.encode(DataAnchoringToken.TRANSFERSINGLE_EVENT))) {
                received.add(DataAnchoringToken.getTransferSingleEventFromLog(log).id);
            } else {
                received.addAll(DataAnchoringToken.getTransferBatchEventFromLog(log).ids);
            }
        }
        return received.stream()
                .map(this::token)
                .flatMap(Optional::stream)
                .filter(token -> token.holder().equals(owner))
                .toList();
    }

    /** What is recorded of a class's ETH revenue (ERC-8028): everything settled, and the live tokens' total share. */
    public record ClassRevenue(long classId, BigInteger settled, BigInteger totalShare) {}

    /** Class {@code classId}'s ETH revenue. */
    public ClassRevenue classRevenue(long classId) {
        BigInteger id = BigInteger.valueOf(classId);
        var revenue = Calls.send("reading class " + classId + "'s revenue", dat.revenueOf(id, Address.ZERO.value()));
        return new ClassRevenue(classId, revenue.component1(),
                Calls.send("reading class " + classId + "'s total share", dat.totalShare(id)));
    }

    /**
     * Shares {@code wei} among class {@code classId}'s live tokens by shareRatio; returns the transaction
     * hash. Refused by name, with nothing sent, when the class has no live token to pay.
     */
    public String settleRevenue(long classId, BigInteger wei) {
        if (wei.signum() <= 0) {
            throw new IllegalArgumentException("the revenue to settle must be more than 0");
        }
        if (classRevenue(classId).totalShare().signum() == 0) {
            throw ChainException.notFound("DataDAO " + classId + "'s class has no live token to pay: none was minted, or"
                    + " every one expired and was retired");
        }
        return Calls.send("settling " + wei + " wei to class " + classId,
                dat.settleRevenueETH(BigInteger.valueOf(classId), wei)).getTransactionHash();
    }

    /** {@code tokenId}'s unclaimed class revenue in ETH, in wei. */
    public BigInteger pendingRevenue(BigInteger tokenId) {
        return Calls.send("reading token " + tokenId + "'s pending revenue", dat.pending(tokenId, Address.ZERO.value()));
    }

    /** Whether {@code tokenId} was retired from its class's total share. */
    public boolean isRetired(BigInteger tokenId) {
        return Calls.send("reading whether token " + tokenId + " is retired", dat.isRetired(tokenId));
    }

    /** A class revenue claim: what was paid to whom, in which transaction. */
    public record Claimed(BigInteger tokenId, BigInteger amount, Address holder, String txHash) {}

    /**
     * Pays {@code tokenId}'s holder its pending class revenue in ETH; the holder or an operator it approved
     * for all. Refused by name, with nothing sent, for an unminted token, another's, or nothing pending.
     */
    public Claimed claimRevenue(BigInteger tokenId) {
        Address holder = holderOf(tokenId).orElseThrow(() -> ChainException.notFound("token " + tokenId + " was never minted"));
        if (!holder.equals(chain.account()) && !Calls.send("reading the holder's operators",
                dat.isApprovedForAll(holder.value(), chain.account().value()))) {
            throw new ChainException("token " + tokenId + " is held by " + holder.value() + ", not by "
                    + chain.account().value() + ", so this account cannot claim its revenue");
        }
        BigInteger amount = pendingRevenue(tokenId);
        if (amount.signum() == 0) {
            throw new IllegalArgumentException("token " + tokenId + " has no class revenue to claim");
        }
        String tx = Calls.send("claiming token " + tokenId + "'s revenue", dat.claim(tokenId, Address.ZERO.value()))
                .getTransactionHash();
        return new Claimed(tokenId, amount, holder, tx);
    }

    /**
     * Takes expired {@code tokenId} out of its class's total share (anyone may); it keeps what it earned.
     * Refused by name, with nothing sent, for a token not expired, never expiring or already retired.
     */
    public String retire(BigInteger tokenId) {
        DatToken token = token(tokenId).orElseThrow(() -> ChainException.notFound("token " + tokenId + " was never minted"));
        if (token.expireAt() == 0) {
            throw new IllegalArgumentException("token " + tokenId + " never expires: it keeps its share for good");
        }
        if (isRetired(tokenId)) {
            throw new IllegalArgumentException("token " + tokenId + " is already retired");
        }
        return Calls.send("retiring token " + tokenId, dat.retire(tokenId)).getTransactionHash();
    }

    /**
     * Moves {@code tokenId} from the connected account, which must hold it, to {@code to}; returns the
     * transaction hash. From then on {@code to} is paid the file's revenue.
     */
    public String transfer(BigInteger tokenId, Address to) {
        if (to.isZero()) {
            throw new IllegalArgumentException("cannot send token " + tokenId + " to the zero address");
        }
        Address holder = holderOf(tokenId)
                .orElseThrow(() -> ChainException.notFound("token " + tokenId + " was never minted"));
        if (!holder.equals(chain.account())) {
            throw new ChainException("token " + tokenId + " is held by " + holder.value() + ", not by "
                    + chain.account().value() + ", so this account cannot transfer it");
        }
        return Calls.send("transferring token " + tokenId + " to " + to.value(), dat.transferToken(tokenId, to.value()))
                .getTransactionHash();
    }
}
