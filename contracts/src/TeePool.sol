// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDataRegistry} from "./interfaces/IDataRegistry.sol";
import {ITeePool} from "./interfaces/ITeePool.sol";
import {IVanaTeePool} from "./interfaces/vana/IVanaTeePool.sol";
import {ILazaiVerifiedComputing} from "./interfaces/lazai/ILazaiVerifiedComputing.sol";
import {RsaPublicKeyPem} from "./libraries/RsaPublicKeyPem.sol";
import {HexText} from "./libraries/HexText.sol";
import {IDataLiquidityPoolRegistry} from "./interfaces/IDataLiquidityPoolRegistry.sol";
import {IDataLiquidityPool} from "./interfaces/IDataLiquidityPool.sol";
import {Rewards} from "./libraries/Rewards.sol";

/// @title TeePool
/// @notice The validator pool. Differences from the peers' pools, each deliberate:
///  - a proof is accepted only from the job's assigned validator, once, with an EIP-712 signature
///    (domain: chain id and this contract) over the file, job, encrypted checksum, score, DataDAO,
///    program and validator; each digest is consumed once;
///  - a job names its DataDAO and pins the program that DataDAO had when the job was paid for; a
///    proof must be for both, and from a validator active when it proves. That is where a proof's
///    validity is decided, once: the DataDAO pays for what the registry recorded, so neither its owner
///    changing the program nor a maintainer removing the validator afterwards takes a reward away;
///  - a file has at most one open job, or one completed with a score above zero, per DataDAO, so
///    nobody can shop for the best of several proofs, yet a file scored zero can be validated again;
///  - the cancel delay is in seconds and compared with `block.timestamp`; a cancel zeroes the bid
///    before crediting it, so it pays once;
///  - fees and refunds are pull payments through `claim`, which is non-reentrant;
///  - no two validators share a key, and a key a validator rotated away from stays reserved to it;
///  - Vana's `requestContributionProof(fileId)` names no DataDAO: the job is for the one DataDAO whose
///    pool address the owner shared the file's key with (as Vana's clients grant it), never a guess;
///  - LazAI's `requestProof(fileId)` binds it the same way, and since LazAI's clients share no key
///    on-chain (they send it to the validator), otherwise to the deployment's default DataDAO, which
///    the admin names (`setDefaultDlpId`); with none it is refused rather than guessed;
///  - LazAI's `getNode` shows the validator's RSA key as the PKCS#1 PEM alith reads, derived from the
///    DER SubjectPublicKeyInfo stored here, so one key is published once.
contract TeePool is ITeePool, AccessControl, ReentrancyGuard, EIP712 {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @dev A job as stored: five slots where a `Job` takes nine. A bid over 2^96 wei, an id over 2^64
    ///      or a timestamp past 2^40 s is refused, never wrapped. A file's jobs are chained through
    ///      `previousJobOfFile` instead of a list per file.
    struct StoredJob {
        address payer;
        uint96 bidAmount;
        address teeAddress;
        uint40 addedTimestamp;
        JobStatus status;
        uint64 fileId;
        uint64 dlpId;
        uint64 previousJobOfFile;
        bytes32 programDigest;
        uint256 rewardPerFile;
    }

    /// @notice Role that registers and removes validators.
    bytes32 public constant MAINTAINER_ROLE = keccak256("MAINTAINER_ROLE");

    /// @notice Scores are fixed point with 18 decimals: 1e18 is a perfect score.
    uint256 public constant MAX_SCORE = 1e18;

    /// @notice EIP-712 type of the proof a validator signs.
    bytes32 public constant CONTRIBUTION_PROOF_TYPEHASH = keccak256(
        "ContributionProof(uint256 fileId,uint256 jobId,bytes32 encryptedChecksum,uint256 score,uint256 dlpId,"
        "bytes32 programDigest,address validator,string metadata,string proofUrl,string instruction)"
    );

    IDataRegistry public immutable dataRegistry;
    IDataLiquidityPoolRegistry public immutable dlpRegistry;

    uint256 private _teeFee;
    uint256 private _cancelDelay;
    uint256 private _nextTee;
    uint256 private _defaultDlpId;
    EnumerableSet.AddressSet private _activeTees;
    mapping(address tee => TeeInfo info) private _tees;
    mapping(bytes32 keyHash => address tee) private _keyOwners;
    StoredJob[] private _jobs;
    mapping(uint256 jobId => string reason) private _failureReasons;
    mapping(uint256 fileId => uint256 jobId) private _lastJobOfFile;
    mapping(uint256 fileId => mapping(uint256 dlpId => uint256 jobId)) private _liveJob;
    mapping(bytes32 digest => bool consumed) private _consumedDigests;
    mapping(address account => uint256 amount) private _claimable;
    mapping(address tee => uint256 amount) private _earned;
    mapping(address account => uint256 amount) private _withdrawn;

    /// @param admin holds the admin and maintainer roles at first
    /// @param registry the file registry proofs are recorded in
    /// @param dlps the registry of DataDAOs jobs are requested for
    /// @param initialTeeFee fee per job, in wei
    /// @param initialCancelDelay seconds before an unfinished job may be cancelled
    constructor(
        address admin,
        IDataRegistry registry,
        IDataLiquidityPoolRegistry dlps,
        uint256 initialTeeFee,
        uint256 initialCancelDelay
    ) EIP712("DataCoop TeePool", "1") {
        if (admin == address(0) || address(registry) == address(0) || address(dlps) == address(0)) {
            revert TeePoolZeroAddress();
        }
        dataRegistry = registry;
        dlpRegistry = dlps;
        _teeFee = initialTeeFee;
        _cancelDelay = initialCancelDelay;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MAINTAINER_ROLE, admin);
    }

    /// @inheritdoc ITeePool
    function addTee(
        address teeAddress,
        string calldata url,
        bytes calldata rsaPublicKey,
        bytes calldata secp256k1PublicKey,
        string calldata enclaveType,
        bytes32 measurement
    ) external onlyRole(MAINTAINER_ROLE) {
        if (teeAddress == address(0)) revert TeePoolZeroAddress();
        // A removed validator may come back (a node moved, or its enclave was re-attested).
        if (_tees[teeAddress].status == TeeStatus.Active) revert TeePoolTeeAlreadyActive(teeAddress);
        _checkKeys(rsaPublicKey, secp256k1PublicKey, teeAddress);
        _tees[teeAddress] = TeeInfo({
            teeAddress: teeAddress,
            url: url,
            rsaPublicKey: rsaPublicKey,
            secp256k1PublicKey: secp256k1PublicKey,
            enclaveType: enclaveType,
            measurement: measurement,
            status: TeeStatus.Active,
            jobsCount: _tees[teeAddress].jobsCount
        });
        _activeTees.add(teeAddress);
        emit TeeAdded(teeAddress, url, enclaveType, measurement);
        // Its keys too, so a client follows every validator's keys from one event.
        emit TeeKeysUpdated(teeAddress, rsaPublicKey, secp256k1PublicKey);
    }

    /// @inheritdoc ITeePool
    function updateTeeKeys(bytes calldata rsaPublicKey, bytes calldata secp256k1PublicKey) external {
        if (!isActiveTee(msg.sender)) revert TeePoolNotActiveTee(msg.sender);
        TeeInfo storage info = _tees[msg.sender];
        _releaseKeys(info);
        _checkKeys(rsaPublicKey, secp256k1PublicKey, msg.sender);
        info.rsaPublicKey = rsaPublicKey;
        info.secp256k1PublicKey = secp256k1PublicKey;
        emit TeeKeysUpdated(msg.sender, rsaPublicKey, secp256k1PublicKey);
    }

    /// @inheritdoc ITeePool
    function removeTee(address teeAddress) external onlyRole(MAINTAINER_ROLE) {
        if (!_activeTees.remove(teeAddress)) revert TeePoolNotActiveTee(teeAddress);
        _tees[teeAddress].status = TeeStatus.Removed;
        // A validator that squatted on another's key loses it with its place; a re-add claims its keys again.
        _releaseKeys(_tees[teeAddress]);
        emit TeeRemoved(teeAddress);
    }

    /// @inheritdoc ITeePool
    function updateTeeUrl(string calldata url) external {
        if (!isActiveTee(msg.sender)) revert TeePoolNotActiveTee(msg.sender);
        _tees[msg.sender].url = url;
        emit TeeUrlUpdated(msg.sender, url);
    }

    /// @notice Sets the fee per job; admin only. Jobs already paid keep their bid.
    function updateTeeFee(uint256 newTeeFee) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _teeFee = newTeeFee;
        emit TeeFeeUpdated(newTeeFee);
    }

    /// @notice Sets the cancel delay in seconds; admin only.
    function updateCancelDelay(uint256 newCancelDelay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _cancelDelay = newCancelDelay;
        emit CancelDelayUpdated(newCancelDelay);
    }

    /// @inheritdoc ITeePool
    function setDefaultDlpId(uint256 dlpId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (dlpId != 0 && dlpRegistry.dlps(dlpId) == address(0)) revert TeePoolUnknownDataDao(dlpId);
        _defaultDlpId = dlpId;
        emit DefaultDlpSet(dlpId);
    }

    /// @inheritdoc ITeePool
    function defaultDlpId() external view returns (uint256) {
        return _defaultDlpId;
    }

    /// @inheritdoc ITeePool
    function teeRecords(address teeAddress) external view returns (TeeInfo memory) {
        return _tees[teeAddress];
    }

    /// @inheritdoc IVanaTeePool
    function tees(address teeAddress) external view returns (VanaTee memory) {
        TeeInfo storage info = _tees[teeAddress];
        bytes memory key = info.secp256k1PublicKey;
        return VanaTee({
            teeAddress: info.teeAddress,
            url: info.url,
            status: uint8(info.status),
            amount: _earned[teeAddress],
            withdrawnAmount: _withdrawn[teeAddress],
            jobsCount: info.jobsCount,
            publicKey: key.length == 0 ? "" : HexText.toHex(key)
        });
    }

    /// @inheritdoc ILazaiVerifiedComputing
    function getNode(address nodeAddress) external view returns (LazaiNode memory) {
        TeeInfo storage info = _tees[nodeAddress];
        return LazaiNode({
            nodeAddress: info.teeAddress,
            url: info.url,
            status: uint8(info.status),
            amount: _earned[nodeAddress],
            jobsCount: info.jobsCount,
            publicKey: RsaPublicKeyPem.fromSubjectPublicKeyInfo(info.rsaPublicKey)
        });
    }

    /// @inheritdoc ILazaiVerifiedComputing
    function nodeList() external view returns (address[] memory) {
        return _activeTees.values();
    }

    /// @inheritdoc ILazaiVerifiedComputing
    function isNode(address nodeAddress) external view returns (bool) {
        return isActiveTee(nodeAddress);
    }

    /// @inheritdoc ILazaiVerifiedComputing
    function nodeFee() external view returns (uint256) {
        return _teeFee;
    }

    /// @inheritdoc ITeePool
    function activeTees() external view returns (address[] memory) {
        return _activeTees.values();
    }

    /// @inheritdoc ITeePool
    function isActiveTee(address teeAddress) public view returns (bool) {
        return _activeTees.contains(teeAddress);
    }

    /// @inheritdoc ITeePool
    function teeFee() external view returns (uint256) {
        return _teeFee;
    }

    /// @inheritdoc ITeePool
    function cancelDelay() external view returns (uint256) {
        return _cancelDelay;
    }

    /// @inheritdoc ITeePool
    function requestContributionProof(uint256 fileId, uint256 dlpId) external payable returns (uint256 jobId) {
        _requireFileOwner(fileId);
        return _submit(fileId, dlpId, address(0));
    }

    /// @inheritdoc IVanaTeePool
    function requestContributionProof(uint256 fileId) external payable returns (uint256 jobId) {
        _requireFileOwner(fileId);
        (uint256 dlpId, address keyHolder) = _sharedWith(fileId);
        if (dlpId == 0) revert TeePoolNoDataDaoShared(fileId);
        return _submit(fileId, dlpId, keyHolder);
    }

    /// @inheritdoc ILazaiVerifiedComputing
    function requestProof(uint256 fileId) external payable {
        _requireFileOwner(fileId);
        (uint256 dlpId, address keyHolder) = _sharedWith(fileId);
        if (dlpId == 0) dlpId = _defaultDlpId;
        if (dlpId == 0) revert TeePoolNoDefaultDataDao(fileId);
        _submit(fileId, dlpId, keyHolder);
    }

    /// @inheritdoc ITeePool
    function jobRecords(uint256 jobId) external view returns (Job memory) {
        StoredJob storage job = _job(jobId);
        return Job({
            fileId: job.fileId,
            dlpId: job.dlpId,
            programDigest: job.programDigest,
            rewardPerFile: job.rewardPerFile,
            bidAmount: job.bidAmount,
            teeAddress: job.teeAddress,
            payer: job.payer,
            addedTimestamp: job.addedTimestamp,
            status: job.status,
            failureReason: _failureReasons[jobId]
        });
    }

    /// @inheritdoc ITeePool
    function jobRewardPerFile(uint256 jobId) external view returns (uint256) {
        return _job(jobId).rewardPerFile;
    }

    /// @inheritdoc IVanaTeePool
    function jobs(uint256 jobId) external view returns (VanaJob memory) {
        StoredJob storage job = _job(jobId);
        return VanaJob({
            fileId: job.fileId,
            bidAmount: job.bidAmount,
            status: _peerStatus(job.status),
            addedTimestamp: job.addedTimestamp,
            ownerAddress: job.payer,
            teeAddress: job.teeAddress
        });
    }

    /// @inheritdoc ILazaiVerifiedComputing
    function getJob(uint256 jobId) external view returns (LazaiJob memory) {
        StoredJob storage job = _job(jobId);
        return LazaiJob({
            fileId: job.fileId,
            bidAmount: job.bidAmount,
            status: _peerStatus(job.status),
            addedTimestamp: job.addedTimestamp,
            ownerAddress: job.payer,
            nodeAddress: job.teeAddress
        });
    }

    /// @inheritdoc ITeePool
    function jobsCount() external view returns (uint256) {
        return _jobs.length;
    }

    /// @inheritdoc ITeePool
    function fileJobIds(uint256 fileId) external view returns (uint256[] memory) {
        uint256 count = 0;
        for (uint256 id = _lastJobOfFile[fileId]; id != 0; id = _jobs[id - 1].previousJobOfFile) {
            count++;
        }
        uint256[] memory ids = new uint256[](count);
        for (uint256 id = _lastJobOfFile[fileId]; id != 0; id = _jobs[id - 1].previousJobOfFile) {
            ids[--count] = id; // oldest first
        }
        return ids;
    }

    /// @inheritdoc ITeePool
    function proofDigest(uint256 jobId, address validator, ProofData calldata data) public view returns (bytes32) {
        return _digest(_job(jobId).fileId, jobId, validator, data);
    }

    /// @inheritdoc ITeePool
    function recordedProofDigest(uint256 fileId, IDataRegistry.FileProof calldata proof)
        external
        view
        returns (bytes32)
    {
        ProofData memory data = ProofData({
            score: proof.score,
            dlpId: proof.dlpId,
            programDigest: proof.programDigest,
            metadata: proof.metadata,
            proofUrl: proof.proofUrl,
            instruction: proof.instruction
        });
        return _digest(fileId, proof.jobId, proof.validator, data);
    }

    /// @inheritdoc ITeePool
    function addProof(uint256 jobId, ProofData calldata data, bytes calldata signature)
        external
        nonReentrant
        returns (uint256 proofIndex)
    {
        StoredJob storage job = _assignedJob(jobId);
        if (!isActiveTee(msg.sender)) revert TeePoolNotActiveTee(msg.sender);
        if (data.dlpId != job.dlpId) revert TeePoolProofWrongDataDao(jobId, data.dlpId);
        if (data.programDigest != job.programDigest) {
            revert TeePoolProofWrongProgram(jobId, data.programDigest, job.programDigest);
        }
        if (data.score > MAX_SCORE) revert TeePoolScoreOutOfRange(data.score);
        bytes32 digest = proofDigest(jobId, msg.sender, data);
        if (_consumedDigests[digest]) revert TeePoolProofAlreadyUsed(digest);
        address signer = ECDSA.recover(digest, signature);
        if (signer != msg.sender) revert TeePoolInvalidSignature(signer, msg.sender);

        _consumedDigests[digest] = true;
        job.status = JobStatus.Completed;
        // A proof that pays nothing must not keep the file from being validated again; one that pays
        // is final for this file and DataDAO (the DataDAO pays by the same rule).
        if (!Rewards.isFinal(job.rewardPerFile, data.score)) delete _liveJob[job.fileId][job.dlpId];
        _claimable[msg.sender] += job.bidAmount;
        _earned[msg.sender] += job.bidAmount;
        proofIndex = dataRegistry.addProof(
            job.fileId,
            IDataRegistry.FileProof({
                jobId: jobId,
                validator: msg.sender,
                score: data.score,
                dlpId: data.dlpId,
                programDigest: data.programDigest,
                metadata: data.metadata,
                proofUrl: data.proofUrl,
                instruction: data.instruction,
                signature: signature,
                addedAtBlock: 0
            })
        );
        emit JobCompleted(jobId, job.fileId, msg.sender, proofIndex);
    }

    /// @inheritdoc ITeePool
    function failJob(uint256 jobId, string calldata reason) external {
        StoredJob storage job = _assignedJob(jobId);
        if (bytes(reason).length == 0) revert TeePoolEmptyReason();
        job.status = JobStatus.Failed;
        _failureReasons[jobId] = reason;
        delete _liveJob[job.fileId][job.dlpId];
        emit JobFailed(jobId, job.fileId, msg.sender, reason);
    }

    /// @inheritdoc ITeePool
    function cancelJob(uint256 jobId) external {
        StoredJob storage job = _job(jobId);
        if (job.payer != msg.sender) revert TeePoolNotPayer(jobId, msg.sender);
        if (job.status == JobStatus.Submitted) {
            uint256 availableAt = uint256(job.addedTimestamp) + _cancelDelay;
            // Seconds, compared with a timestamp (Vana documents blocks and compares timestamps).
            // forge-lint: disable-next-line(block-timestamp)
            if (block.timestamp < availableAt) revert TeePoolCancelTooEarly(jobId, availableAt);
            delete _liveJob[job.fileId][job.dlpId];
        } else if (job.status != JobStatus.Failed) {
            revert TeePoolJobNotSubmitted(jobId, job.status);
        }
        uint256 refund = job.bidAmount;
        job.bidAmount = 0;
        job.status = JobStatus.Canceled;
        _claimable[msg.sender] += refund;
        emit JobCanceled(jobId, job.fileId, refund);
    }

    /// @inheritdoc ITeePool
    function claimable(address account) external view returns (uint256) {
        return _claimable[account];
    }

    /// @inheritdoc ITeePool
    function claim() external nonReentrant {
        uint256 amount = _claimable[msg.sender];
        if (amount == 0) revert TeePoolNothingToClaim(msg.sender);
        _claimable[msg.sender] = 0;
        _withdrawn[msg.sender] += amount;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TeePoolTransferFailed(msg.sender, amount);
        emit Claimed(msg.sender, amount);
    }

    /// @notice The EIP-712 domain separator proofs are signed under.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function _digest(uint256 fileId, uint256 jobId, address validator, ProofData memory data)
        private
        view
        returns (bytes32)
    {
        // Every member encodes to one 32-byte word, so two concatenated abi.encode calls equal one
        // (split only to stay within the EVM's stack limit).
        bytes memory head = abi.encode(
            CONTRIBUTION_PROOF_TYPEHASH, fileId, jobId, dataRegistry.fileChecksum(fileId), data.score, data.dlpId
        );
        bytes memory tail = abi.encode(
            data.programDigest,
            validator,
            keccak256(bytes(data.metadata)),
            keccak256(bytes(data.proofUrl)),
            keccak256(bytes(data.instruction))
        );
        return _hashTypedDataV4(keccak256(bytes.concat(head, tail)));
    }

    function _requireFileOwner(uint256 fileId) private view {
        // Reverts with DataRegistryUnknownFile. Only the owner asks: a validated file becomes the
        // DataDAO's to refine and sell queries of, so nobody else may give it to one (or block them).
        address owner = dataRegistry.fileOwner(fileId);
        if (owner != msg.sender) revert TeePoolNotFileOwner(fileId, msg.sender);
    }

    /// @dev Opens a job for `fileId` and `dlpId`, assigned to `keyHolder` when it is an active
    ///      validator (it can open the file's key already), else to the next in rotation.
    function _submit(uint256 fileId, uint256 dlpId, address keyHolder) private returns (uint256 jobId) {
        address dlp = dlpRegistry.dlps(dlpId);
        if (dlp == address(0)) revert TeePoolUnknownDataDao(dlpId);
        if (msg.value < _teeFee) revert TeePoolInsufficientFee(msg.value, _teeFee);
        uint256 live = _liveJob[fileId][dlpId];
        if (live != 0) {
            if (_jobs[live - 1].status == JobStatus.Completed) revert TeePoolAlreadyValidated(fileId, dlpId, live);
            revert TeePoolJobAlreadyOpen(fileId, dlpId, live);
        }
        uint256 teeCount = _activeTees.length();
        if (teeCount == 0) revert TeePoolNoActiveTee();

        address tee = keyHolder;
        if (tee == address(0)) {
            tee = _activeTees.at(_nextTee % teeCount);
            _nextTee++;
        }
        _jobs.push(
            StoredJob({
                fileId: SafeCast.toUint64(fileId),
                dlpId: SafeCast.toUint64(dlpId),
                previousJobOfFile: SafeCast.toUint64(_lastJobOfFile[fileId]),
                // The program the contributor pays to be judged by; a later change of the DataDAO's
                // program applies to later jobs.
                programDigest: IDataLiquidityPool(dlp).programDigest(),
                // Pinned too: a change of the reward cannot front-run a claim.
                rewardPerFile: IDataLiquidityPool(dlp).rewardPerFile(),
                bidAmount: SafeCast.toUint96(msg.value),
                teeAddress: tee,
                payer: msg.sender,
                addedTimestamp: SafeCast.toUint40(block.timestamp),
                status: JobStatus.Submitted
            })
        );
        jobId = _jobs.length;
        _lastJobOfFile[fileId] = jobId;
        _liveJob[fileId][dlpId] = jobId;
        _tees[tee].jobsCount++;
        emit JobSubmitted(jobId, fileId, tee, msg.value);
    }

    /// @dev A job status as Vana and LazAI number theirs (None, Submitted, Completed, Canceled), with
    ///      DataCoop's Failed after them.
    function _peerStatus(JobStatus status) private pure returns (uint8) {
        if (status == JobStatus.Canceled) return 3;
        if (status == JobStatus.Failed) return 4;
        return uint8(status);
    }

    /// @dev The one DataDAO whose pool holds a permission on `fileId` (Vana's clients share a file
    ///      with a DataDAO by granting its key to the DataDAO's pool address; 0 when none does), and
    ///      the first active validator holding one too, if any. The owner's own grants bound the loop.
    function _sharedWith(uint256 fileId) private view returns (uint256 dlpId, address keyHolder) {
        address[] memory grantees = dataRegistry.fileGrantees(fileId);
        for (uint256 i = 0; i < grantees.length; i++) {
            address account = grantees[i];
            if (dataRegistry.filePermissions(fileId, account).length == 0) continue; // revoked
            uint256 id = dlpRegistry.dlpIdOf(account);
            if (id != 0) {
                if (dlpId != 0 && id != dlpId) revert TeePoolAmbiguousDataDao(fileId, dlpId, id);
                dlpId = id;
            } else if (keyHolder == address(0) && isActiveTee(account)) {
                keyHolder = account;
            }
        }
    }

    /// @dev What makes two published keys one: a secp256k1 key by its x-coordinate, so its compressed
    ///      and uncompressed forms (or its negation) are one key and cannot be held by two validators;
    ///      an RSA key by its bytes. The two kinds never collide.
    function _keyId(bytes memory key, bool secp256k1) private pure returns (bytes32) {
        if (!secp256k1) return keccak256(abi.encode("rsa", key));
        bytes32 x;
        assembly ("memory-safe") {
            x := mload(add(key, 33)) // the 32 bytes after the prefix byte
        }
        return keccak256(abi.encode("secp256k1", x));
    }

    function _checkKeys(bytes calldata rsaPublicKey, bytes calldata secp256k1PublicKey, address teeAddress) private {
        if (rsaPublicKey.length == 0 && secp256k1PublicKey.length == 0) revert TeePoolNoPublicKey();
        uint256 length = secp256k1PublicKey.length;
        if (length != 0) {
            bytes1 prefix = secp256k1PublicKey[0];
            bool compressed = length == 33 && (prefix == 0x02 || prefix == 0x03);
            if (!compressed && !(length == 65 && prefix == 0x04)) revert TeePoolInvalidPublicKey();
        }
        _claimKey(rsaPublicKey, false, teeAddress);
        _claimKey(secp256k1PublicKey, true, teeAddress);
    }

    /// @dev A key is held by the one active validator that publishes it, so no two share a key pair
    ///      (Vana's flaw). It is released when its holder rotates away from it or is removed: held
    ///      for good, any validator could squat on a key another was about to publish (front-running
    ///      `addTee` or `updateTeeKeys`) and block it forever. Publishing a retired public key gives
    ///      its new holder nothing it could not open before.
    function _releaseKeys(TeeInfo storage info) private {
        _releaseKey(info.rsaPublicKey, false, info.teeAddress);
        _releaseKey(info.secp256k1PublicKey, true, info.teeAddress);
    }

    function _releaseKey(bytes storage key, bool secp256k1, address teeAddress) private {
        if (key.length == 0) return;
        bytes32 keyHash = _keyId(key, secp256k1);
        if (_keyOwners[keyHash] == teeAddress) delete _keyOwners[keyHash];
    }

    function _claimKey(bytes memory key, bool secp256k1, address teeAddress) private {
        if (key.length == 0) return;
        bytes32 keyHash = _keyId(key, secp256k1);
        address holder = _keyOwners[keyHash];
        if (holder == address(0)) _keyOwners[keyHash] = teeAddress;
        else if (holder != teeAddress) revert TeePoolKeyInUse(holder);
    }

    function _assignedJob(uint256 jobId) private view returns (StoredJob storage job) {
        job = _job(jobId);
        if (job.teeAddress != msg.sender) revert TeePoolNotAssignedTee(jobId, msg.sender);
        if (job.status != JobStatus.Submitted) revert TeePoolJobNotSubmitted(jobId, job.status);
    }

    function _job(uint256 jobId) private view returns (StoredJob storage) {
        if (jobId == 0 || jobId > _jobs.length) revert TeePoolUnknownJob(jobId);
        return _jobs[jobId - 1];
    }
}
