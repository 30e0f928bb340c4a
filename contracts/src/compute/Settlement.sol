// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISettlement} from "../interfaces/compute/ISettlement.sol";
import {IQueryEngine} from "../interfaces/IQueryEngine.sol";
import {IDataRefinerRegistry} from "../interfaces/IDataRefinerRegistry.sol";
import {IDataRegistry} from "../interfaces/IDataRegistry.sol";
import {ReadsLedger} from "../libraries/ReadsLedger.sol";
import {ComputeBound} from "./ComputeBound.sol";

/// @title Settlement
/// @notice Holds compute tasks' payments and pays them out as queries are paid (ReadsLedger), at the
///         QueryEngine's protocol and DataDAO shares, so a DataDAO's terms are the same whether its
///         rows are queried or computed on. Only the bound coordinator escrows and refunds, and only
///         the bound verifier settles; each escrow ends paid or refunded, once. Payments are pulled.
contract Settlement is ISettlement, ReadsLedger, ComputeBound {
    IQueryEngine public immutable queryEngine;

    mapping(bytes32 taskId => Escrow) private _escrows;
    mapping(bytes32 taskId => Charge[]) private _charges;

    /// @param engine whose protocol and DataDAO shares split task payments
    /// @param refiners the refiners whose DataDAOs are paid
    /// @param registry the files whose owners are paid
    constructor(IQueryEngine engine, IDataRefinerRegistry refiners, IDataRegistry registry)
        ReadsLedger(refiners, registry)
    {
        queryEngine = engine;
    }

    /// @inheritdoc ISettlement
    function escrow(
        bytes32 taskId,
        address requester,
        address worker,
        address token,
        uint256 workerFee,
        Charge[] calldata charges_
    ) external payable {
        if (msg.sender != coordinator) revert SettlementNotCoordinator(msg.sender);
        Escrow storage held = _escrows[taskId];
        if (held.status != EscrowStatus.None) revert SettlementAlreadyEscrowed(taskId);
        uint256 dataPrice = 0;
        Charge[] storage stored = _charges[taskId];
        for (uint256 i = 0; i < charges_.length; i++) {
            dataPrice += charges_[i].price;
            stored.push(charges_[i]);
        }
        uint256 required = token == address(0) ? workerFee + dataPrice : 0;
        if (msg.value != required) revert SettlementWrongValue(msg.value, required);
        _escrows[taskId] = Escrow(requester, worker, token, EscrowStatus.Held, workerFee, dataPrice);
        emit Escrowed(taskId, requester, token, workerFee, dataPrice);
    }

    /// @inheritdoc ISettlement
    function settle(bytes32 taskId, ReadsRoot[] calldata reads, string calldata leavesUrl) external nonReentrant {
        if (msg.sender != verifier) revert SettlementNotVerifier(msg.sender);
        Escrow storage held = _held(taskId);
        held.status = EscrowStatus.Paid;
        address token = held.token;
        _splitCharges(taskId, token, _charges[taskId], reads);
        for (uint256 r = 0; r < reads.length; r++) {
            _commit(taskId, token, reads[r], leavesUrl);
        }
        _earn(taskId, held.worker, token, held.workerFee);
        emit TaskPaid(taskId, held.worker, held.workerFee, held.dataPrice);
    }

    /// @inheritdoc ISettlement
    function refund(bytes32 taskId) external returns (uint256 amount) {
        if (msg.sender != coordinator) revert SettlementNotCoordinator(msg.sender);
        Escrow storage held = _held(taskId);
        held.status = EscrowStatus.Refunded;
        amount = held.workerFee + held.dataPrice;
        _earn(taskId, held.requester, held.token, amount);
        emit TaskRefunded(taskId, held.requester, amount);
    }

    /// @inheritdoc ISettlement
    function escrows(bytes32 taskId) external view returns (Escrow memory) {
        return _escrows[taskId];
    }

    /// @inheritdoc ISettlement
    function charges(bytes32 taskId) external view returns (Charge[] memory) {
        return _charges[taskId];
    }

    function _held(bytes32 taskId) private view returns (Escrow storage held) {
        held = _escrows[taskId];
        if (held.status != EscrowStatus.Held) revert SettlementNotHeld(taskId, held.status);
    }

    /// @dev Each charge split as the query of one permission is, at the QueryEngine's current shares.
    function _splitCharges(bytes32 taskId, address token, Charge[] storage charged, ReadsRoot[] calldata reads)
        private
    {
        _requireCovered(reads, _refinersOf(charged));
        (uint256 protocolShareBps, address treasury) = queryEngine.protocolShare();
        for (uint256 i = 0; i < charged.length; i++) {
            uint256 refinerId = charged[i].refinerId;
            _split(
                taskId,
                token,
                charged[i].price,
                refinerId,
                protocolShareBps,
                treasury,
                queryEngine.dataDaoShare(_dlpOf(refinerId)),
                _wasRead(reads, refinerId)
            );
        }
    }

    function _refinersOf(Charge[] storage charged) private view returns (uint256[] memory refinerIds) {
        refinerIds = new uint256[](charged.length);
        for (uint256 i = 0; i < charged.length; i++) {
            refinerIds[i] = charged[i].refinerId;
        }
    }

    function _fail(Fault fault, bytes32 taskId, uint256 a, uint256 b) internal pure override {
        if (fault == Fault.NoReadsCommitted) revert SettlementNoReadsCommitted(taskId, a);
        if (fault == Fault.MalformedReads) revert SettlementMalformedReads(a);
        if (fault == Fault.BadProof) revert SettlementBadProof(taskId, a);
        if (fault == Fault.ReadAlreadyClaimed) revert SettlementReadAlreadyClaimed(taskId, a);
        if (fault == Fault.RowsAboveTotal) revert SettlementRowsAboveTotal(a, b);
        if (fault == Fault.NothingToClaim) revert SettlementNothingToClaim(address(uint160(a)));
        revert SettlementTransferFailed();
    }
}
