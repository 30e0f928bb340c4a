// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../../utils/Vm.sol";
import {ComputeTest} from "../ComputeTest.sol";
import {ChallengerRegistry} from "../../../src/compute/optimistic/ChallengerRegistry.sol";
import {DisputeGame} from "../../../src/compute/optimistic/DisputeGame.sol";
import {IDisputeGame} from "../../../src/interfaces/compute/IDisputeGame.sol";
import {ITaskCoordinator} from "../../../src/interfaces/compute/ITaskCoordinator.sol";
import {IExecutionRecord} from "../../../src/interfaces/compute/IExecutionRecord.sol";

/// @notice The compute fixture with the optimistic mode: one challenger and three referees (two of
///         them challengers of the DataDAO, one its refinement service), all active validators, and
///         traces to play a dispute with. A trace is the honest one up to `divergeAt`, its own after.
abstract contract OptimisticTest is ComputeTest {
    uint256 internal constant CHALLENGER_KEY = 0xC4A1;
    uint256 internal constant REFEREE1_KEY = 0x4EF1;
    uint256 internal constant REFEREE2_KEY = 0x4EF2;
    uint256 internal constant REFEREE3_KEY = 0x4EF3;
    uint256 internal constant STRANGER_KEY = 0x5744;
    bytes32 internal constant WRONG = keccak256("weights copied from the rows");
    bytes32 internal constant WORKER_TRACE = keccak256("the worker's trace root");
    bytes32 internal constant CHALLENGER_TRACE = keccak256("the challenger's trace root");
    uint64 internal constant LENGTH = 8;

    /// @dev States 0 … length: the task's initial state, then the honest state of step i until
    ///      `divergeAt`, its own from there on, and `result` last.
    struct Trace {
        bytes32 initial;
        uint64 length;
        uint64 divergeAt;
        bytes32 result;
        bytes32 salt;
    }

    ChallengerRegistry internal challengers;
    DisputeGame internal game;
    IDisputeGame.Config internal config;
    uint256 internal bond;
    address internal challenger = vm.addr(CHALLENGER_KEY);
    address internal referee1 = vm.addr(REFEREE1_KEY);
    address internal referee2 = vm.addr(REFEREE2_KEY);
    address internal referee3 = vm.addr(REFEREE3_KEY);

    function setUp() public virtual override {
        super.setUp();
        challengers = deployment.challengerRegistry;
        game = deployment.disputeGame;
        config = game.config();
        bond = challengers.bond();
        vm.deal(tee, 10 ether);
        _addTee(challenger, 3);
        _addTee(referee1, 4);
        _addTee(referee2, 5);
        _addTee(referee3, 6);
        _join(dlpId, challenger);
        _join(dlpId, referee1);
        _join(dlpId, referee2);
        _addService(dlpId, referee3);
        vm.label(address(game), "game");
        vm.label(address(challengers), "challengers");
    }

    function _join(uint256 forDlp, address account) internal {
        vm.prank(refinerRegistry.dlpOwner(forDlp));
        challengers.admit(forDlp, account);
        vm.deal(account, account.balance + bond);
        vm.prank(account);
        challengers.join{value: bond}(forDlp);
    }

    function _opRequest() internal view returns (ITaskCoordinator.TaskRequest memory request) {
        request = _request();
        request.mode = IExecutionRecord.VerifyMode.OP;
    }

    function _submitOp() internal returns (bytes32) {
        return _submit(_opRequest(), DATA_PRICE + WORKER_FEE);
    }

    /// @dev `tee` proposes `result` for `taskId` with its bond and a trace of LENGTH states.
    function _propose(bytes32 taskId, bytes32 result) internal {
        _propose(taskId, result, LENGTH);
    }

    function _propose(bytes32 taskId, bytes32 result, uint64 length) internal {
        bytes memory report = abi.encode(_report(taskId, result, _readsOfBoth()));
        bytes memory signature = _signResult(TEE_KEY, verifier, taskId, result, report);
        uint256 workerBond = config.workerBond;
        vm.prank(tee);
        verifier.submitOptimisticResult{value: workerBond}(
            abi.encode(taskId), abi.encode(result), signature, report, WORKER_TRACE, length
        );
    }

    function _evidence(uint256 forDlp, bytes32 result) internal pure returns (bytes memory) {
        return abi.encode(forDlp, result, CHALLENGER_TRACE, LENGTH);
    }

    function _challenge(bytes32 taskId, bytes32 result) internal {
        vm.prank(challenger);
        verifier.submitFraudProof(abi.encode(taskId), _evidence(dlpId, result), challenger);
    }

    /// @dev An OP task proposed with `result` and challenged by `challenger` claiming `challenged`.
    function _disputed(bytes32 result, bytes32 challenged) internal returns (bytes32 taskId) {
        taskId = _submitOp();
        _propose(taskId, result);
        _challenge(taskId, challenged);
    }

    function _initialOf(bytes32 taskId) internal view returns (bytes32) {
        return game.proposals(taskId).initialState;
    }

    function _honest(bytes32 taskId, uint64 length) internal view returns (Trace memory) {
        return Trace(_initialOf(taskId), length, length, RESULT, bytes32(0)); // state `length` is the result
    }

    function _diverging(bytes32 taskId, uint64 length, uint64 divergeAt, bytes32 result, bytes32 salt)
        internal
        view
        returns (Trace memory)
    {
        return Trace(_initialOf(taskId), length, divergeAt, result, salt);
    }

    function _stateOf(Trace memory trace, uint64 i) internal pure returns (bytes32) {
        if (i == 0) return trace.initial;
        if (i == trace.length) return trace.result;
        if (i < trace.divergeAt) return keccak256(abi.encode("honest state", i));
        return keccak256(abi.encode(trace.salt, i));
    }

    /// @dev The mover's move as its trace answers it: its state at the pending midpoint, then at the next.
    function _moveBy(bytes32 taskId, Trace memory worker, Trace memory challenger_) internal {
        IDisputeGame.Dispute memory d = game.disputes(taskId);
        Trace memory trace = d.workerTurn ? worker : challenger_;
        (uint64 lo, uint64 hi) = (d.lo, d.hi);
        bytes32 previous;
        if (d.mid != 0) {
            previous = _stateOf(trace, d.mid);
            if (previous == d.midState) lo = d.mid;
            else hi = d.mid;
        }
        bytes32 midpoint = hi - lo > 1 ? _stateOf(trace, lo + (hi - lo) / 2) : bytes32(0);
        vm.prank(d.workerTurn ? tee : challenger);
        game.move(taskId, previous, midpoint);
    }

    /// @dev Both parties move as their traces answer until one step is left for the referees.
    function _bisect(bytes32 taskId, Trace memory worker, Trace memory challenger_) internal {
        while (game.disputes(taskId).phase == IDisputeGame.DisputePhase.Bisecting) {
            _moveBy(taskId, worker, challenger_);
        }
    }

    /// @dev Signatures by `keys` of `stateAfter` for the dispute's step.
    function _refereeSignatures(bytes32 taskId, bytes32 stateAfter, uint256[] memory keys)
        internal
        view
        returns (bytes[] memory signatures)
    {
        IDisputeGame.Dispute memory d = game.disputes(taskId);
        bytes32 digest = game.refereeStepDigest(taskId, d.lo, d.agreed, stateAfter);
        signatures = new bytes[](keys.length);
        for (uint256 i = 0; i < keys.length; i++) {
            signatures[i] = _sign(keys[i], digest);
        }
    }

    /// @dev Two referees sign the honest state after the disputed step.
    function _decideHonestly(bytes32 taskId, Trace memory honest) internal {
        bytes32 after_ = _stateOf(honest, game.disputes(taskId).hi);
        bytes[] memory signatures = _refereeSignatures(taskId, after_, _uints(REFEREE1_KEY, REFEREE3_KEY));
        game.decide(taskId, after_, signatures);
    }

    function _rollPastWindow(bytes32 taskId) internal {
        vm.roll(game.proposals(taskId).windowEnd + 1);
    }
}
