// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IReadsLedger} from "../IReadsLedger.sol";
import {IComputeBound} from "./IComputeBound.sol";

/// @title ISettlement
/// @notice The escrow and payment of compute tasks. A task's worker fee and data price are held from
///         submission; when the task is verified the fee is credited to the worker and the data price
///         is split exactly as a query's is (IReadsLedger, with the QueryEngine's shares): the protocol,
///         each DataDAO read, and the contributors whose rows the task read, claimed leaf by leaf against
///         the roots the worker committed. A task never verified is refunded to its requester. Every
///         payment is credited and pulled with `claim(token)`.
interface ISettlement is IReadsLedger, IComputeBound {
    enum EscrowStatus {
        None,
        Held,
        Paid,
        Refunded
    }

    /// @notice What one permission a task uses costs: paid to `refinerId`'s DataDAO and contributors.
    struct Charge {
        uint256 refinerId;
        uint256 price;
    }

    /// @notice A task's escrow: `workerFee + dataPrice` of `token` (zero: the native coin).
    struct Escrow {
        address requester;
        address worker;
        address token;
        EscrowStatus status;
        uint256 workerFee;
        uint256 dataPrice;
    }

    event Escrowed(
        bytes32 indexed taskId, address indexed requester, address indexed token, uint256 workerFee, uint256 dataPrice
    );
    event TaskPaid(bytes32 indexed taskId, address indexed worker, uint256 workerFee, uint256 dataPrice);
    event TaskRefunded(bytes32 indexed taskId, address indexed requester, uint256 amount);

    error SettlementNotCoordinator(address caller);
    error SettlementNotVerifier(address caller);
    error SettlementAlreadyEscrowed(bytes32 taskId);
    error SettlementWrongValue(uint256 sent, uint256 required);
    /// @notice The task's escrow is `status`, not held: it was paid or refunded already, or never made.
    error SettlementNotHeld(bytes32 taskId, EscrowStatus status);
    error SettlementMalformedReads(uint256 refinerId);
    error SettlementNoReadsCommitted(bytes32 taskId, uint256 refinerId);
    error SettlementBadProof(bytes32 taskId, uint256 fileId);
    error SettlementReadAlreadyClaimed(bytes32 taskId, uint256 fileId);
    error SettlementRowsAboveTotal(uint256 claimedRows, uint256 totalRows);
    error SettlementNothingToClaim(address token);
    error SettlementTransferFailed();

    /// @notice Holds a new task's payment; coordinator only. In the native coin `msg.value` must be
    ///         `workerFee` plus the charges' prices; an ERC-20 payment was transferred here just before.
    function escrow(
        bytes32 taskId,
        address requester,
        address worker,
        address token,
        uint256 workerFee,
        Charge[] calldata charges
    ) external payable;

    /// @notice Pays a verified task: the fee to its worker, each charge split between the protocol, the
    ///         DataDAO and the contributors of the roots in `reads` (ascending refiners, each with a root
    ///         and rows, each one a charge pays for; a charged refiner not read pays its cut to the
    ///         DataDAO); `leavesUrl` holds every leaf. Verifier only, once.
    function settle(bytes32 taskId, ReadsRoot[] calldata reads, string calldata leavesUrl) external;

    /// @notice Credits the whole escrow back to the requester; coordinator only, once, never after `settle`.
    function refund(bytes32 taskId) external returns (uint256 amount);

    /// @notice Task `taskId`'s escrow (status None when there is none).
    function escrows(bytes32 taskId) external view returns (Escrow memory);

    /// @notice What task `taskId`'s data costs, permission by permission.
    function charges(bytes32 taskId) external view returns (Charge[] memory);
}
