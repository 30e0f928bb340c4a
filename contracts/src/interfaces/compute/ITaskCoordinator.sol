// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IExecutionRecord} from "./IExecutionRecord.sol";

/// @title ITaskCoordinator
/// @notice LazAI's verified-computing coordinator (VSC): takes a compute task over refined data with
///         its payment in escrow and assigns it to its worker. A task reads a SQL selection of one or
///         more DataDAOs' refined tables under the requester's QueryEngine permissions (priced as
///         queries are), runs an algorithm pinned by digest that every DataDAO read allows, on a
///         worker every such DataDAO trusts with its data (one of its refinement services) and that is
///         an active validator of the TeePool. The task ends verified (Verifier), failed by its worker,
///         or refunded. Workers find their tasks through `TaskSubmitted`, indexed by worker.
interface ITaskCoordinator {
    /// @notice A task as its requester submits it.
    /// @param sqlHash keccak256 of the SQL selecting the task's rows
    /// @param refinerIds the refiners whose tables the SQL reads, ascending
    /// @param permissionIds the QueryEngine permissions the SQL uses, ascending, each usable by the
    ///        requester in `token`, together covering every refiner in `refinerIds` and no other
    /// @param algorithmDigest the algorithm's digest (built-in or program), allowed by every DataDAO read
    /// @param modelId zero, or the id of a verified task whose trained model the task applies
    /// @param paramsHash keccak256 of the algorithm's parameters
    /// @param mode how the result is proved: TEE (at once) or OP (after a challenge window); not TEE_ZK yet
    /// @param worker who computes: an active validator that every DataDAO read trusts
    /// @param token what the task is paid in: zero for the native coin, else an ERC-20
    /// @param workerFee paid to the worker when the task is verified
    /// @param maxPrice the most the requester pays for the data (the permissions' prices)
    /// @param deadline unix time by which the task must be proved; later it can be refunded
    /// @param specUrl where the worker finds the task's inputs (its SQL, parameters and model), encrypted
    ///        to the worker's key: the chain keeps only their hashes, and the worker checks them
    struct TaskRequest {
        bytes32 sqlHash;
        uint256[] refinerIds;
        uint256[] permissionIds;
        bytes32 algorithmDigest;
        bytes32 modelId;
        bytes32 paramsHash;
        IExecutionRecord.VerifyMode mode;
        address worker;
        address token;
        uint256 workerFee;
        uint256 maxPrice;
        uint64 deadline;
        string specUrl;
    }

    /// @notice A submitted task; `dataPrice` is what its permissions cost.
    struct Task {
        address requester;
        address worker;
        address token;
        uint64 submittedAt;
        uint64 deadline;
        IExecutionRecord.VerifyMode mode;
        uint256 workerFee;
        uint256 dataPrice;
        bytes32 sqlHash;
        bytes32 algorithmDigest;
        bytes32 modelId;
        bytes32 paramsHash;
        uint256[] refinerIds;
        uint256[] permissionIds;
        string specUrl;
    }

    event TaskSubmitted(
        bytes32 indexed taskId,
        address indexed requester,
        address indexed worker,
        bytes32 sqlHash,
        bytes32 algorithmDigest,
        bytes32 modelId,
        uint64 deadline
    );
    event TaskFailed(bytes32 indexed taskId, address indexed worker, string reason);
    event TaskRefunded(bytes32 indexed taskId, address indexed requester, uint256 amount);
    event AlgorithmAllowed(uint256 indexed dlpId, bytes32 indexed digest);
    event AlgorithmDisallowed(uint256 indexed dlpId, bytes32 indexed digest);

    error TaskCoordinatorModeNotSupported(IExecutionRecord.VerifyMode mode);
    error TaskCoordinatorDeadlinePassed(uint64 deadline);
    error TaskCoordinatorZeroAddress();
    error TaskCoordinatorNoRefiners();
    error TaskCoordinatorUnsortedRefiners();
    error TaskCoordinatorNoPermissions();
    error TaskCoordinatorUnsortedPermissions();
    error TaskCoordinatorPermissionNotUsable(uint256 permissionId);
    error TaskCoordinatorPermissionNotForRequester(uint256 permissionId, address requester);
    error TaskCoordinatorWrongToken(uint256 permissionId, address token);
    /// @notice Permission `permissionId` is on refiner `refinerId`, which the task does not read.
    error TaskCoordinatorPermissionOutsideData(uint256 permissionId, uint256 refinerId);
    /// @notice The task reads refiner `refinerId` but uses no permission on it.
    error TaskCoordinatorRefinerNotCovered(uint256 refinerId);
    error TaskCoordinatorAlgorithmNotAllowed(uint256 dlpId, bytes32 digest);
    error TaskCoordinatorWorkerNotTrusted(uint256 dlpId, address worker);
    error TaskCoordinatorWorkerNotActive(address worker);
    error TaskCoordinatorUnknownModel(bytes32 modelId);
    error TaskCoordinatorPriceAboveMax(uint256 price, uint256 maxPrice);
    error TaskCoordinatorWrongValue(uint256 sent, uint256 required);
    error TaskCoordinatorTokenShortfall(address token, uint256 received, uint256 required);
    error TaskCoordinatorUnknownTask(bytes32 taskId);
    error TaskCoordinatorNotWorker(bytes32 taskId, address caller);
    error TaskCoordinatorEmptyReason();
    error TaskCoordinatorNotSubmitted(bytes32 taskId, IExecutionRecord.Status status);
    /// @notice A submitted task can be refunded only after its deadline, at `refundableAt`.
    error TaskCoordinatorRefundTooEarly(bytes32 taskId, uint64 refundableAt);
    error TaskCoordinatorNotDataDaoOwner(uint256 dlpId, address caller);
    error TaskCoordinatorZeroDigest();
    error TaskCoordinatorNoSpec();
    error TaskCoordinatorAlgorithmAlreadyAllowed(uint256 dlpId, bytes32 digest);
    error TaskCoordinatorAlgorithmNotListed(uint256 dlpId, bytes32 digest);

    /// @notice Submits a task and escrows its payment: `workerFee` plus the permissions' prices, sent
    ///         as `msg.value` (exactly) in the native coin, or pulled with `transferFrom` (approve this
    ///         contract) in an ERC-20, which must arrive whole. Every refusal names what is wrong.
    /// @return taskId keccak256(chain id, this contract, requester, requester's nonce): unique per chain,
    ///         coordinator and requester, so no task or proof can be replayed elsewhere
    /// @return dataPrice what the data costs
    function submitTask(TaskRequest calldata request) external payable returns (bytes32 taskId, uint256 dataPrice);

    /// @notice What `permissionIds` (ascending) cost `requester` in `token`; reverts naming an unusable one.
    function quote(address requester, address token, uint256[] calldata permissionIds)
        external
        view
        returns (uint256 dataPrice);

    /// @notice Task `taskId`; reverts for an unknown id.
    function tasks(bytes32 taskId) external view returns (Task memory);

    /// @notice The nonce `requester`'s next task id will use.
    function nonces(address requester) external view returns (uint256);

    /// @notice The id `requester`'s task with `nonce` has (or will have) on this coordinator and chain.
    function taskIdOf(address requester, uint256 nonce) external view returns (bytes32);

    /// @notice Ends a submitted task as failed with `reason`; its assigned worker only. The requester
    ///         may then be refunded at once.
    function failTask(bytes32 taskId, string calldata reason) external;

    /// @notice Credits a task's escrow back to its requester (who pulls it with Settlement's `claim`):
    ///         a failed task at once, a submitted one after its deadline; never a verified one, and once.
    ///         Anyone may call: the money goes only to the requester.
    function refund(bytes32 taskId) external returns (uint256 amount);

    /// @notice Allows algorithm `digest` on DataDAO `dlpId`'s data; its owner only.
    function allowAlgorithm(uint256 dlpId, bytes32 digest) external;

    /// @notice Withdraws that allowance (tasks already submitted keep running); its owner only.
    function disallowAlgorithm(uint256 dlpId, bytes32 digest) external;

    /// @notice Whether algorithm `digest` may run on DataDAO `dlpId`'s data.
    function isAlgorithmAllowed(uint256 dlpId, bytes32 digest) external view returns (bool);
}
