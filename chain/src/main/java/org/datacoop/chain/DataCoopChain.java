package org.datacoop.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.datacoop.chain.contracts.DataDaoToken;
import org.datacoop.chain.contracts.DataLiquidityPool;
import org.datacoop.chain.contracts.DataLiquidityPoolRegistry;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.contracts.TeePool;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.ContributedFile;
import org.datacoop.protocol.DataDao;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.IoFailures;
import org.datacoop.protocol.ProofData;
import org.datacoop.protocol.ValidationJob;
import org.datacoop.protocol.Validator;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameterName;
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
    private final Map<Long, Address> pools = new ConcurrentHashMap<>();

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

    /** The operator templates and data unions on the same connection. */
    public UnionChain unions() {
        return new UnionChain(chain, deployment);
    }

    /** The ownership registry on the same connection. */
    public OwnershipChain ownership() {
        return new OwnershipChain(chain, deployment);
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

    /** Fails naming {@code id} when there is no such DataDAO; cheaper than reading it. */
    public void requireDataDao(long id) {
        poolAddress(id);
    }

    /** DataDAO {@code id}; fails naming the id when there is no such DataDAO. */
    public DataDao dataDao(long id) {
        Address pool = poolAddress(id);
        DataLiquidityPool dlp = pool(id);
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
        return findValidator(address)
                .orElseThrow(() -> ChainException.notFound("no validator " + address + " is registered in the TeePool"));
    }

    /** Validator {@code address}, or empty when it was never registered. */
    public Optional<Validator> findValidator(Address address) {
        TeePool.TeeInfo info = Calls.send("reading TeePool.teeRecords(" + address + ")", teePool.teeRecords(address.value()));
        if (info.status.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Validator(
                address,
                info.url,
                info.rsaPublicKey,
                info.secp256k1PublicKey,
                info.enclaveType,
                Numeric.toHexString(info.measurement),
                info.status.intValueExact() == 1));
    }

    /**
     * Registers a validator, or a removed one again; the signing account must hold the pool's
     * maintainer role.
     */
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

    /**
     * Takes a validator out of the pool (maintainer only): it gets no new jobs and can prove nothing
     * more; the proofs it recorded while active still pay.
     */
    public String removeValidator(Address address) {
        return Calls.send("removing validator " + address, teePool.removeTee(address.value())).getTransactionHash();
    }

    /**
     * Adds a removed validator back (maintainer only), with the url, keys and enclave evidence of
     * {@code validator}; fails naming it when it was never registered or is still active.
     */
    public String readdValidator(Validator validator) {
        Validator known = validator(validator.address());
        if (known.active()) {
            throw new ChainException("validator " + validator.address() + " is active in the TeePool; only a removed one is added again");
        }
        return registerValidator(validator);
    }

    /**
     * Replaces this connection's validator's public keys in the TeePool (at least one: DER RSA, or a
     * 33- or 65-byte secp256k1 key); returns the transaction hash. Contributors wrap passwords to the
     * new keys from then on; a key another validator published is refused.
     */
    public String updateValidatorKeys(byte[] rsaPublicKey, byte[] secp256k1PublicKey) {
        return Calls.send("rotating the keys of validator " + chain.account(),
                teePool.updateTeeKeys(rsaPublicKey, secp256k1PublicKey)).getTransactionHash();
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
        List<DataRegistry.FileRecordedEventResponse> events = DataRegistry.getFileRecordedEvents(receipt);
        if (events.size() != 1) {
            throw new ChainException("registering " + url + " emitted " + events.size() + " FileRecorded events");
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

    /**
     * Takes the key of {@code fileId} away from {@code account} (owner only); returns the transaction
     * hash. Refused, naming why, before anything is sent: an unknown file, another owner's, or an
     * account that holds no key of it.
     */
    public String revokePermission(long fileId, Address account) {
        requireFileOwner(fileId, "revokes its keys");
        if (filePermission(fileId, account).length == 0) {
            throw new ChainException(account + " holds no key of file " + fileId + "; there is nothing to revoke");
        }
        return Calls.send("revoking the key of file " + fileId + " from " + account,
                registry.revokeFilePermission(BigInteger.valueOf(fileId), account.value())).getTransactionHash();
    }

    /** Fails, naming the owner, unless this connection's account owns {@code fileId}; fails naming an unknown file. */
    public ContributedFile requireFileOwner(long fileId, String who) {
        ContributedFile file = file(fileId);
        if (!file.owner().equals(chain.account())) {
            throw new ChainException(chain.account() + " does not own file " + fileId + "; its owner " + file.owner() + " " + who);
        }
        return file;
    }

    /**
     * The accounts the owner of {@code fileId} took its key away from and has not given it again:
     * those whose last permission event for the file is a {@code PermissionRevoked}.
     */
    public Set<Address> revokedFrom(long fileId) {
        // No key of a file is granted before the file is registered: its history starts at that block.
        List<Log> history = Calls.logs(chain, registry.getContractAddress(), file(fileId).addedAtBlock(), blockNumber(),
                filter -> {
                    filter.addOptionalTopics(EventEncoder.encode(DataRegistry.PERMISSIONGRANTED_EVENT),
                            EventEncoder.encode(DataRegistry.PERMISSIONREVOKED_EVENT));
                    filter.addSingleTopic(TypeEncoder.encode(new Uint256(fileId)));
                }, "reading the key history of file " + fileId);
        String revoked = EventEncoder.encode(DataRegistry.PERMISSIONREVOKED_EVENT);
        Set<Address> accounts = new LinkedHashSet<>();
        for (Log log : history) {
            Address account = Address.of(Numeric.toHexStringWithPrefixZeroPadded(
                    Numeric.toBigInt(log.getTopics().get(2)), 40));
            if (log.getTopics().get(0).equals(revoked)) {
                accounts.add(account);
            } else {
                accounts.remove(account);
            }
        }
        return accounts;
    }

    /**
     * The key of {@code fileId} wrapped to {@code account}; empty when it has none. Vana's clients
     * store a wrapped key as hex text (their permissions carry strings); that is decoded here, so
     * callers always get the wrapped bytes. Raw wrapped bytes (ECIES, RSA) are never all hex digits.
     */
    public byte[] filePermission(long fileId, Address account) {
        byte[] stored = Calls.send("reading the permission of " + account + " on file " + fileId,
                registry.filePermissions(BigInteger.valueOf(fileId), account.value()));
        String text = new String(stored, StandardCharsets.US_ASCII);
        String hex = text.startsWith("0x") ? text.substring(2) : text;
        boolean hexText = !hex.isEmpty() && hex.length() % 2 == 0
                && hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        return hexText ? HexFormat.of().parseHex(hex) : stored;
    }

    /** File {@code fileId}; fails naming it when there is none. */
    public ContributedFile file(long fileId) {
        DataRegistry.FileRecord record;
        try {
            // The record first, the count only when it is refused: one read per file instead of two.
            record = Calls.send("reading file " + fileId, registry.fileRecords(BigInteger.valueOf(fileId)));
        } catch (ChainException e) {
            if (e.isUnreachable()) {
                throw e;
            }
            long count = filesCount();
            if (fileId < 1 || fileId > count) {
                throw ChainException.notFound("there is no file " + fileId + " (" + count + " exist)");
            }
            throw e;
        }
        return new ContributedFile(fileId, Address.of(record.ownerAddress), record.url,
                HexFormat.of().formatHex(record.checksum), record.addedAtBlock.longValueExact());
    }

    /**
     * Every file {@code owner} registered, oldest first, found from the registry's {@code FileAdded}
     * events (Vana's shape: url and owner) joined with its {@code FileRecorded} events (the checksum).
     */
    public List<ContributedFile> filesOf(Address owner) {
        Map<Long, String> checksums = new HashMap<>();
        long head = blockNumber(); // one head for both scans, so each finds the same files
        for (Log log : ownerLogs(DataRegistry.FILERECORDED_EVENT, owner, head)) {
            DataRegistry.FileRecordedEventResponse event = DataRegistry.getFileRecordedEventFromLog(log);
            checksums.put(event.fileId.longValueExact(), HexFormat.of().formatHex(event.checksum));
        }
        List<ContributedFile> files = new ArrayList<>();
        for (Log log : ownerLogs(DataRegistry.FILEADDED_EVENT, owner, head)) {
            DataRegistry.FileAddedEventResponse event = DataRegistry.getFileAddedEventFromLog(log);
            long fileId = event.fileId.longValueExact();
            files.add(new ContributedFile(fileId, Address.of(event.ownerAddress), event.url, checksums.get(fileId),
                    event.log.getBlockNumber().longValueExact()));
        }
        return files;
    }

    private List<Log> ownerLogs(Event event, Address owner, long head) {
        return Calls.logs(chain, registry.getContractAddress(), deployment.deploymentBlock(), head, filter -> {
            filter.addSingleTopic(EventEncoder.encode(event));
            filter.addSingleTopic(null);
            filter.addSingleTopic(TypeEncoder.encode(new org.web3j.abi.datatypes.Address(owner.value())));
        }, "reading the files of " + owner);
    }

    /** Every job opened for {@code fileId}, oldest first. */
    @SuppressWarnings("unchecked")
    public List<ValidationJob> jobsOf(long fileId) {
        List<BigInteger> ids = Calls.send("reading the jobs of file " + fileId, teePool.fileJobIds(BigInteger.valueOf(fileId)));
        return ids.stream().map(id -> job(id.longValueExact())).toList();
    }

    /** Job {@code jobId}; fails naming it when there is none. */
    public ValidationJob job(long jobId) {
        return findJob(jobId).orElseThrow(() -> ChainException.notFound("there is no job " + jobId + " (" + jobsCount() + " exist)"));
    }

    /** Job {@code jobId}, or empty when the TeePool has no such job. */
    public Optional<ValidationJob> findJob(long jobId) {
        if (jobId < 1) {
            return Optional.empty();
        }
        TeePool.Job job;
        try {
            // The record first, the count only when it is refused: one read per job instead of two.
            job = Calls.send("reading job " + jobId, teePool.jobRecords(BigInteger.valueOf(jobId)));
        } catch (ChainException e) {
            if (e.isUnreachable() || jobId <= jobsCount()) {
                throw e;
            }
            return Optional.empty();
        }
        return Optional.of(new ValidationJob(jobId, job.fileId.longValueExact(), job.dlpId.longValueExact(),
                Numeric.toHexString(job.programDigest), job.rewardPerFile, job.bidAmount,
                Address.of(job.teeAddress), Address.of(job.payer), job.addedTimestamp.longValueExact(),
                ValidationJob.Status.values()[job.status.intValueExact()], job.failureReason));
    }

    /** Seconds after its request before an open job may be cancelled. */
    public long cancelDelaySeconds() {
        return Calls.send("reading TeePool.cancelDelay", teePool.cancelDelay()).longValueExact();
    }

    /** How many jobs the TeePool has opened; ids run from 1 to this. */
    public long jobsCount() {
        return Calls.send("reading TeePool.jobsCount", teePool.jobsCount()).longValueExact();
    }

    /** The job's current status (read with the rest of the job), for watchers that poll. */
    public ValidationJob.Status jobStatus(long jobId) {
        return job(jobId).status();
    }

    // ---- the validator's side

    /** The newest block number. */
    public long blockNumber() {
        return chain.blockNumber();
    }

    /** The newest block: its number and its timestamp in seconds (the clock contracts compare with). */
    public record Head(long number, long seconds) {}

    /** The newest block's number and time, read in one call. */
    public Head head() {
        try {
            var block = chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
            return new Head(block.getNumber().longValueExact(), block.getTimestamp().longValueExact());
        } catch (IOException e) {
            throw new ChainException("reading the newest block from " + chain.rpcUrl() + " failed: " + IoFailures.describe(e), e);
        }
    }

    /** The timestamp of the newest block, in seconds: the clock contracts compare with. */
    public long latestBlockSeconds() {
        try {
            return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                    .getTimestamp().longValueExact();
        } catch (IOException e) {
            throw new ChainException("reading the newest block from " + chain.rpcUrl() + " failed: " + IoFailures.describe(e), e);
        }
    }

    /**
     * The ids of jobs assigned to {@code validator} in blocks {@code fromBlock..toBlock}, oldest first.
     * {@code JobSubmitted} does not index the validator (Vana's event shape), so every job of the range
     * is read and those of other validators are dropped here.
     */
    public List<Long> jobsAssignedTo(Address validator, long fromBlock, long toBlock) {
        List<Long> ids = new ArrayList<>();
        for (Log log : Calls.logs(chain, teePool.getContractAddress(), fromBlock, toBlock,
                filter -> filter.addSingleTopic(EventEncoder.encode(TeePool.JOBSUBMITTED_EVENT)),
                "reading the jobs of " + validator)) {
            TeePool.JobSubmittedEventResponse event = TeePool.getJobSubmittedEventFromLog(log);
            if (Address.of(event.teeAddress).equals(validator)) {
                ids.add(event.jobId.longValueExact());
            }
        }
        return ids;
    }

    /** Sets this connection's validator's url in the TeePool; returns the transaction hash. */
    public String updateValidatorUrl(String url) {
        return Calls.send("setting the url of validator " + chain.account() + " to " + url, teePool.updateTeeUrl(url))
                .getTransactionHash();
    }

    /** What a transaction that recorded a proof returned. */
    public record ProofSubmission(long proofIndex, String txHash) {}

    /** Records {@code data} for {@code jobId} with the validator's EIP-712 {@code signature}. */
    public ProofSubmission addProof(long jobId, ProofData data, byte[] signature) {
        TransactionReceipt receipt = Calls.send("submitting the proof of job " + jobId,
                teePool.addProof(BigInteger.valueOf(jobId), new TeePool.ProofData(
                        data.score(), BigInteger.valueOf(data.dlpId()), Numeric.hexStringToByteArray(data.programDigest()),
                        data.metadata(), data.proofUrl(), data.instruction()), signature));
        List<TeePool.JobCompletedEventResponse> events = TeePool.getJobCompletedEvents(receipt);
        if (events.size() != 1) {
            throw new ChainException("submitting the proof of job " + jobId + " emitted " + events.size() + " JobCompleted events");
        }
        return new ProofSubmission(events.get(0).proofIndex.longValueExact(), receipt.getTransactionHash());
    }

    /** Ends {@code jobId} as failed with {@code reason}, readable on-chain; returns the transaction hash. */
    public String failJob(long jobId, String reason) {
        return Calls.send("failing job " + jobId, teePool.failJob(BigInteger.valueOf(jobId), reason)).getTransactionHash();
    }

    /** Cancels {@code jobId} (its payer only) so its fee can be claimed back; returns the transaction hash. */
    public String cancelJob(long jobId) {
        return Calls.send("cancelling job " + jobId, teePool.cancelJob(BigInteger.valueOf(jobId))).getTransactionHash();
    }

    /** Wei {@code account} can claim from the TeePool: fees earned, or refunds. */
    public BigInteger claimable(Address account) {
        return Calls.send("reading what " + account + " can claim", teePool.claimable(account.value()));
    }

    /** Claims everything this connection's account can claim from the TeePool; returns the transaction hash. */
    public String claim() {
        return Calls.send("claiming from the TeePool", teePool.claim()).getTransactionHash();
    }

    /**
     * The EIP-712 digest the TeePool checks for {@code data} on {@code jobId} of {@code file} by
     * {@code validator}, computed here from what the caller has read (no call to the node).
     */
    public byte[] proofDigest(ContributedFile file, long jobId, Address validator, ProofData data) {
        return ContributionProofDigest.of(chain.chainId(), teePool.getContractAddress(), file.id(), jobId,
                HexFormat.of().parseHex(file.checksum()), validator, data);
    }

    /** The same digest as the TeePool computes it, to check {@link #proofDigest} against. */
    public byte[] proofDigestOnChain(long jobId, Address validator, ProofData data) {
        return Calls.send("reading TeePool.proofDigest", teePool.proofDigest(BigInteger.valueOf(jobId), validator.value(),
                new TeePool.ProofData(data.score(), BigInteger.valueOf(data.dlpId()),
                        Numeric.hexStringToByteArray(data.programDigest()), data.metadata(), data.proofUrl(), data.instruction())));
    }

    /** Every proof recorded for {@code fileId}, by index. */
    public List<FileProof> proofsOf(long fileId) {
        long count = Calls.send("counting the proofs of file " + fileId, registry.fileProofsCount(BigInteger.valueOf(fileId)))
                .longValueExact();
        List<FileProof> proofs = new ArrayList<>();
        for (long index = 1; index <= count; index++) { // numbered from 1, as Vana numbers proofs
            DataRegistry.FileProof p = Calls.send("reading proof " + index + " of file " + fileId,
                    registry.fileProofRecords(BigInteger.valueOf(fileId), BigInteger.valueOf(index)));
            proofs.add(new FileProof(fileId, index, p.jobId.longValueExact(), Address.of(p.validator),
                    new ProofData(p.score, p.dlpId.longValueExact(), Numeric.toHexString(p.programDigest), p.metadata,
                            p.proofUrl, p.instruction),
                    p.signature, p.addedAtBlock.longValueExact()));
        }
        return proofs;
    }

    /**
     * The files with a proof for DataDAO {@code dlpId} scoring above zero (those its refiners refine),
     * each once, in the order they were first proved.
     */
    public List<Long> provedFiles(long dlpId) {
        requireDataDao(dlpId);
        return Calls.logs(chain, registry.getContractAddress(), deployment.deploymentBlock(), blockNumber(), filter -> {
                    filter.addSingleTopic(EventEncoder.encode(DataRegistry.PROOFADDED_EVENT));
                    filter.addSingleTopic(null);
                    filter.addSingleTopic(null);
                    filter.addSingleTopic(TypeEncoder.encode(new Uint256(dlpId)));
                }, "reading the proofs for DataDAO " + dlpId).stream()
                .map(DataRegistry::getProofAddedEventFromLog)
                .filter(event -> event.score.signum() > 0)
                .map(event -> event.fileId.longValueExact())
                .distinct()
                .toList();
    }

    // ---- DataDAOs and rewards

    /** What a transaction that paid a reward returned. */
    public record Reward(BigInteger amount, String txHash) {}

    /** Asks DataDAO {@code dlpId} to pay the reward of {@code fileId} for its proof {@code proofIndex}. */
    public Reward requestReward(long dlpId, long fileId, long proofIndex) {
        TransactionReceipt receipt = Calls.send("requesting the reward of file " + fileId,
                pool(dlpId).requestReward(BigInteger.valueOf(fileId), BigInteger.valueOf(proofIndex)));
        List<DataLiquidityPool.RewardRequestedEventResponse> events = DataLiquidityPool.getRewardRequestedEvents(receipt);
        if (events.size() != 1) {
            throw new ChainException("requesting the reward of file " + fileId + " emitted " + events.size()
                    + " RewardRequested events");
        }
        return new Reward(events.get(0).rewardAmount, receipt.getTransactionHash());
    }

    /** The reward DataDAO {@code dlpId} paid for {@code fileId}; zero when none yet. */
    public BigInteger rewardPaid(long dlpId, long fileId) {
        return Calls.send("reading the reward of file " + fileId, pool(dlpId).fileRewards(BigInteger.valueOf(fileId)));
    }

    /** {@code owner}'s balance of the ERC-20 {@code token}, in its smallest unit. */
    public BigInteger tokenBalance(Address token, Address owner) {
        return Calls.send("reading the token balance of " + owner,
                DataDaoToken.load(token.value(), chain.web3j(), chain.transactions(), chain.gas()).balanceOf(owner.value()));
    }

    /** What a transaction that created a DataDAO returned. */
    public record CreatedDataDao(long id, Address pool, Address token, String txHash) {}

    /** Creates a DataDAO owned by this connection's account, its whole token supply its reward budget. */
    public CreatedDataDao createDataDao(String name, String tokenName, String tokenSymbol, BigInteger rewardBudget,
            BigInteger rewardPerFile, byte[] programDigest, String programUrl) {
        TransactionReceipt receipt = Calls.send("creating DataDAO " + name,
                dlps.createDataLiquidityPool(new DataLiquidityPoolRegistry.DataDaoParams(
                        name, tokenName, tokenSymbol, rewardBudget, rewardPerFile, programDigest, programUrl)));
        var events = DataLiquidityPoolRegistry.getDataLiquidityPoolCreatedEvents(receipt);
        if (events.size() != 1) {
            throw new ChainException("creating DataDAO " + name + " emitted " + events.size() + " DataLiquidityPoolCreated events");
        }
        var event = events.get(0);
        return new CreatedDataDao(event.dlpId.longValueExact(), Address.of(event.pool), Address.of(event.token),
                receipt.getTransactionHash());
    }

    /** The program a DataDAO pinned: its SHA-256 ({@code 0x}-hex) and where it is published. */
    public record Program(String digest, String url) {}

    /**
     * The program {@code job} must be proved with: the digest pinned to the job when it was requested,
     * and the url its DataDAO published that program at. A job requested before the DataDAO pinned
     * another program keeps its own: its url is found in the DataDAO's {@code ProgramUpdated} events
     * (also emitted at creation). When none names the digest, the current url, whose other bytes a
     * validator then refuses.
     */
    public Program programOf(ValidationJob job) {
        DataLiquidityPool pool = pool(job.dlpId());
        String current = Calls.send("reading the program url of DataDAO " + job.dlpId(), pool.programUrl());
        byte[] pinned = Numeric.hexStringToByteArray(job.programDigest());
        if (Arrays.equals(pinned, Calls.send("reading the program of DataDAO " + job.dlpId(), pool.programDigest()))) {
            return new Program(job.programDigest(), current);
        }
        String url = current;
        for (Log log : Calls.logs(chain, pool.getContractAddress(), deployment.deploymentBlock(), blockNumber(),
                filter -> filter.addSingleTopic(EventEncoder.encode(DataLiquidityPool.PROGRAMUPDATED_EVENT)),
                "reading the programs of DataDAO " + job.dlpId())) {
            DataLiquidityPool.ProgramUpdatedEventResponse event = DataLiquidityPool.getProgramUpdatedEventFromLog(log);
            if (Arrays.equals(pinned, event.programDigest)) {
                url = event.programUrl;
            }
        }
        return new Program(job.programDigest(), url);
    }

    /** Pins a new program for DataDAO {@code dlpId}'s future jobs (its owner only); returns the transaction hash. */
    public String updateProgram(long dlpId, byte[] programDigest, String programUrl) {
        return Calls.send("pinning a new program for DataDAO " + dlpId, pool(dlpId).updateProgram(programDigest, programUrl))
                .getTransactionHash();
    }

    /**
     * Sets what DataDAO {@code dlpId} pays for a file scored 1, in its token's smallest unit, for jobs
     * requested from now on (its owner only); a cut applies only after the DataDAO's delay
     * ({@link #pendingRewardPerFile}).
     */
    public String updateRewardPerFile(long dlpId, BigInteger rewardPerFile) {
        return Calls.send("setting the reward per file of DataDAO " + dlpId, pool(dlpId).updateRewardPerFile(rewardPerFile))
                .getTransactionHash();
    }

    /** A cut of a DataDAO's reward per file not yet applied: the reward, and when it applies (epoch seconds). */
    public record PendingReward(BigInteger rewardPerFile, long effectiveAtSeconds) {}

    /** The cut of DataDAO {@code dlpId}'s reward per file waiting for its delay, if any. */
    public Optional<PendingReward> pendingRewardPerFile(long dlpId) {
        var pending = Calls.send("reading the pending reward of DataDAO " + dlpId, pool(dlpId).pendingRewardPerFile());
        return pending.component2().signum() == 0 ? Optional.empty()
                : Optional.of(new PendingReward(pending.component1(), pending.component2().longValueExact()));
    }

    private DataLiquidityPool pool(long dlpId) {
        return DataLiquidityPool.load(poolAddress(dlpId).value(), chain.web3j(), chain.transactions(), chain.gas());
    }

    /** A DataDAO's pool contract, looked up once: a DataDAO never moves. */
    private Address poolAddress(long dlpId) {
        Address known = pools.get(dlpId);
        if (known != null) {
            return known;
        }
        Address pool = dlpId < 1 ? Address.ZERO
                : Address.of(Calls.send("looking up DataDAO " + dlpId, dlps.dlps(BigInteger.valueOf(dlpId))));
        if (pool.isZero()) {
            throw ChainException.notFound("there is no DataDAO with id " + dlpId + " (" + dataDaoCount() + " exist)");
        }
        pools.put(dlpId, pool);
        return pool;
    }
}
