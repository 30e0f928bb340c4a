// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {ITaskCoordinator} from "../interfaces/compute/ITaskCoordinator.sol";
import {IExecutionRecord} from "../interfaces/compute/IExecutionRecord.sol";
import {ISettlement} from "../interfaces/compute/ISettlement.sol";
import {IQueryEngine} from "../interfaces/IQueryEngine.sol";
import {IDataRefinerRegistry} from "../interfaces/IDataRefinerRegistry.sol";
import {ITeePool} from "../interfaces/ITeePool.sol";

/// @title TaskCoordinator
/// @notice LazAI's verified-computing coordinator for DataCoop's refined data. Everything a task may
///         do is decided here, before anything is charged: which rows (permissions, as queries use
///         them), which algorithm (each DataDAO's allowlist: an unchecked algorithm could copy the rows
///         into its output), which worker (one each DataDAO trusts with its data) and at what price.
contract TaskCoordinator is ITaskCoordinator, ReentrancyGuard {
    using SafeERC20 for IERC20;

    IQueryEngine public immutable queryEngine;
    IDataRefinerRegistry public immutable refinerRegistry;
    ITeePool public immutable teePool;
    IExecutionRecord public immutable executionRecord;
    ISettlement public immutable settlement;

    mapping(bytes32 taskId => Task) private _tasks;
    mapping(address requester => uint256) private _nonces;
    mapping(uint256 dlpId => mapping(bytes32 digest => bool)) private _allowedAlgorithms;

    constructor(
        IQueryEngine engine,
        IDataRefinerRegistry refiners,
        ITeePool pool,
        IExecutionRecord record,
        ISettlement settlement_
    ) {
        queryEngine = engine;
        refinerRegistry = refiners;
        teePool = pool;
        executionRecord = record;
        settlement = settlement_;
    }

    /// @inheritdoc ITaskCoordinator
    function submitTask(TaskRequest calldata request)
        external
        payable
        nonReentrant
        returns (bytes32 taskId, uint256 dataPrice)
    {
        if (request.mode == IExecutionRecord.VerifyMode.TEE_ZK) {
            revert TaskCoordinatorModeNotSupported(request.mode);
        }
        if (request.deadline <= block.timestamp) revert TaskCoordinatorDeadlinePassed(request.deadline);
        if (request.worker == address(0)) revert TaskCoordinatorZeroAddress();
        if (bytes(request.specUrl).length == 0) revert TaskCoordinatorNoSpec();
        if (!teePool.isActiveTee(request.worker)) revert TaskCoordinatorWorkerNotActive(request.worker);
        if (
            request.modelId != bytes32(0)
                && executionRecord.statusOf(request.modelId) != IExecutionRecord.Status.Verified
        ) {
            revert TaskCoordinatorUnknownModel(request.modelId);
        }
        _requireDataAllowed(request);
        ISettlement.Charge[] memory charged = _charges(msg.sender, request.token, request.permissionIds);
        for (uint256 i = 0; i < charged.length; i++) {
            dataPrice += charged[i].price;
        }
        if (dataPrice > request.maxPrice) revert TaskCoordinatorPriceAboveMax(dataPrice, request.maxPrice);
        _requireSameRefiners(request, charged);

        taskId = taskIdOf(msg.sender, _nonces[msg.sender]++);
        Task storage task = _tasks[taskId];
        task.requester = msg.sender;
        task.worker = request.worker;
        task.token = request.token;
        task.submittedAt = uint64(block.timestamp);
        task.deadline = request.deadline;
        task.mode = request.mode;
        task.workerFee = request.workerFee;
        task.dataPrice = dataPrice;
        task.sqlHash = request.sqlHash;
        task.algorithmDigest = request.algorithmDigest;
        task.modelId = request.modelId;
        task.paramsHash = request.paramsHash;
        task.refinerIds = request.refinerIds;
        task.permissionIds = request.permissionIds;
        task.specUrl = request.specUrl;
        executionRecord.create(taskId, request.mode, request.modelId);
        emit TaskSubmitted(
            taskId,
            msg.sender,
            request.worker,
            request.sqlHash,
            request.algorithmDigest,
            request.modelId,
            request.deadline
        );
        _escrow(taskId, request, charged, dataPrice);
    }

    /// @inheritdoc ITaskCoordinator
    function quote(address requester, address token, uint256[] calldata permissionIds)
        external
        view
        returns (uint256 dataPrice)
    {
        ISettlement.Charge[] memory charged = _charges(requester, token, permissionIds);
        for (uint256 i = 0; i < charged.length; i++) {
            dataPrice += charged[i].price;
        }
    }

    /// @inheritdoc ITaskCoordinator
    function tasks(bytes32 taskId) external view returns (Task memory) {
        Task storage task = _tasks[taskId];
        if (task.requester == address(0)) revert TaskCoordinatorUnknownTask(taskId);
        return task;
    }

    /// @inheritdoc ITaskCoordinator
    function nonces(address requester) external view returns (uint256) {
        return _nonces[requester];
    }

    /// @inheritdoc ITaskCoordinator
    function taskIdOf(address requester, uint256 nonce) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), requester, nonce));
    }

    /// @inheritdoc ITaskCoordinator
    function failTask(bytes32 taskId, string calldata reason) external {
        Task storage task = _task(taskId);
        if (msg.sender != task.worker) revert TaskCoordinatorNotWorker(taskId, msg.sender);
        if (bytes(reason).length == 0) revert TaskCoordinatorEmptyReason();
        IExecutionRecord.Status status = executionRecord.statusOf(taskId);
        if (status != IExecutionRecord.Status.Submitted) revert TaskCoordinatorNotSubmitted(taskId, status);
        executionRecord.markFailed(taskId, reason);
        emit TaskFailed(taskId, msg.sender, reason);
    }

    /// @inheritdoc ITaskCoordinator
    function refund(bytes32 taskId) external nonReentrant returns (uint256 amount) {
        Task storage task = _task(taskId);
        IExecutionRecord.Status status = executionRecord.statusOf(taskId);
        if (status == IExecutionRecord.Status.Submitted) {
            if (block.timestamp <= task.deadline) revert TaskCoordinatorRefundTooEarly(taskId, task.deadline + 1);
        } else if (status != IExecutionRecord.Status.Failed) {
            revert TaskCoordinatorNotSubmitted(taskId, status);
        }
        executionRecord.markRefunded(taskId);
        amount = settlement.refund(taskId);
        emit TaskRefunded(taskId, task.requester, amount);
    }

    /// @inheritdoc ITaskCoordinator
    function allowAlgorithm(uint256 dlpId, bytes32 digest) external {
        _requireDataDaoOwner(dlpId);
        if (digest == bytes32(0)) revert TaskCoordinatorZeroDigest();
        if (_allowedAlgorithms[dlpId][digest]) revert TaskCoordinatorAlgorithmAlreadyAllowed(dlpId, digest);
        _allowedAlgorithms[dlpId][digest] = true;
        emit AlgorithmAllowed(dlpId, digest);
    }

    /// @inheritdoc ITaskCoordinator
    function disallowAlgorithm(uint256 dlpId, bytes32 digest) external {
        _requireDataDaoOwner(dlpId);
        if (!_allowedAlgorithms[dlpId][digest]) revert TaskCoordinatorAlgorithmNotListed(dlpId, digest);
        _allowedAlgorithms[dlpId][digest] = false;
        emit AlgorithmDisallowed(dlpId, digest);
    }

    /// @inheritdoc ITaskCoordinator
    function isAlgorithmAllowed(uint256 dlpId, bytes32 digest) external view returns (bool) {
        return _allowedAlgorithms[dlpId][digest];
    }

    /// @dev Every DataDAO read must allow the algorithm and trust the worker with its data.
    function _requireDataAllowed(TaskRequest calldata request) private view {
        uint256[] calldata refinerIds = request.refinerIds;
        if (refinerIds.length == 0) revert TaskCoordinatorNoRefiners();
        uint256 previous = 0;
        for (uint256 r = 0; r < refinerIds.length; r++) {
            if (refinerIds[r] <= previous) revert TaskCoordinatorUnsortedRefiners();
            previous = refinerIds[r];
            uint256 dlpId = refinerRegistry.refiners(refinerIds[r]).dlpId;
            if (!_allowedAlgorithms[dlpId][request.algorithmDigest]) {
                revert TaskCoordinatorAlgorithmNotAllowed(dlpId, request.algorithmDigest);
            }
            if (!refinerRegistry.isRefinementService(dlpId, request.worker)) {
                revert TaskCoordinatorWorkerNotTrusted(dlpId, request.worker);
            }
        }
    }

    /// @dev The permissions, ascending so each counts once, priced as the QueryEngine prices a query.
    function _charges(address requester, address token, uint256[] calldata permissionIds)
        private
        view
        returns (ISettlement.Charge[] memory charged)
    {
        if (permissionIds.length == 0) revert TaskCoordinatorNoPermissions();
        charged = new ISettlement.Charge[](permissionIds.length);
        uint256 previous = 0;
        for (uint256 i = 0; i < permissionIds.length; i++) {
            uint256 id = permissionIds[i];
            if (id <= previous) revert TaskCoordinatorUnsortedPermissions();
            previous = id;
            IQueryEngine.Permission memory permission = queryEngine.permissions(id);
            if (!permission.approved || permission.revoked) revert TaskCoordinatorPermissionNotUsable(id);
            if (permission.grantee != address(0) && permission.grantee != requester) {
                revert TaskCoordinatorPermissionNotForRequester(id, requester);
            }
            if (permission.token != token) revert TaskCoordinatorWrongToken(id, token);
            charged[i] = ISettlement.Charge(permission.refinerId, permission.price);
        }
    }

    /// @dev The permissions pay for exactly the refiners the task reads: none unpaid, none paid for nothing.
    function _requireSameRefiners(TaskRequest calldata request, ISettlement.Charge[] memory charged) private pure {
        uint256[] calldata refinerIds = request.refinerIds;
        for (uint256 i = 0; i < charged.length; i++) {
            bool read = false;
            for (uint256 r = 0; r < refinerIds.length && !read; r++) {
                read = refinerIds[r] == charged[i].refinerId;
            }
            if (!read) revert TaskCoordinatorPermissionOutsideData(request.permissionIds[i], charged[i].refinerId);
        }
        for (uint256 r = 0; r < refinerIds.length; r++) {
            bool covered = false;
            for (uint256 i = 0; i < charged.length && !covered; i++) {
                covered = refinerIds[r] == charged[i].refinerId;
            }
            if (!covered) revert TaskCoordinatorRefinerNotCovered(refinerIds[r]);
        }
    }

    /// @dev The payment goes straight to the Settlement, which holds every task's escrow; an ERC-20
    ///      must arrive whole (a fee-charging token would leave the escrow short).
    function _escrow(bytes32 taskId, TaskRequest calldata request, ISettlement.Charge[] memory charged, uint256 dataPrice)
        private
    {
        uint256 total = request.workerFee + dataPrice;
        if (request.token == address(0)) {
            if (msg.value != total) revert TaskCoordinatorWrongValue(msg.value, total);
            settlement.escrow{value: total}(taskId, msg.sender, request.worker, address(0), request.workerFee, charged);
            return;
        }
        if (msg.value != 0) revert TaskCoordinatorWrongValue(msg.value, 0);
        IERC20 token = IERC20(request.token);
        uint256 before = token.balanceOf(address(settlement));
        token.safeTransferFrom(msg.sender, address(settlement), total);
        uint256 received = token.balanceOf(address(settlement)) - before;
        if (received != total) revert TaskCoordinatorTokenShortfall(request.token, received, total);
        settlement.escrow(taskId, msg.sender, request.worker, request.token, request.workerFee, charged);
    }

    function _task(bytes32 taskId) private view returns (Task storage task) {
        task = _tasks[taskId];
        if (task.requester == address(0)) revert TaskCoordinatorUnknownTask(taskId);
    }

    function _requireDataDaoOwner(uint256 dlpId) private view {
        if (refinerRegistry.dlpOwner(dlpId) != msg.sender) revert TaskCoordinatorNotDataDaoOwner(dlpId, msg.sender);
    }
}
