// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDataRegistry} from "./IDataRegistry.sol";
import {IVanaTeePool} from "./vana/IVanaTeePool.sol";
import {ILazaiVerifiedComputing} from "./lazai/ILazaiVerifiedComputing.sol";
import {IDataLiquidityPoolRegistry} from "./IDataLiquidityPoolRegistry.sol";

/// @title ITeePool
/// @notice The validator pool: validators with their enclave evidence and keys, paid validation
///         jobs assigned round-robin, proofs checked against the assigned validator's signature.
///         Vana's and LazAI's calls are answered too (IVanaTeePool, ILazaiVerifiedComputing).
interface ITeePool is IVanaTeePool, ILazaiVerifiedComputing {
    enum TeeStatus {
        None,
        Active,
        Removed
    }

    enum JobStatus {
        None,
        Submitted,
        Completed,
        Failed,
        Canceled
    }

    /// @notice A validator as registered by a maintainer.
    struct TeeInfo {
        address teeAddress;
        string url;
        bytes rsaPublicKey;
        bytes secp256k1PublicKey;
        string enclaveType;
        bytes32 measurement;
        TeeStatus status;
        uint256 jobsCount;
    }

    /// @notice A validation job for one file on behalf of one DataDAO, under the program and the
    ///         reward per file that DataDAO had when the job was requested.
    struct Job {
        uint256 fileId;
        uint256 dlpId;
        bytes32 programDigest;
        uint256 rewardPerFile;
        uint256 bidAmount;
        address teeAddress;
        address payer;
        uint64 addedTimestamp;
        JobStatus status;
        string failureReason;
    }

    /// @notice What a validator submits for a job; the signature covers it (see `proofDigest`).
    struct ProofData {
        uint256 score;
        uint256 dlpId;
        bytes32 programDigest;
        string metadata;
        string proofUrl;
        string instruction;
    }

    event TeeAdded(address indexed teeAddress, string url, string enclaveType, bytes32 measurement);
    event TeeRemoved(address indexed teeAddress);
    event TeeUrlUpdated(address indexed teeAddress, string url);
    event TeeKeysUpdated(address indexed teeAddress, bytes rsaPublicKey, bytes secp256k1PublicKey);
    event TeeFeeUpdated(uint256 newTeeFee);
    event CancelDelayUpdated(uint256 newCancelDelay);
    event JobCompleted(uint256 indexed jobId, uint256 indexed fileId, address indexed teeAddress, uint256 proofIndex);
    event JobFailed(uint256 indexed jobId, uint256 indexed fileId, address indexed teeAddress, string reason);
    event JobCanceled(uint256 indexed jobId, uint256 indexed fileId, uint256 refund);
    event Claimed(address indexed account, uint256 amount);
    /// @notice Requests that name no DataDAO and share the key with none (LazAI's) now go to `dlpId` (0: refused).
    event DefaultDlpSet(uint256 dlpId);

    error TeePoolZeroAddress();
    error TeePoolTeeAlreadyActive(address teeAddress);
    error TeePoolNotActiveTee(address teeAddress);
    error TeePoolNoPublicKey();
    /// @notice A secp256k1 key is 33 bytes starting 0x02 or 0x03, or 65 starting 0x04.
    error TeePoolInvalidPublicKey();
    error TeePoolKeyInUse(address byTee);
    error TeePoolNoActiveTee();
    error TeePoolInsufficientFee(uint256 paid, uint256 required);
    error TeePoolUnknownDataDao(uint256 dlpId);
    error TeePoolJobAlreadyOpen(uint256 fileId, uint256 dlpId, uint256 jobId);
    /// @notice `fileId` already has a final proof for `dlpId`, from job `jobId`.
    error TeePoolAlreadyValidated(uint256 fileId, uint256 dlpId, uint256 jobId);
    error TeePoolUnknownJob(uint256 jobId);
    error TeePoolNotAssignedTee(uint256 jobId, address caller);
    error TeePoolJobNotSubmitted(uint256 jobId, JobStatus status);
    error TeePoolProofWrongDataDao(uint256 jobId, uint256 dlpId);
    error TeePoolProofWrongProgram(uint256 jobId, bytes32 programDigest, bytes32 pinned);
    error TeePoolScoreOutOfRange(uint256 score);
    error TeePoolInvalidSignature(address recovered, address expected);
    error TeePoolProofAlreadyUsed(bytes32 digest);
    error TeePoolEmptyReason();
    error TeePoolNotPayer(uint256 jobId, address caller);
    error TeePoolNotFileOwner(uint256 fileId, address caller);
    error TeePoolCancelTooEarly(uint256 jobId, uint256 availableAt);
    error TeePoolNothingToClaim(address account);
    error TeePoolTransferFailed(address account, uint256 amount);
    error TeePoolNoDataDaoShared(uint256 fileId);
    error TeePoolAmbiguousDataDao(uint256 fileId, uint256 dlpId, uint256 otherDlpId);
    error TeePoolNoDefaultDataDao(uint256 fileId);

    /// @notice Registers a validator, or registers a removed one again (with new or the same keys, url
    ///         and evidence); maintainers only. Keys must not belong to another validator.
    function addTee(
        address teeAddress,
        string calldata url,
        bytes calldata rsaPublicKey,
        bytes calldata secp256k1PublicKey,
        string calldata enclaveType,
        bytes32 measurement
    ) external;

    /// @notice Takes a validator out of the assignment rotation; maintainers only. It can prove
    ///         nothing more until it is added again; proofs it recorded while active still pay.
    function removeTee(address teeAddress) external;

    /// @notice Sets the caller's own url, where its node answers; only a registered, active validator.
    /// @dev A node's address can move (a restart on another port or host) without a maintainer.
    function updateTeeUrl(string calldata url) external;

    /// @notice Replaces the caller's own public keys (at least one; secp256k1 compressed or not); only
    ///         an active validator. Contributors wrap keys to the new ones from then on.
    /// @dev A key is held by the active validator publishing it, never shared; the old keys are
    ///      released, as a removed validator's are, so nobody can squat on a key for good.
    /// @param rsaPublicKey the new RSA public key (DER), or empty
    /// @param secp256k1PublicKey the new secp256k1 public key (33 or 65 bytes), or empty
    function updateTeeKeys(bytes calldata rsaPublicKey, bytes calldata secp256k1PublicKey) external;

    /// @notice The registry of DataDAOs jobs are requested for.
    function dlpRegistry() external view returns (IDataLiquidityPoolRegistry);

    /// @notice The DataDAO a LazAI `requestProof(fileId)` is for when the owner shared the file's key
    ///         with no DataDAO (LazAI's clients never do: they send the key to the validator); 0: none,
    ///         and such a request is refused with `TeePoolNoDefaultDataDao`.
    function defaultDlpId() external view returns (uint256);

    /// @notice Sets `defaultDlpId`: an existing DataDAO, or 0 for none; admin only.
    function setDefaultDlpId(uint256 dlpId) external;

    /// @notice DataCoop's record of a validator (all zero when it was never registered).
    function teeRecords(address teeAddress) external view returns (TeeInfo memory);

    /// @notice The validators that receive new jobs, in rotation order.
    function activeTees() external view returns (address[] memory);

    /// @notice Whether `teeAddress` is an active validator.
    function isActiveTee(address teeAddress) external view returns (bool);

    /// @notice The fee a validation job costs, in wei.
    function teeFee() external view returns (uint256);

    /// @notice Seconds after submission before a payer may cancel an unfinished job.
    function cancelDelay() external view returns (uint256);

    /// @notice Pays for validating `fileId` for DataDAO `dlpId`: the file's owner only, as it gives the
    ///         file to that DataDAO. The next active validator gets the job, and the DataDAO's current
    ///         program is pinned to it. Refused while another job of the file for that DataDAO is open,
    ///         or once one completed with a score above zero (so nobody shops among proofs); a job
    ///         that failed, was cancelled or scored zero does not block a new one.
    /// @return jobId the new job's id, counted from 1
    function requestContributionProof(uint256 fileId, uint256 dlpId) external payable returns (uint256 jobId);

    /// @notice DataCoop's record of a job; reverts for an unknown id.
    function jobRecords(uint256 jobId) external view returns (Job memory);

    /// @notice How many jobs exist.
    function jobsCount() external view returns (uint256);

    /// @notice The reward per file job `jobId` pinned when it was requested; reverts for an unknown job.
    ///         For contracts: unlike `jobRecords`, nothing else is read.
    function jobRewardPerFile(uint256 jobId) external view returns (uint256);

    /// @notice Every job ever opened for `fileId`.
    function fileJobIds(uint256 fileId) external view returns (uint256[] memory);

    /// @notice The EIP-712 digest a validator signs for a proof of `jobId`.
    function proofDigest(uint256 jobId, address validator, ProofData calldata data) external view returns (bytes32);

    /// @notice The EIP-712 digest of a proof as the registry recorded it, for re-verification.
    function recordedProofDigest(uint256 fileId, IDataRegistry.FileProof calldata proof)
        external
        view
        returns (bytes32);

    /// @notice Completes `jobId` with a signed proof; only its assigned validator, while active, once,
    ///         for the job's DataDAO and the program pinned to the job. The DataDAO pays for the
    ///         recorded proof without checking it again, so these checks are what makes it valid.
    function addProof(uint256 jobId, ProofData calldata data, bytes calldata signature)
        external
        returns (uint256 proofIndex);

    /// @notice Ends `jobId` as failed with a reason the contributor can read; assigned validator only.
    function failJob(uint256 jobId, string calldata reason) external;

    /// @notice Cancels an unfinished job after the delay, or a failed one at once; the payer is refunded.
    function cancelJob(uint256 jobId) external;

    /// @notice What `account` can claim: fees of completed jobs and refunds.
    function claimable(address account) external view returns (uint256);

    /// @notice Pays the caller everything it can claim.
    function claim() external;
}
