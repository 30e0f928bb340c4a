package org.datacoop.chain;

import java.math.BigInteger;
import org.datacoop.chain.contracts.DataDaoToken;
import org.datacoop.chain.contracts.DataLiquidityPool;
import org.datacoop.chain.contracts.DataLiquidityPoolRegistry;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.contracts.TeePool;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.DataDao;
import org.web3j.utils.Numeric;

/**
 * DataCoop's contracts on one chain, read and written through the generated bindings. This is the
 * one place where binding types are mapped to protocol records.
 */
public final class DataCoopChain {
    private final ChainConnection chain;
    private final Deployment deployment;
    private final DataRegistry registry;
    private final TeePool teePool;
    private final DataLiquidityPoolRegistry dlps;

    public DataCoopChain(ChainConnection chain, Deployment deployment) {
        if (chain.chainId() != deployment.chainId()) {
            throw new ChainException("the node at " + chain.rpcUrl() + " is chain " + chain.chainId()
                    + " but the deployment is for chain " + deployment.chainId());
        }
        this.chain = chain;
        this.deployment = deployment;
        this.registry = DataRegistry.load(
                deployment.address(Deployment.DATA_REGISTRY).value(), chain.web3j(), chain.transactions(), chain.gas());
        this.teePool = TeePool.load(
                deployment.address(Deployment.TEE_POOL).value(), chain.web3j(), chain.transactions(), chain.gas());
        this.dlps = DataLiquidityPoolRegistry.load(
                deployment.address(Deployment.DLP_REGISTRY).value(), chain.web3j(), chain.transactions(), chain.gas());
    }

    public Deployment deployment() {
        return deployment;
    }

    /** Whether every contract of the deployment has code on this chain (false after a chain reset). */
    public boolean isDeployed() {
        return deployment.contracts().values().stream().map(Address::of).allMatch(chain::hasCode);
    }

    public long filesCount() {
        return Calls.send("reading DataRegistry.filesCount", registry.filesCount()).longValueExact();
    }

    public BigInteger teeFee() {
        return Calls.send("reading TeePool.teeFee", teePool.teeFee());
    }

    public long dataDaoCount() {
        return Calls.send("reading DataLiquidityPoolRegistry.dlpsCount", dlps.dlpsCount()).longValueExact();
    }

    /** DataDAO {@code id}; fails naming the id when there is no such DataDAO. */
    public DataDao dataDao(long id) {
        Address pool = Address.of(Calls.send("looking up DataDAO " + id, dlps.dlps(BigInteger.valueOf(id))));
        if (pool.isZero()) {
            throw new ChainException("there is no DataDAO with id " + id + " (" + dataDaoCount() + " exist)");
        }
        DataLiquidityPool dlp = DataLiquidityPool.load(pool.value(), chain.web3j(), chain.transactions(), chain.gas());
        Address token = Address.of(Calls.send("reading the token of DataDAO " + id, dlp.token()));
        DataDaoToken erc20 = DataDaoToken.load(token.value(), chain.web3j(), chain.transactions(), chain.gas());
        return new DataDao(
                id,
                Calls.send("reading the name of DataDAO " + id, dlp.name()),
                pool,
                Address.of(Calls.send("reading the owner of DataDAO " + id, dlp.owner())),
                token,
                Calls.send("reading the token symbol of DataDAO " + id, erc20.symbol()),
                Calls.send("reading the reward of DataDAO " + id, dlp.rewardPerFile()),
                Numeric.toHexString(Calls.send("reading the program of DataDAO " + id, dlp.programDigest())),
                Calls.send("reading the program url of DataDAO " + id, dlp.programUrl()),
                Calls.send("reading the budget of DataDAO " + id, erc20.balanceOf(pool.value())));
    }
}
