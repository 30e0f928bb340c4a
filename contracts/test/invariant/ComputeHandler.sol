// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {TestToken} from "../utils/TestToken.sol";
import {ReadsTree} from "../utils/ReadsTree.sol";
import {TaskCoordinator} from "../../src/compute/TaskCoordinator.sol";
import {Verifier} from "../../src/compute/Verifier.sol";
import {Settlement} from "../../src/compute/Settlement.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";
import {ITaskCoordinator} from "../../src/interfaces/compute/ITaskCoordinator.sol";
import {ITeeVerifier} from "../../src/interfaces/compute/ITeeVerifier.sol";
import {IExecutionRecord} from "../../src/interfaces/compute/IExecutionRecord.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";

/// @notice Drives compute tasks in random orders for the invariant suite: tasks submitted by several
///         requesters over one or two DataDAOs, in the native coin or an ERC-20, to workers some DataDAOs
///         do not trust; proofs by the right or the wrong worker, over random rows; failures, refunds
///         early and late, leaf claims and payouts; time passing. It keeps ghost totals of what came in
///         and went out. Inputs are bounded, not assumed away.
contract ComputeHandler {
    struct Setup {
        TaskCoordinator coordinator;
        Verifier verifier;
        Settlement settlement;
        ITeePool pool;
        TestToken payToken;
        bytes32 algorithm;
        address[] requesters;
        uint256[] workerKeys;
        uint256[] refinerIds;
        uint256[][] refinedFiles;
        /// Per token (0: native, 1: payToken), per refiner: a generic permission.
        uint256[][] permissions;
        address[] accounts;
    }

    TaskCoordinator public immutable coordinator;
    Verifier public immutable verifier;
    Settlement public immutable settlement;
    ITeePool public immutable pool;
    TestToken public immutable payToken;
    bytes32 public immutable algorithm;

    address[] internal _requesters;
    uint256[] internal _workerKeys;
    uint256[] internal _refinerIds;
    uint256[][] internal _refinedFiles;
    uint256[][] internal _permissions;
    address[] internal _accounts;

    bytes32[] public taskIds;
    mapping(bytes32 taskId => IReadsLedger.Reads[]) internal _readsOf;
    mapping(address token => uint256) public deposited;
    mapping(address token => uint256) public claimedOut;
    uint256 public wrongWorkerProofsAccepted;
    uint256 public earlyRefundsAccepted;

    constructor(Setup memory s) {
        coordinator = s.coordinator;
        verifier = s.verifier;
        settlement = s.settlement;
        pool = s.pool;
        payToken = s.payToken;
        algorithm = s.algorithm;
        _requesters = s.requesters;
        _workerKeys = s.workerKeys;
        _refinerIds = s.refinerIds;
        _refinedFiles = s.refinedFiles;
        _permissions = s.permissions;
        _accounts = s.accounts;
    }

    function submit(uint256 requesterSeed, uint256 workerSeed, uint256 dataSeed, bool inToken, uint256 fee) external {
        address requester = _requesters[requesterSeed % _requesters.length];
        address worker = vm.addr(_workerKeys[workerSeed % _workerKeys.length]);
        uint256 tokenIndex = inToken ? 1 : 0;
        address token = inToken ? address(payToken) : address(0);
        fee = fee % 1 ether;
        uint256 which = dataSeed % 3; // the first refiner, the second, or both
        uint256 count = which == 2 ? 2 : 1;
        uint256[] memory refiners = new uint256[](count);
        uint256[] memory permissionIds = new uint256[](count);
        for (uint256 i = 0; i < count; i++) {
            uint256 r = which == 2 ? i : which;
            refiners[i] = _refinerIds[r];
            permissionIds[i] = _permissions[tokenIndex][r];
        }
        uint256 price = coordinator.quote(requester, token, permissionIds);
        ITaskCoordinator.TaskRequest memory request = ITaskCoordinator.TaskRequest({
            sqlHash: keccak256(abi.encode(dataSeed)),
            refinerIds: refiners,
            permissionIds: permissionIds,
            algorithmDigest: algorithm,
            modelId: bytes32(0),
            paramsHash: keccak256(abi.encode(fee)),
            mode: IExecutionRecord.VerifyMode.TEE,
            worker: worker,
            token: token,
            workerFee: fee,
            maxPrice: price,
            deadline: uint64(block.timestamp + 1 hours),
            specUrl: "http://127.0.0.1:1/blobs/spec"
        });
        uint256 total = price + fee;
        uint256 value = 0;
        if (inToken) {
            payToken.mint(requester, total);
            vm.prank(requester);
            payToken.approve(address(coordinator), total);
        } else {
            vm.deal(requester, requester.balance + total);
            value = total;
        }
        vm.prank(requester);
        try coordinator.submitTask{value: value}(request) returns (bytes32 taskId, uint256) {
            taskIds.push(taskId);
            deposited[token] += total;
        } catch {}
    }

    function prove(uint256 taskSeed, uint256 keySeed, uint256 rowsSeed) external {
        if (taskIds.length == 0) return;
        bytes32 taskId = taskIds[taskSeed % taskIds.length];
        ITaskCoordinator.Task memory task = coordinator.tasks(taskId);
        // Mostly the assigned worker's key; one time in four any worker's, to try the wrong one.
        uint256 key = _workerKeys[keySeed % _workerKeys.length];
        if (keySeed % 4 != 0) key = vm.addr(_workerKeys[0]) == task.worker ? _workerKeys[0] : _workerKeys[1];
        IReadsLedger.Reads[] memory reads = _randomReads(task.refinerIds, rowsSeed);
        IReadsLedger.ReadsRoot[] memory roots = ReadsTree.roots(reads);
        ITeePool.TeeInfo memory enclave = pool.teeRecords(task.worker);
        bytes memory report = abi.encode(
            ITeeVerifier.AttestationReport({
                taskId: taskId,
                dataRoot: keccak256(abi.encode(roots)),
                modelId: task.modelId,
                algorithmDigest: task.algorithmDigest,
                paramsHash: task.paramsHash,
                resultHash: keccak256(abi.encode(rowsSeed)),
                enclaveType: enclave.enclaveType,
                measurement: enclave.measurement,
                time: uint64(block.timestamp),
                reads: roots,
                leavesUrl: "leaves",
                outputUrl: "output"
            })
        );
        bytes32 result = keccak256(abi.encode(rowsSeed));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, verifier.teeResultDigest(taskId, result, keccak256(report)));
        try verifier.submitTEEProof(abi.encode(taskId), abi.encode(result), abi.encodePacked(r, s, v), report) {
            if (vm.addr(key) != task.worker) wrongWorkerProofsAccepted++;
            for (uint256 i = 0; i < reads.length; i++) {
                _readsOf[taskId].push(reads[i]);
            }
        } catch {}
    }

    function fail(uint256 taskSeed) external {
        if (taskIds.length == 0) return;
        bytes32 taskId = taskIds[taskSeed % taskIds.length];
        vm.prank(coordinator.tasks(taskId).worker);
        try coordinator.failTask(taskId, "gave up") {} catch {}
    }

    function refund(uint256 taskSeed) external {
        if (taskIds.length == 0) return;
        bytes32 taskId = taskIds[taskSeed % taskIds.length];
        IExecutionRecord.Status before = verifier.executionRecord().statusOf(taskId);
        uint64 deadline = coordinator.tasks(taskId).deadline;
        try coordinator.refund(taskId) {
            if (before == IExecutionRecord.Status.Submitted && block.timestamp <= deadline) earlyRefundsAccepted++;
        } catch {}
    }

    function claimReads(uint256 taskSeed) external {
        if (taskIds.length == 0) return;
        bytes32 taskId = taskIds[taskSeed % taskIds.length];
        IReadsLedger.Reads[] storage reads = _readsOf[taskId];
        for (uint256 i = 0; i < reads.length; i++) {
            (bytes32[] memory flat, uint256[] memory lengths) = ReadsTree.flatten(ReadsTree.proofs(reads[i]));
            try settlement.claimReads(taskId, reads[i], flat, lengths) {} catch {}
        }
    }

    function claim(uint256 accountSeed, bool inToken) external {
        address account = _accounts[accountSeed % _accounts.length];
        address token = inToken ? address(payToken) : address(0);
        vm.prank(account);
        try settlement.claim(token) returns (uint256 amount) {
            claimedOut[token] += amount;
        } catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_ % 30 minutes);
    }

    function taskCount() external view returns (uint256) {
        return taskIds.length;
    }

    function allAccounts() external view returns (address[] memory) {
        return _accounts;
    }

    function allRefiners() external view returns (uint256[] memory) {
        return _refinerIds;
    }

    /// @dev For each refiner of the task, its files read for 1 to 1,000 rows each, or (one time in
    ///      four) none of its rows.
    function _randomReads(uint256[] memory refiners, uint256 seed)
        internal
        view
        returns (IReadsLedger.Reads[] memory reads)
    {
        uint256 read = 0;
        IReadsLedger.Reads[] memory all = new IReadsLedger.Reads[](refiners.length);
        for (uint256 i = 0; i < refiners.length; i++) {
            seed = uint256(keccak256(abi.encode(seed)));
            if (seed % 4 == 0) continue;
            uint256[] storage files = _refinedFiles[_indexOf(refiners[i])];
            uint256[] memory rows = new uint256[](files.length);
            for (uint256 f = 0; f < files.length; f++) {
                rows[f] = 1 + uint256(keccak256(abi.encode(seed, f))) % 1000;
            }
            all[read++] = IReadsLedger.Reads(refiners[i], files, rows);
        }
        reads = new IReadsLedger.Reads[](read);
        for (uint256 i = 0; i < read; i++) {
            reads[i] = all[i];
        }
    }

    function _indexOf(uint256 refinerId) internal view returns (uint256) {
        for (uint256 i = 0; i < _refinerIds.length; i++) {
            if (_refinerIds[i] == refinerId) return i;
        }
        revert("unknown refiner");
    }
}
