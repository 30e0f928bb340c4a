package org.datacoop.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.datacoop.chain.contracts.DataDaoToken;
import org.datacoop.chain.contracts.DataLiquidityPool;
import org.datacoop.chain.contracts.DataLiquidityPoolRegistry;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.contracts.TeePool;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.Validator;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
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

    // ---- validators

    /** Whether any validator receives new jobs. */
    public boolean hasActiveValidator() {
        return !Calls.send("reading TeePool.activeTees", teePool.activeTees()).isEmpty();
    }

    /** Validator {@code address}; fails naming it when it was never registered. */
    public Validator validator(Address address) {
        TeePool.TeeInfo info = Calls.send("reading TeePool.tees(" + address + ")", teePool.tees(address.value()));
        if (info.status.signum() == 0) {
            throw new ChainException("no validator " + address + " is registered in the TeePool");
        }
        return new Validator(
                address,
                info.url,
                info.rsaPublicKey,
                info.secp256k1PublicKey,
                info.enclaveType,
                Numeric.toHexString(info.measurement),
                info.status.intValueExact() == 1);
    }

    /** Registers a validator; the signing account must hold the pool's maintainer role. */
    public String registerValidator(Validator validator) {
        TransactionReceipt receipt = Calls.send(
                "registering validator " + validator.address(),
                teePool.addTee(
                        validator.address().value(),
                        validator.url(),
                        validator.rsaPublicKey(),
                        validator.secp256k1PublicKey(),
                        validator.enclaveType(),
                        Numeric.hexStringToByteArray(validator.measurement())));
        return receipt.getTransactionHash();
    }

    public boolean isRegisteredValidator(Address address) {
        return Calls.send("reading TeePool.tees(" + address + ")", teePool.tees(address.value())).status.signum() != 0;
    }

    // ---- files and jobs

    /** What a transaction that registered a file returned. */
    public record FileRegistration(long fileId, String txHash) {}

    /** What a transaction that opened a validation job returned. */
    public record JobRequest(long jobId, Address validator, BigInteger bidWei, String txHash) {}

    /** The id of the file {@code owner} registered under {@code url}, if any. */
    public OptionalLong fileIdByUrl(Address owner, String url) {
        long id = Calls.send("reading DataRegistry.fileIdByUrl", registry.fileIdByUrl(owner.value(), url)).longValueExact();
        return id == 0 ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** Registers a file owned by this connection's account. */
    public FileRegistration addFile(String url, byte[] checksum) {
        TransactionReceipt receipt = Calls.send("registering " + url, registry.addFile(url, checksum));
        List<DataRegistry.FileAddedEventResponse> events = DataRegistry.getFileAddedEvents(receipt);
        if (events.size() != 1) {
            throw new ChainException("registering " + url + " emitted " + events.size() + " FileAdded events");
        }
        return new FileRegistration(events.get(0).fileId.longValueExact(), receipt.getTransactionHash());
    }

    /** Pays {@code feeWei} for validating {@code fileId} for DataDAO {@code dlpId}. */
    public JobRequest requestContributionProof(long fileId, long dlpId, BigInteger feeWei) {
        TransactionReceipt receipt = Calls.send(
                "requesting a validation of file " + fileId,
                teePool.requestContributionProof(BigInteger.valueOf(fileId), BigInteger.valueOf(dlpId), feeWei));
        List<TeePool.JobSubmittedEventResponse> events = TeePool.getJobSubmittedEvents(receipt);
        if (events.size() != 1) {
            throw new ChainException("requesting a validation of file " + fileId + " emitted " + events.size()
                    + " JobSubmitted events");
        }
        TeePool.JobSubmittedEventResponse event = events.get(0);
        return new JobRequest(event.jobId.longValueExact(), Address.of(event.teeAddress), event.bidAmount,
                receipt.getTransactionHash());
    }

    /** Gives {@code account} the key of {@code fileId} (owner only); returns the transaction hash. */
    public String grantPermission(long fileId, Address account, byte[] wrappedKey) {
        return Calls.send("sharing the key of file " + fileId + " with " + account,
                        registry.addFilePermission(BigInteger.valueOf(fileId), account.value(), wrappedKey))
                .getTransactionHash();
    }

    /** The key of {@code fileId} wrapped to {@code account}; empty when it has none. */
    public byte[] filePermission(long fileId, Address account) {
        return Calls.send("reading the permission of " + account + " on file " + fileId,
                registry.filePermissions(BigInteger.valueOf(fileId), account.value()));
    }

    /** File {@code fileId}; fails naming it when there is none. */
    public ContributedFile file(long fileId) {
        DataRegistry.FileRecord record = Calls.send("reading file " + fileId, registry.files(BigInteger.valueOf(fileId)));
        return new ContributedFile(fileId, Address.of(record.ownerAddress), record.url,
                HexFormat.of().formatHex(record.checksum), record.addedAtBlock.longValueExact());
    }

    /** Every file {@code owner} registered, oldest first, found from the registry's FileAdded events. */
    public List<ContributedFile> filesOf(Address owner) {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                registry.getContractAddress());
        filter.addSingleTopic(EventEncoder.encode(DataRegistry.FILEADDED_EVENT));
        filter.addSingleTopic(null);
        filter.addSingleTopic(TypeEncoder.encode(new org.web3j.abi.datatypes.Address(owner.value())));
        List<ContributedFile> files = new ArrayList<>();
        try {
            for (EthLog.LogResult<?> result : chain.web3j().ethGetLogs(filter).send().getLogs()) {
                DataRegistry.FileAddedEventResponse event = DataRegistry.getFileAddedEventFromLog((Log) result.get());
                files.add(new ContributedFile(event.fileId.longValueExact(), Address.of(event.ownerAddress), event.url,
                        HexFormat.of().formatHex(event.checksum), event.log.getBlockNumber().longValueExact()));
            }
        } catch (IOException e) {
            throw new ChainException("reading the files of " + owner + " failed: " + e.getMessage(), e);
        }
        return files;
    }

    /** Every job opened for {@code fileId}, oldest first. */
    @SuppressWarnings("unchecked")
    public List<ValidationJob> jobsOf(long fileId) {
        List<BigInteger> ids = Calls.send("reading the jobs of file " + fileId, teePool.fileJobIds(BigInteger.valueOf(fileId)));
        return ids.stream().map(id -> job(id.longValueExact())).toList();
    }

    /** Job {@code jobId}; fails naming it when there is none. */
    public ValidationJob job(long jobId) {
        TeePool.Job job = Calls.send("reading job " + jobId, teePool.jobs(BigInteger.valueOf(jobId)));
        return new ValidationJob(jobId, job.fileId.longValueExact(), job.dlpId.longValueExact(), job.bidAmount,
                Address.of(job.teeAddress), Address.of(job.payer), job.addedTimestamp.longValueExact(),
                ValidationJob.Status.values()[job.status.intValueExact()], job.failureReason);
    }
}
