// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {ReadsTree} from "../utils/ReadsTree.sol";
import {DataCoopDeployment} from "../../script/DeployDataCoop.s.sol";
import {ExecutionRecord} from "../../src/compute/ExecutionRecord.sol";
import {Settlement} from "../../src/compute/Settlement.sol";
import {TaskCoordinator} from "../../src/compute/TaskCoordinator.sol";
import {Verifier} from "../../src/compute/Verifier.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";
import {ITaskCoordinator} from "../../src/interfaces/compute/ITaskCoordinator.sol";
import {ITeeVerifier} from "../../src/interfaces/compute/ITeeVerifier.sol";
import {IExecutionRecord} from "../../src/interfaces/compute/IExecutionRecord.sol";

/// @notice The fixture's DataCoop with its compute contracts: one refiner of the fixture's DataDAO
///         over two refined files (alice's, bob's), the fixture's validator trusted by the DataDAO as
///         the worker, one allowed algorithm and a permission for the builder; and the steps of a task.
abstract contract ComputeTest is DataCoopTest {
    bytes32 internal constant ALGORITHM = keccak256("builtin:logistic-regression/v1");
    bytes32 internal constant PARAMS_HASH = keccak256('{"epochs":5,"seed":1}');
    bytes32 internal constant RESULT = keccak256("weights and accuracy");
    uint256 internal constant DATA_PRICE = 1 ether;
    uint256 internal constant WORKER_FEE = 0.2 ether;

    ExecutionRecord internal record;
    Settlement internal settlement;
    TaskCoordinator internal coordinator;
    Verifier internal verifier;
    uint256 internal schemaId;
    uint256 internal refinerId;
    uint256 internal permissionId;
    uint256 internal aliceFile;
    uint256 internal bobFile;

    function setUp() public virtual override {
        super.setUp();
        record = deployment.executionRecord;
        settlement = deployment.settlement;
        coordinator = deployment.taskCoordinator;
        verifier = deployment.verifier;
        schemaId = _addSchema();
        refinerId = _addRefiner(dlpId, schemaId);
        _addService(dlpId, service);
        _addService(dlpId, tee);
        aliceFile = _refinedFile(alice, "ipfs://alice", refinerId);
        bobFile = _refinedFile(bob, "ipfs://bob", refinerId);
        _allow(dlpId, ALGORITHM);
        permissionId = _grantPermission(builder, refinerId, DATA_PRICE, address(0));
        vm.label(address(coordinator), "coordinator");
        vm.label(address(verifier), "verifier");
        vm.label(address(settlement), "settlement");
    }

    function _allow(uint256 forDlp, bytes32 digest) internal {
        address owner = refinerRegistry.dlpOwner(forDlp);
        vm.prank(owner);
        coordinator.allowAlgorithm(forDlp, digest);
    }

    /// @dev The builder's task over the fixture's refiner, run by `tee`, due in an hour.
    function _request() internal view returns (ITaskCoordinator.TaskRequest memory) {
        return ITaskCoordinator.TaskRequest({
            sqlHash: SQL_HASH,
            refinerIds: _uints(refinerId),
            permissionIds: _uints(permissionId),
            algorithmDigest: ALGORITHM,
            modelId: bytes32(0),
            paramsHash: PARAMS_HASH,
            mode: IExecutionRecord.VerifyMode.TEE,
            worker: tee,
            token: address(0),
            workerFee: WORKER_FEE,
            maxPrice: DATA_PRICE,
            deadline: uint64(block.timestamp + 1 hours),
            specUrl: "http://127.0.0.1:1/blobs/spec"
        });
    }

    function _submit(ITaskCoordinator.TaskRequest memory request, uint256 value) internal returns (bytes32 taskId) {
        vm.prank(builder);
        (taskId,) = coordinator.submitTask{value: value}(request);
    }

    function _submit() internal returns (bytes32) {
        return _submit(_request(), DATA_PRICE + WORKER_FEE);
    }

    /// @dev Alice's file read for 3 rows and bob's for 4, by the fixture's refiner.
    function _readsOfBoth() internal view returns (IReadsLedger.Reads[] memory) {
        return _reads(refinerId, _uints(aliceFile, bobFile), _uints(3, 4));
    }

    /// @dev The report `tee`'s enclave makes for `taskId` with `result`, having read `reads`.
    function _report(bytes32 taskId, bytes32 result, IReadsLedger.Reads[] memory reads)
        internal
        view
        returns (ITeeVerifier.AttestationReport memory report)
    {
        ITaskCoordinator.Task memory task = coordinator.tasks(taskId);
        IReadsLedger.ReadsRoot[] memory roots = ReadsTree.roots(reads);
        report = ITeeVerifier.AttestationReport({
            taskId: taskId,
            dataRoot: keccak256(abi.encode(roots)),
            modelId: task.modelId,
            algorithmDigest: task.algorithmDigest,
            paramsHash: task.paramsHash,
            resultHash: result,
            enclaveType: "software",
            measurement: keccak256(abi.encodePacked("measurement", uint256(1))),
            time: uint64(block.timestamp),
            reads: roots,
            leavesUrl: "http://storage/leaves",
            outputUrl: "http://storage/output"
        });
    }

    function _signResult(uint256 key, Verifier by, bytes32 taskId, bytes32 result, bytes memory report)
        internal
        view
        returns (bytes memory)
    {
        return _sign(key, by.teeResultDigest(taskId, result, keccak256(report)));
    }

    /// @dev `tee` proves `taskId` with the report it makes; compute every argument before expecting a revert.
    function _prove(bytes32 taskId, IReadsLedger.Reads[] memory reads) internal {
        bytes memory report = abi.encode(_report(taskId, RESULT, reads));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, RESULT, report);
        verifier.submitTEEProof(abi.encode(taskId), abi.encode(RESULT), signature, report);
    }

    /// @dev Claims every leaf of `reads` under task `taskId`'s roots, as an outsider.
    function _claimTaskReads(bytes32 taskId, IReadsLedger.Reads[] memory reads) internal {
        for (uint256 r = 0; r < reads.length; r++) {
            (bytes32[] memory flat, uint256[] memory lengths) = ReadsTree.flatten(ReadsTree.proofs(reads[r]));
            vm.prank(address(0xC1A1));
            settlement.claimReads(taskId, reads[r], flat, lengths);
        }
    }
}
