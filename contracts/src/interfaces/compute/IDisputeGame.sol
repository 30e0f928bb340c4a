// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IComputeBound} from "./IComputeBound.sol";

/// @title IDisputeGame
/// @notice The optimistic (OP) mode's challenge window and fraud-proof game, in the style of opML's
///         `Challenge.sol`. A worker's OP result is a claimed sequence of state hashes s_0 … s_L: s_0
///         commits the task's inputs (the Verifier's `initialStateOf`), s_L is the result hash and L the
///         trace length; the states in between are the worker's trace, kept off-chain under its trace
///         root. The result waits `challengeWindow` blocks (the window), its worker's bond held here.
///
///         A registered challenger that computed another result opens a dispute (its registry bond
///         locked) over [lo, hi] = [0, L], agreed at 0 and disputed at L. The parties then move in
///         turn, the worker first, each within `moveBlocks` blocks of the previous move: a move gives
///         the mover's state at the opponent's last midpoint (equal to the opponent's: they agree there
///         and lo moves up; different: they disagree there and hi moves down), then, while hi - lo > 1,
///         the mover's state at the new midpoint lo + (hi - lo) / 2. So each answered move halves the range
///         and a dispute over L states ends in at most ceil(log2 L) + 1 moves (`maxMoves`). A party that
///         misses its deadline loses (`timeout`, by anyone).
///
///         When hi = lo + 1 the one disputed step is decided by a referee quorum: `quorum` distinct
///         referees, active validators that are challengers or refinement services of the dispute's
///         DataDAO and neither party, sign (EIP-712 `RefereeStep`) the state their enclaves reach by
///         running step lo from the agreed state; the worker wins if that is the worker's state at hi,
///         else its trace is wrong there and the challenger wins. No data is published: only hashes.
///         If no quorum decides within `stepBlocks` blocks the dispute is undecided: both bonds return
///         and the result is rejected (a result nobody could confirm is never verified).
///
///         The loser's bond goes to the winner less `burnBps` (burnt, held here for ever, so a worker
///         challenging itself through a second identity loses that part) and less `refereeBps` shared
///         by the referees who decided (none in a timeout: the winner keeps that part). A worker that
///         loses has its result rejected; one that wins goes back to its window, the blocks the dispute
///         took added to it, so a dispute cannot run the window out and another challenger may still
///         come: disputes on a task are sequential, never two at once. After the window, an unrejected
///         result is accepted and its worker's bond returned. Payments are credited and pulled with
///         `claim`. Only the Verifier proposes, opens and closes.
interface IDisputeGame is IComputeBound {
    /// @notice The game's parameters, fixed at deployment.
    /// @param challengeWindow blocks a result waits for a challenge (the seed's 12 to 24)
    /// @param moveBlocks blocks each party has for its move
    /// @param stepBlocks blocks the referees have to decide the disputed step
    /// @param workerBond what a worker posts with an OP result, in wei
    /// @param burnBps the part of a loser's bond burnt, in basis points
    /// @param refereeBps the part of a loser's bond paid to the referees who decided, in basis points
    /// @param quorum how many referee signatures decide a step
    struct Config {
        uint64 challengeWindow;
        uint64 moveBlocks;
        uint64 stepBlocks;
        uint256 workerBond;
        uint16 burnBps;
        uint16 refereeBps;
        uint8 quorum;
    }

    /// @notice None: no OP result. Open: waiting out its window (or after it, not yet closed). Disputed:
    ///         a dispute runs. Faulted: its worker lost a dispute. Undecided: a dispute ended without a
    ///         decision. Accepted / Rejected: closed by the Verifier.
    enum ProposalStatus {
        None,
        Open,
        Disputed,
        Faulted,
        Undecided,
        Accepted,
        Rejected
    }

    /// @notice A task's OP result. `windowEnd`: the last block a dispute may open; `disputes`: how
    ///         many were opened; `bond`: the worker's bond still held.
    struct Proposal {
        address worker;
        ProposalStatus status;
        uint64 windowEnd;
        uint64 traceLength;
        uint32 disputes;
        bytes32 initialState;
        bytes32 resultHash;
        bytes32 traceRoot;
        uint256 bond;
    }

    enum DisputePhase {
        None,
        Bisecting,
        Step,
        WorkerWon,
        ChallengerWon,
        Undecided
    }

    /// @notice A task's latest dispute. The parties agree on `agreed` at `lo` and disagree at `hi`
    ///         (`workerAtHi`, `challengerAtHi`); `midState` is the state the last mover gave at `mid`
    ///         (zero mid: none pending). `deadline`: the last block of the current move or decision.
    struct Dispute {
        address challenger;
        DisputePhase phase;
        bool workerTurn;
        uint32 moves;
        uint64 openedAt;
        uint64 deadline;
        uint64 lo;
        uint64 hi;
        uint64 mid;
        uint64 challengerTraceLength;
        uint256 dlpId;
        bytes32 agreed;
        bytes32 workerAtHi;
        bytes32 challengerAtHi;
        bytes32 midState;
        bytes32 challengerTraceRoot;
    }

    event Proposed(
        bytes32 indexed taskId,
        address indexed worker,
        bytes32 resultHash,
        bytes32 traceRoot,
        uint64 traceLength,
        uint64 windowEnd,
        uint256 bond
    );
    event DisputeOpened(
        bytes32 indexed taskId,
        address indexed challenger,
        uint256 indexed dlpId,
        bytes32 resultHash,
        bytes32 traceRoot,
        uint64 traceLength,
        uint64 deadline
    );
    /// @notice Move `moves` by `mover`: the range is now [lo, hi]; `midState` is the mover's state at
    ///         `mid` (zero mid when the range is one step and the referees decide next).
    event Moved(
        bytes32 indexed taskId,
        address indexed mover,
        uint32 moves,
        uint64 lo,
        uint64 hi,
        uint64 mid,
        bytes32 midState,
        uint64 deadline
    );
    event StepDecided(bytes32 indexed taskId, uint64 step, bytes32 stateBefore, bytes32 stateAfter, address[] referees);
    /// @notice The dispute's deadline passed in `phase`; `loser` is the party that missed its move
    ///         (zero when the referees missed theirs and the dispute is undecided).
    event TimedOut(bytes32 indexed taskId, address indexed loser, DisputePhase phase);
    event DisputeResolved(
        bytes32 indexed taskId, address indexed winner, address indexed loser, uint256 bond, uint256 toWinner
    );
    event DisputeUndecided(bytes32 indexed taskId, address indexed challenger);
    event BondBurnt(bytes32 indexed taskId, uint256 amount);
    event Earned(bytes32 indexed taskId, address indexed account, uint256 amount);
    event Claimed(address indexed account, uint256 amount);
    event ProposalClosed(bytes32 indexed taskId, bool accepted);

    error DisputeGameBadConfig(string field);
    error DisputeGameNotVerifier(address caller);
    error DisputeGameNotRegistry(address caller);
    error DisputeGameWrongBond(uint256 sent, uint256 required);
    error DisputeGameZeroTraceLength();
    error DisputeGameAlreadyProposed(bytes32 taskId);
    error DisputeGameNoProposal(bytes32 taskId);
    /// @notice The task's result is `status`: no dispute can open, or it cannot be closed yet.
    error DisputeGameWrongStatus(bytes32 taskId, ProposalStatus status);
    /// @notice The window closed at block `windowEnd`.
    error DisputeGameWindowClosed(bytes32 taskId, uint64 windowEnd);
    /// @notice The window is open until block `windowEnd`.
    error DisputeGameWindowOpen(bytes32 taskId, uint64 windowEnd);
    error DisputeGameNotChallenger(uint256 dlpId, address account);
    /// @notice The task reads no refiner of DataDAO `dlpId`.
    error DisputeGameDataDaoNotRead(bytes32 taskId, uint256 dlpId);
    error DisputeGameChallengerIsWorker(address account);
    error DisputeGameSameResult(bytes32 resultHash);
    error DisputeGameWrongPhase(bytes32 taskId, DisputePhase phase);
    error DisputeGameNotYourTurn(bytes32 taskId, address caller, address expected);
    /// @notice The move or decision was due by block `deadline`.
    error DisputeGameDeadlinePassed(bytes32 taskId, uint64 deadline);
    error DisputeGameDeadlineNotPassed(bytes32 taskId, uint64 deadline);
    error DisputeGameQuorumNotReached(uint256 signatures, uint256 quorum);
    error DisputeGameRefereeIsParty(address referee);
    error DisputeGameNotReferee(uint256 dlpId, address referee);
    error DisputeGameDuplicateReferee(address referee);
    error DisputeGameNothingToClaim(address account);
    error DisputeGameTransferFailed();

    /// @notice Holds task `taskId`'s OP result with its worker's bond (`msg.value`, exactly
    ///         `workerBond`) and opens its window; Verifier only.
    function propose(
        bytes32 taskId,
        address worker,
        bytes32 initialState,
        bytes32 resultHash,
        bytes32 traceRoot,
        uint64 traceLength
    ) external payable;

    /// @notice Opens a dispute of task `taskId` by `challenger` for DataDAO `dlpId`, which the task reads
    ///         and which has `challenger` as a registered challenger; within the window, with no dispute
    ///         running. Locks the challenger's bond. Verifier only.
    function open(
        bytes32 taskId,
        address challenger,
        uint256 dlpId,
        bytes32 resultHash,
        bytes32 traceRoot,
        uint64 traceLength
    ) external;

    /// @notice The next move of the party whose turn it is (see the contract): `previous`, its state at
    ///         the opponent's last midpoint (ignored on the worker's first move), and `midpoint`, its
    ///         state at the new midpoint (ignored when the range narrows to one step).
    function move(bytes32 taskId, bytes32 previous, bytes32 midpoint) external;

    /// @notice Decides the disputed step with `signatures` of at least `quorum` distinct referees over
    ///         `refereeStepDigest(taskId, lo, agreed, stateAfter)`. Anyone may send them.
    function decide(bytes32 taskId, bytes32 stateAfter, bytes[] calldata signatures) external;

    /// @notice Ends a dispute whose deadline passed: the party whose move it was loses; a step the
    ///         referees did not decide leaves the dispute undecided. Anyone may call.
    function timeout(bytes32 taskId) external;

    /// @notice Closes task `taskId`'s result: accepted (its worker's bond returned) once its window has
    ///         passed with no dispute running, rejected once its worker lost or a dispute was undecided.
    ///         Verifier only.
    function close(bytes32 taskId) external returns (bool accepted);

    /// @notice Pays out everything credited to the caller.
    function claim() external returns (uint256 amount);

    /// @notice The EIP-712 digest (domain "DataCoop DisputeGame", version 1, this chain and contract) a
    ///         referee signs: `RefereeStep(bytes32 taskId,uint64 step,bytes32 stateBefore,bytes32 stateAfter)`.
    function refereeStepDigest(bytes32 taskId, uint64 step, bytes32 stateBefore, bytes32 stateAfter)
        external
        view
        returns (bytes32);

    /// @notice The most moves a dispute over `traceLength` states takes: ceil(log2 traceLength) + 1
    ///         (none for a single step, which goes straight to the referees).
    function maxMoves(uint64 traceLength) external pure returns (uint256);

    function proposals(bytes32 taskId) external view returns (Proposal memory);

    function disputes(bytes32 taskId) external view returns (Dispute memory);

    function config() external view returns (Config memory);

    /// @notice What `account` has been credited and not claimed.
    function earnings(address account) external view returns (uint256);

    /// @notice Workers' bonds held for open results.
    function heldBonds() external view returns (uint256);

    /// @notice Everything credited and not yet claimed.
    function owed() external view returns (uint256);

    /// @notice Everything burnt (held here, never paid out).
    function burnt() external view returns (uint256);
}
