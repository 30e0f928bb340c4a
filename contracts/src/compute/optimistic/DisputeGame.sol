// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IDisputeGame} from "../../interfaces/compute/IDisputeGame.sol";
import {IChallengerRegistry} from "../../interfaces/compute/IChallengerRegistry.sol";
import {ITaskCoordinator} from "../../interfaces/compute/ITaskCoordinator.sol";
import {IDataRefinerRegistry} from "../../interfaces/IDataRefinerRegistry.sol";
import {ITeePool} from "../../interfaces/ITeePool.sol";
import {ComputeBound} from "../ComputeBound.sol";

/// @title DisputeGame
/// @notice OP results' windows, bisection disputes, referee decisions and bonds (see the interface).
///         The game only knows state hashes; what a step means is the referees' business: their
///         signatures are checked in `_referees` alone, so a SNARK of the step can take their place
///         where an algorithm has one.
contract DisputeGame is IDisputeGame, ComputeBound, EIP712, ReentrancyGuard {
    bytes32 public constant REFEREE_STEP_TYPEHASH =
        keccak256("RefereeStep(bytes32 taskId,uint64 step,bytes32 stateBefore,bytes32 stateAfter)");
    uint256 private constant BPS = 10_000;

    IChallengerRegistry public immutable registry;
    IDataRefinerRegistry public immutable refinerRegistry;
    ITeePool public immutable teePool;
    Config private _config;

    uint256 public heldBonds;
    uint256 public owed;
    uint256 public burnt;

    mapping(bytes32 taskId => Proposal) private _proposals;
    mapping(bytes32 taskId => Dispute) private _disputes;
    mapping(address account => uint256) private _earnings;

    constructor(IChallengerRegistry registry_, IDataRefinerRegistry refiners, ITeePool pool, Config memory config_)
        EIP712("DataCoop DisputeGame", "1")
    {
        if (config_.challengeWindow == 0) revert DisputeGameBadConfig("challengeWindow");
        if (config_.moveBlocks == 0) revert DisputeGameBadConfig("moveBlocks");
        if (config_.stepBlocks == 0) revert DisputeGameBadConfig("stepBlocks");
        if (config_.workerBond == 0) revert DisputeGameBadConfig("workerBond");
        if (uint256(config_.burnBps) + config_.refereeBps > BPS) revert DisputeGameBadConfig("burnBps + refereeBps");
        if (config_.quorum == 0) revert DisputeGameBadConfig("quorum");
        registry = registry_;
        refinerRegistry = refiners;
        teePool = pool;
        _config = config_;
    }

    /// @notice Takes a slashed challenger's bond from the registry; from nobody else.
    receive() external payable {
        if (msg.sender != address(registry)) revert DisputeGameNotRegistry(msg.sender);
    }

    /// @inheritdoc IDisputeGame
    function propose(
        bytes32 taskId,
        address worker,
        bytes32 initialState,
        bytes32 resultHash,
        bytes32 traceRoot,
        uint64 traceLength
    ) external payable {
        _requireVerifier();
        if (msg.value != _config.workerBond) revert DisputeGameWrongBond(msg.value, _config.workerBond);
        if (traceLength == 0) revert DisputeGameZeroTraceLength();
        Proposal storage proposal = _proposals[taskId];
        if (proposal.status != ProposalStatus.None) revert DisputeGameAlreadyProposed(taskId);
        uint64 windowEnd = uint64(block.number) + _config.challengeWindow;
        _proposals[taskId] = Proposal({
            worker: worker,
            status: ProposalStatus.Open,
            windowEnd: windowEnd,
            traceLength: traceLength,
            disputes: 0,
            initialState: initialState,
            resultHash: resultHash,
            traceRoot: traceRoot,
            bond: msg.value
        });
        heldBonds += msg.value;
        emit Proposed(taskId, worker, resultHash, traceRoot, traceLength, windowEnd, msg.value);
    }

    /// @inheritdoc IDisputeGame
    function open(
        bytes32 taskId,
        address challenger,
        uint256 dlpId,
        bytes32 resultHash,
        bytes32 traceRoot,
        uint64 traceLength
    ) external {
        _requireVerifier();
        Proposal storage proposal = _proposal(taskId);
        if (proposal.status != ProposalStatus.Open) revert DisputeGameWrongStatus(taskId, proposal.status);
        if (block.number > proposal.windowEnd) revert DisputeGameWindowClosed(taskId, proposal.windowEnd);
        if (challenger == proposal.worker) revert DisputeGameChallengerIsWorker(challenger);
        if (!registry.isChallenger(dlpId, challenger)) revert DisputeGameNotChallenger(dlpId, challenger);
        _requireRead(taskId, dlpId);
        if (resultHash == proposal.resultHash) revert DisputeGameSameResult(resultHash);
        registry.lock(dlpId, challenger, taskId);

        proposal.status = ProposalStatus.Disputed;
        proposal.disputes++;
        uint64 length = proposal.traceLength;
        Dispute storage dispute = _disputes[taskId];
        delete _disputes[taskId];
        dispute.challenger = challenger;
        dispute.dlpId = dlpId;
        dispute.openedAt = uint64(block.number);
        dispute.hi = length;
        dispute.agreed = proposal.initialState;
        dispute.workerAtHi = proposal.resultHash;
        dispute.challengerAtHi = resultHash;
        dispute.challengerTraceRoot = traceRoot;
        dispute.challengerTraceLength = traceLength;
        if (length == 1) {
            _toStep(dispute);
        } else {
            dispute.phase = DisputePhase.Bisecting;
            dispute.workerTurn = true;
            dispute.deadline = uint64(block.number) + _config.moveBlocks;
        }
        emit DisputeOpened(taskId, challenger, dlpId, resultHash, traceRoot, traceLength, dispute.deadline);
    }

    /// @inheritdoc IDisputeGame
    function move(bytes32 taskId, bytes32 previous, bytes32 midpoint) external {
        Dispute storage dispute = _inPhase(taskId, DisputePhase.Bisecting);
        address worker = _proposals[taskId].worker;
        address expected = dispute.workerTurn ? worker : dispute.challenger;
        if (msg.sender != expected) revert DisputeGameNotYourTurn(taskId, msg.sender, expected);
        if (block.number > dispute.deadline) revert DisputeGameDeadlinePassed(taskId, dispute.deadline);

        if (dispute.mid != 0) {
            if (previous == dispute.midState) {
                dispute.lo = dispute.mid;
                dispute.agreed = previous;
            } else {
                dispute.hi = dispute.mid;
                // The opponent's state there against the mover's own.
                (dispute.workerAtHi, dispute.challengerAtHi) =
                    dispute.workerTurn ? (previous, dispute.midState) : (dispute.midState, previous);
            }
        }
        dispute.moves++;
        if (dispute.hi - dispute.lo == 1) {
            _toStep(dispute);
        } else {
            dispute.mid = dispute.lo + (dispute.hi - dispute.lo) / 2; // no overflow at any uint64 length
            dispute.midState = midpoint;
            dispute.workerTurn = !dispute.workerTurn;
            dispute.deadline = uint64(block.number) + _config.moveBlocks;
        }
        emit Moved(
            taskId, msg.sender, dispute.moves, dispute.lo, dispute.hi, dispute.mid, dispute.midState, dispute.deadline
        );
    }

    /// @inheritdoc IDisputeGame
    function decide(bytes32 taskId, bytes32 stateAfter, bytes[] calldata signatures) external nonReentrant {
        Dispute storage dispute = _inPhase(taskId, DisputePhase.Step);
        if (block.number > dispute.deadline) revert DisputeGameDeadlinePassed(taskId, dispute.deadline);
        address[] memory referees = _referees(taskId, dispute, stateAfter, signatures);
        emit StepDecided(taskId, dispute.lo, dispute.agreed, stateAfter, referees);
        _resolve(taskId, dispute, stateAfter == dispute.workerAtHi, referees);
    }

    /// @inheritdoc IDisputeGame
    function timeout(bytes32 taskId) external nonReentrant {
        Dispute storage dispute = _disputes[taskId];
        DisputePhase phase = dispute.phase;
        if (phase != DisputePhase.Bisecting && phase != DisputePhase.Step) {
            revert DisputeGameWrongPhase(taskId, phase);
        }
        if (block.number <= dispute.deadline) revert DisputeGameDeadlineNotPassed(taskId, dispute.deadline);
        Proposal storage proposal = _proposals[taskId];
        if (phase == DisputePhase.Step) {
            emit TimedOut(taskId, address(0), phase);
            dispute.phase = DisputePhase.Undecided;
            proposal.status = ProposalStatus.Undecided;
            registry.release(dispute.dlpId, dispute.challenger, false, 0);
            _returnWorkerBond(taskId, proposal);
            emit DisputeUndecided(taskId, dispute.challenger);
            return;
        }
        emit TimedOut(taskId, dispute.workerTurn ? proposal.worker : dispute.challenger, phase);
        _resolve(taskId, dispute, !dispute.workerTurn, new address[](0));
    }

    /// @inheritdoc IDisputeGame
    function close(bytes32 taskId) external returns (bool accepted) {
        _requireVerifier();
        Proposal storage proposal = _proposal(taskId);
        ProposalStatus status = proposal.status;
        if (status == ProposalStatus.Open) {
            if (block.number <= proposal.windowEnd) revert DisputeGameWindowOpen(taskId, proposal.windowEnd);
            accepted = true;
            proposal.status = ProposalStatus.Accepted;
            _returnWorkerBond(taskId, proposal);
        } else if (status == ProposalStatus.Faulted || status == ProposalStatus.Undecided) {
            proposal.status = ProposalStatus.Rejected;
        } else {
            revert DisputeGameWrongStatus(taskId, status);
        }
        emit ProposalClosed(taskId, accepted);
    }

    /// @inheritdoc IDisputeGame
    function claim() external nonReentrant returns (uint256 amount) {
        amount = _earnings[msg.sender];
        if (amount == 0) revert DisputeGameNothingToClaim(msg.sender);
        _earnings[msg.sender] = 0;
        owed -= amount;
        emit Claimed(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert DisputeGameTransferFailed();
    }

    /// @inheritdoc IDisputeGame
    function refereeStepDigest(bytes32 taskId, uint64 step, bytes32 stateBefore, bytes32 stateAfter)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(REFEREE_STEP_TYPEHASH, taskId, step, stateBefore, stateAfter)));
    }

    /// @inheritdoc IDisputeGame
    function maxMoves(uint64 traceLength) external pure returns (uint256) {
        return traceLength <= 1 ? 0 : Math.log2(traceLength - 1) + 2;
    }

    /// @inheritdoc IDisputeGame
    function proposals(bytes32 taskId) external view returns (Proposal memory) {
        return _proposals[taskId];
    }

    /// @inheritdoc IDisputeGame
    function disputes(bytes32 taskId) external view returns (Dispute memory) {
        return _disputes[taskId];
    }

    /// @inheritdoc IDisputeGame
    function config() external view returns (Config memory) {
        return _config;
    }

    /// @inheritdoc IDisputeGame
    function earnings(address account) external view returns (uint256) {
        return _earnings[account];
    }

    /// @dev Pays the loser's bond out (burnt part, referees' part, the rest to the winner), then sends
    ///      a winning worker back to its window, its clock paused while the dispute ran, or faults it.
    function _resolve(bytes32 taskId, Dispute storage dispute, bool workerWon, address[] memory referees) private {
        Proposal storage proposal = _proposals[taskId];
        dispute.phase = workerWon ? DisputePhase.WorkerWon : DisputePhase.ChallengerWon;
        (address winner, address loser) =
            workerWon ? (proposal.worker, dispute.challenger) : (dispute.challenger, proposal.worker);
        uint256 amount;
        if (workerWon) {
            proposal.status = ProposalStatus.Open;
            proposal.windowEnd += uint64(block.number) - dispute.openedAt;
            amount = registry.slash(dispute.dlpId, dispute.challenger);
        } else {
            proposal.status = ProposalStatus.Faulted;
            amount = proposal.bond;
            proposal.bond = 0;
            heldBonds -= amount;
        }
        uint256 toBurn = amount * _config.burnBps / BPS;
        burnt += toBurn;
        emit BondBurnt(taskId, toBurn);
        uint256 toWinner = amount - toBurn;
        if (referees.length != 0) {
            uint256 each = amount * _config.refereeBps / BPS / referees.length;
            for (uint256 i = 0; i < referees.length; i++) {
                _credit(taskId, referees[i], each);
            }
            toWinner -= each * referees.length;
        }
        _credit(taskId, winner, toWinner);
        if (!workerWon) registry.release(dispute.dlpId, dispute.challenger, true, toWinner);
        emit DisputeResolved(taskId, winner, loser, amount, toWinner);
    }

    /// @dev The signers of `stateAfter` for the disputed step: at least a quorum, each a distinct
    ///      eligible referee. Every signature must count, so a bad one is named rather than skipped.
    function _referees(bytes32 taskId, Dispute storage dispute, bytes32 stateAfter, bytes[] calldata signatures)
        private
        view
        returns (address[] memory referees)
    {
        if (signatures.length < _config.quorum) {
            revert DisputeGameQuorumNotReached(signatures.length, _config.quorum);
        }
        bytes32 digest = refereeStepDigest(taskId, dispute.lo, dispute.agreed, stateAfter);
        address worker = _proposals[taskId].worker;
        referees = new address[](signatures.length);
        for (uint256 i = 0; i < signatures.length; i++) {
            address referee = ECDSA.recover(digest, signatures[i]);
            if (referee == worker || referee == dispute.challenger) revert DisputeGameRefereeIsParty(referee);
            if (
                !teePool.isActiveTee(referee)
                    || !(registry.isChallenger(dispute.dlpId, referee)
                        || refinerRegistry.isRefinementService(dispute.dlpId, referee))
            ) {
                revert DisputeGameNotReferee(dispute.dlpId, referee);
            }
            for (uint256 j = 0; j < i; j++) {
                if (referees[j] == referee) revert DisputeGameDuplicateReferee(referee);
            }
            referees[i] = referee;
        }
    }

    function _toStep(Dispute storage dispute) private {
        dispute.phase = DisputePhase.Step;
        dispute.mid = 0;
        dispute.midState = bytes32(0);
        dispute.deadline = uint64(block.number) + _config.stepBlocks;
    }

    function _returnWorkerBond(bytes32 taskId, Proposal storage proposal) private {
        uint256 amount = proposal.bond;
        proposal.bond = 0;
        heldBonds -= amount;
        _credit(taskId, proposal.worker, amount);
    }

    function _credit(bytes32 taskId, address account, uint256 amount) private {
        _earnings[account] += amount;
        owed += amount;
        emit Earned(taskId, account, amount);
    }

    /// @dev A challenger challenges for a DataDAO whose rows the task reads: it may re-execute over them.
    function _requireRead(bytes32 taskId, uint256 dlpId) private view {
        uint256[] memory refinerIds = ITaskCoordinator(coordinator).tasks(taskId).refinerIds;
        for (uint256 r = 0; r < refinerIds.length; r++) {
            if (refinerRegistry.refiners(refinerIds[r]).dlpId == dlpId) return;
        }
        revert DisputeGameDataDaoNotRead(taskId, dlpId);
    }

    function _proposal(bytes32 taskId) private view returns (Proposal storage proposal) {
        proposal = _proposals[taskId];
        if (proposal.status == ProposalStatus.None) revert DisputeGameNoProposal(taskId);
    }

    function _inPhase(bytes32 taskId, DisputePhase phase) private view returns (Dispute storage dispute) {
        dispute = _disputes[taskId];
        if (dispute.phase != phase) revert DisputeGameWrongPhase(taskId, dispute.phase);
    }

    function _requireVerifier() private view {
        if (msg.sender != verifier) revert DisputeGameNotVerifier(msg.sender);
    }
}
