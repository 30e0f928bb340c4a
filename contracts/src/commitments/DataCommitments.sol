// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDataCommitments} from "../interfaces/commitments/IDataCommitments.sol";
import {IDataRegistry} from "../interfaces/IDataRegistry.sol";
import {IDataRefinerRegistry} from "../interfaces/IDataRefinerRegistry.sol";

/// @dev The generated Groth16 verifiers (contracts/src/zk/, written by circuits/build.js) share this shape.
interface IAggregateVerifier {
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[6] calldata publicSignals
    ) external view returns (bool);
}

/// @title DataCommitments
/// @notice Per refined file, a commitment to each numeric column, recorded by the DataDAO's refinement
///         service (its enclave holds the rows and the salt), and the check of aggregate proofs against
///         them. A refinement's commitments are written once and never replaced, so a proof made later still opens the
///         rows the refinement registered.
contract DataCommitments is IDataCommitments {
    /// @dev BN254's scalar field, in which circuits compute: a commitment is an element of it, and a
    ///      signed value v is v mod FIELD (negative values above FIELD / 2).
    uint256 private constant FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant SMALL_CIRCUIT_ROWS = 8;
    uint256 private constant LARGE_CIRCUIT_ROWS = 32;

    IDataRegistry public immutable dataRegistry;
    IDataRefinerRegistry public immutable refinerRegistry;
    IAggregateVerifier public immutable aggregate8;
    IAggregateVerifier public immutable aggregate32;

    mapping(uint256 fileId => mapping(uint256 refinerId => mapping(bytes32 column => Commitment))) private _commitments;
    mapping(uint256 fileId => mapping(uint256 refinerId => string[])) private _columns;
    mapping(uint256 fileId => mapping(uint256 refinerId => bool)) private _committed;

    constructor(
        IDataRegistry registry,
        IDataRefinerRegistry refiners,
        IAggregateVerifier verifier8,
        IAggregateVerifier verifier32
    ) {
        dataRegistry = registry;
        refinerRegistry = refiners;
        aggregate8 = verifier8;
        aggregate32 = verifier32;
    }

    /// @inheritdoc IDataCommitments
    function commit(uint256 fileId, uint256 refinerId, Column[] calldata columns) external {
        // refinerDlpId reverts naming an unknown refiner.
        uint256 dlpId = refinerRegistry.refinerDlpId(refinerId);
        if (!refinerRegistry.isRefinementService(dlpId, msg.sender)) {
            revert DataCommitmentsNotService(dlpId, msg.sender);
        }
        if (bytes(dataRegistry.refinements(fileId, refinerId)).length == 0) {
            revert DataCommitmentsNoRefinement(fileId, refinerId);
        }
        if (_committed[fileId][refinerId]) revert DataCommitmentsRefinementCommitted(fileId, refinerId);
        _committed[fileId][refinerId] = true;
        string[] storage listed = _columns[fileId][refinerId];
        for (uint256 i = 0; i < columns.length; i++) {
            Column calldata column = columns[i];
            if (bytes(column.name).length == 0) revert DataCommitmentsEmptyColumnName();
            if (column.commitment >= FIELD) revert DataCommitmentsNotAFieldElement(column.name, column.commitment);
            Commitment storage recorded = _commitments[fileId][refinerId][keccak256(bytes(column.name))];
            if (recorded.committedAt != 0) revert DataCommitmentsAlreadyCommitted(fileId, refinerId, column.name);
            recorded.commitment = column.commitment;
            recorded.rows = column.rows;
            recorded.scale = column.scale;
            recorded.service = msg.sender;
            recorded.committedAt = uint64(block.timestamp);
            listed.push(column.name);
            emit ColumnCommitted(fileId, refinerId, column.name, column.commitment, column.rows, column.scale, msg.sender);
        }
        emit RefinementCommitted(fileId, refinerId, columns.length);
    }

    /// @inheritdoc IDataCommitments
    function isCommitted(uint256 fileId, uint256 refinerId) external view returns (bool) {
        return _committed[fileId][refinerId];
    }

    /// @inheritdoc IDataCommitments
    function commitmentOf(uint256 fileId, uint256 refinerId, string calldata column)
        public
        view
        returns (Commitment memory recorded)
    {
        recorded = _commitments[fileId][refinerId][keccak256(bytes(column))];
        if (recorded.committedAt == 0) revert DataCommitmentsUnknown(fileId, refinerId, column);
    }

    /// @inheritdoc IDataCommitments
    function columnsOf(uint256 fileId, uint256 refinerId) external view returns (string[] memory) {
        return _columns[fileId][refinerId];
    }

    /// @inheritdoc IDataCommitments
    function circuitFor(uint256 rows) public pure returns (uint256) {
        if (rows <= SMALL_CIRCUIT_ROWS) return SMALL_CIRCUIT_ROWS;
        if (rows <= LARGE_CIRCUIT_ROWS) return LARGE_CIRCUIT_ROWS;
        revert DataCommitmentsTooManyRows(rows, LARGE_CIRCUIT_ROWS);
    }

    /// @inheritdoc IDataCommitments
    function verifyAggregate(
        uint256 fileId,
        uint256 refinerId,
        string calldata column,
        uint256[8] calldata proof,
        uint256[6] calldata publicSignals
    ) external view returns (Aggregate memory aggregate) {
        Commitment memory recorded = commitmentOf(fileId, refinerId, column);
        if (publicSignals[4] != recorded.commitment) {
            revert DataCommitmentsSignalMismatch(4, recorded.commitment, publicSignals[4]);
        }
        // The commitment binds the row count, so a valid proof has this count; checked for a clear error.
        if (publicSignals[0] != recorded.rows) revert DataCommitmentsSignalMismatch(0, recorded.rows, publicSignals[0]);
        IAggregateVerifier verifier = circuitFor(recorded.rows) == SMALL_CIRCUIT_ROWS ? aggregate8 : aggregate32;
        bool valid = verifier.verifyProof(
            [proof[0], proof[1]], [[proof[2], proof[3]], [proof[4], proof[5]]], [proof[6], proof[7]], publicSignals
        );
        if (!valid) revert DataCommitmentsInvalidProof(fileId, refinerId, column);
        aggregate = Aggregate({
            count: publicSignals[0],
            sum: _signed(publicSignals[1]),
            countAtLeast: publicSignals[2],
            sumAtLeast: _signed(publicSignals[3]),
            threshold: _signed(publicSignals[5]),
            scale: recorded.scale
        });
    }

    function _signed(uint256 element) private pure returns (int256) {
        return element > FIELD / 2 ? -int256(FIELD - element) : int256(element);
    }
}
