// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {TaskCoordinator} from "../../src/compute/TaskCoordinator.sol";
import {Verifier} from "../../src/compute/Verifier.sol";
import {DisputeGame} from "../../src/compute/optimistic/DisputeGame.sol";
import {ChallengerRegistry} from "../../src/compute/optimistic/ChallengerRegistry.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";
import {ITaskCoordinator} from "../../src/interfaces/compute/ITaskCoordinator.sol";
import {ITeeVerifier} from "../../src/interfaces/compute/ITeeVerifier.sol";
import {IDisputeGame} from "../../src/interfaces/compute/IDisputeGame.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";

/// @notice Drives OP tasks in random orders for the invariant suite: honest and dishonest workers
///         proposing, challengers right and wrong disputing, moves by each party's trace (or nonsense),
///         referees deciding honestly or not at all, timeouts, finalizations, claims, challengers leaving
///         and rejoining, blocks passing. It keeps ghost totals of the bonds that came in and went out.
contract OptimisticHandler {
    struct Setup {
        TaskCoordinator coordinator;
        Verifier verifier;
        DisputeGame game;
        ChallengerRegistry registry;
        ITeePool pool;
        ITaskCoordinator.TaskRequest request;
        IReadsLedger.ReadsRoot[] roots;
        address requester;
        uint256 workerKey;
        uint256 dlpId;
        uint256[] challengerKeys;
        uint256[] refereeKeys;
        address[] accounts;
    }

    bytes32 internal constant RESULT = keccak256("the honest result");
    bytes32 internal constant LIE = keccak256("a lie");

    TaskCoordinator public immutable coordinator;
    Verifier public immutable verifier;
    DisputeGame public immutable game;
    ChallengerRegistry public immutable registry;
    ITeePool public immutable pool;
    address public immutable requester;
    uint256 public immutable dlpId;
    uint256 internal immutable _workerKey;
    ITaskCoordinator.TaskRequest internal _request;
    IReadsLedger.ReadsRoot[] internal _roots;
    uint256[] internal _challengerKeys;
    uint256[] internal _refereeKeys;
    address[] internal _accounts;

    bytes32[] public taskIds;
    mapping(bytes32 taskId => bool) public workerHonest;
    mapping(bytes32 taskId => uint64) public traceLength;
    mapping(bytes32 taskId => bool) internal _challengerHonest;
    uint256 public deposited;
    uint256 public paidOut;
    /// Disputes the referees decided honestly that a dishonest party still won.
    uint256 public dishonestWins;
    uint256 public movesAboveBound;

    constructor(Setup memory s) {
        coordinator = s.coordinator;
        verifier = s.verifier;
        game = s.game;
        registry = s.registry;
        pool = s.pool;
        requester = s.requester;
        dlpId = s.dlpId;
        _workerKey = s.workerKey;
        _request = s.request;
        for (uint256 i = 0; i < s.roots.length; i++) {
            _roots.push(s.roots[i]);
        }
        _challengerKeys = s.challengerKeys;
        _refereeKeys = s.refereeKeys;
        _accounts = s.accounts;
        deposited = s.registry.totalBonds(); // the challengers' bonds posted before the run
    }

    function propose(bool honest, uint64 length) external {
        length = uint64(1 + length % 64);
        bytes32 taskId = _submit();
        bytes32 result = honest ? RESULT : LIE;
        bytes memory report = _report(taskId, result);
        bytes memory signature = _sign(_workerKey, verifier.teeResultDigest(taskId, result, keccak256(report)));
        uint256 workerBond = game.config().workerBond;
        address worker = vm.addr(_workerKey);
        vm.deal(worker, worker.balance + workerBond);
        vm.prank(worker);
        verifier.submitOptimisticResult{value: workerBond}(
            abi.encode(taskId), abi.encode(result), signature, report, keccak256("trace"), length
        );
        taskIds.push(taskId);
        workerHonest[taskId] = honest;
        traceLength[taskId] = length;
        deposited += workerBond;
    }

    function challenge(uint256 taskSeed, uint256 challengerSeed, bool honest) external {
        if (taskIds.length == 0) return;
        bytes32 taskId = taskIds[taskSeed % taskIds.length];
        address challenger = vm.addr(_challengerKeys[challengerSeed % _challengerKeys.length]);
        bytes32 result = honest ? RESULT : keccak256(abi.encode("another lie", challengerSeed));
        vm.prank(challenger);
        try verifier.submitFraudProof(
            abi.encode(taskId), abi.encode(dlpId, result, keccak256("its trace"), traceLength[taskId]), challenger
        ) {
            _challengerHonest[taskId] = honest;
        } catch {}
    }

    /// The party whose turn it is moves by its trace, or, if it is dishonest, one time in five with nonsense.
    function move(uint256 taskSeed, uint256 seed) external {
        if (taskIds.length == 0) return;
        bytes32 taskId = taskIds[taskSeed % taskIds.length];
        IDisputeGame.Dispute memory d = game.disputes(taskId);
        if (d.phase != IDisputeGame.DisputePhase.Bisecting) return;
        bool honest = d.workerTurn ? workerHonest[taskId] : _challengerHonest[taskId];
        bytes32 salt = d.workerTurn ? bytes32("worker") : bytes32("challenger");
        (uint64 lo, uint64 hi) = (d.lo, d.hi);
        bytes32 previous;
        bytes32 midpoint;
        if (!honest && seed % 5 == 0) {
            (previous, midpoint) = (keccak256(abi.encode(seed, 1)), keccak256(abi.encode(seed, 2)));
        } else {
            if (d.mid != 0) {
                previous = _stateOf(taskId, honest, salt, d.mid);
                if (previous == d.midState) lo = d.mid;
                else hi = d.mid;
            }
            if (hi - lo > 1) midpoint = _stateOf(taskId, honest, salt, lo + (hi - lo) / 2);
        }
        vm.prank(d.workerTurn ? vm.addr(_workerKey) : d.challenger);
        try game.move(taskId, previous, midpoint) {
            IDisputeGame.Dispute memory after_ = game.disputes(taskId);
            if (after_.moves > game.maxMoves(traceLength[taskId])) movesAboveBound++;
        } catch {}
    }

    /// Two referees that are not the challenger sign the honest state after the disputed step.
    function decide(uint256 taskSeed) external {
        if (taskIds.length == 0) return;
        bytes32 taskId = taskIds[taskSeed % taskIds.length];
        IDisputeGame.Dispute memory d = game.disputes(taskId);
        if (d.phase != IDisputeGame.DisputePhase.Step) return;
        bytes32 stateAfter = _stateOf(taskId, true, bytes32(0), d.hi);
        bytes32 digest = game.refereeStepDigest(taskId, d.lo, d.agreed, stateAfter);
        bytes[] memory signatures = new bytes[](2);
        uint256 signed = 0;
        for (uint256 i = 0; i < _refereeKeys.length && signed < 2; i++) {
            if (vm.addr(_refereeKeys[i]) == d.challenger) continue;
            signatures[signed++] = _sign(_refereeKeys[i], digest);
        }
        try game.decide(taskId, stateAfter, signatures) {
            bool workerWon = game.disputes(taskId).phase == IDisputeGame.DisputePhase.WorkerWon;
            bool honestWon = workerWon ? workerHonest[taskId] : _challengerHonest[taskId] || !workerHonest[taskId];
            if (!honestWon) dishonestWins++;
        } catch {}
    }

    function timeout(uint256 taskSeed) external {
        if (taskIds.length == 0) return;
        try game.timeout(taskIds[taskSeed % taskIds.length]) {} catch {}
    }

    function finalize(uint256 taskSeed) external {
        if (taskIds.length == 0) return;
        try verifier.finalize(taskIds[taskSeed % taskIds.length]) {} catch {}
    }

    function claim(uint256 accountSeed) external {
        address account = _account(accountSeed);
        vm.prank(account);
        try game.claim() returns (uint256 amount) {
            paidOut += amount;
        } catch {}
    }

    function leave(uint256 accountSeed) external {
        address account = vm.addr(_challengerKeys[accountSeed % _challengerKeys.length]);
        vm.prank(account);
        try registry.leave(dlpId) returns (uint256 amount) {
            paidOut += amount;
        } catch {}
    }

    function join(uint256 accountSeed) external {
        address account = vm.addr(_challengerKeys[accountSeed % _challengerKeys.length]);
        uint256 bond = registry.bond();
        vm.deal(account, account.balance + bond);
        vm.prank(account);
        try registry.join{value: bond}(dlpId) {
            deposited += bond;
        } catch {}
    }

    function roll(uint256 blocks) external {
        vm.roll(block.number + blocks % 40);
    }

    function taskCount() external view returns (uint256) {
        return taskIds.length;
    }

    /// @dev The worker, the challengers and the referees, each once: everyone the game may credit.
    function accounts() external view returns (address[] memory) {
        return _accounts;
    }

    function _account(uint256 seed) internal view returns (address) {
        return _accounts[seed % _accounts.length];
    }

    /// @dev State i of a trace: the honest one, or one that goes wrong from its middle on.
    function _stateOf(bytes32 taskId, bool honest, bytes32 salt, uint64 i) internal view returns (bytes32) {
        uint64 length = traceLength[taskId];
        if (i == 0) return game.proposals(taskId).initialState;
        if (honest || i <= length / 2) {
            return i == length ? RESULT : keccak256(abi.encode("honest state", i));
        }
        return i == length && salt == bytes32("worker") ? LIE : keccak256(abi.encode(salt, i));
    }

    function _submit() internal returns (bytes32 taskId) {
        ITaskCoordinator.TaskRequest memory request = _request;
        request.deadline = uint64(block.timestamp + 1 hours);
        uint256 total = coordinator.quote(requester, address(0), request.permissionIds) + request.workerFee;
        vm.deal(requester, requester.balance + total);
        vm.prank(requester);
        (taskId,) = coordinator.submitTask{value: total}(request);
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _report(bytes32 taskId, bytes32 result) internal view returns (bytes memory) {
        ITaskCoordinator.Task memory task = coordinator.tasks(taskId);
        ITeePool.TeeInfo memory enclave = pool.teeRecords(task.worker);
        return abi.encode(
            ITeeVerifier.AttestationReport({
                taskId: taskId,
                dataRoot: keccak256(abi.encode(_roots)),
                modelId: task.modelId,
                algorithmDigest: task.algorithmDigest,
                paramsHash: task.paramsHash,
                resultHash: result,
                enclaveType: enclave.enclaveType,
                measurement: enclave.measurement,
                time: uint64(block.timestamp),
                reads: _roots,
                leavesUrl: "leaves",
                outputUrl: "output"
            })
        );
    }
}
