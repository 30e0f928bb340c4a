// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IDataCommitments
/// @notice Circuit-friendly commitments to refined data: when the enclave refines a file, it commits to
///         each numeric column of the refined rows (a salted Poseidon chain, as circuits/aggregate.circom
///         opens it, of the values as fixed-point integers at a stated scale) next to the refinement.
///         A zero-knowledge proof about those rows is then a proof against a commitment already on-chain:
///         `verifyAggregate` checks one made by the aggregate circuits.
interface IDataCommitments {
    /// @notice One column's commitment as the refinement service sent it.
    /// @param name the column, as `table.column` of the refiner's schema
    /// @param commitment the salted Poseidon commitment, a field element
    /// @param rows how many values it commits to (the circuit opens this count too)
    /// @param scale the values are round(x * 10^scale)
    struct Column {
        string name;
        uint256 commitment;
        uint64 rows;
        uint8 scale;
    }

    /// @notice A recorded commitment; `committedAt` is 0 for none.
    struct Commitment {
        uint256 commitment;
        uint64 rows;
        uint8 scale;
        address service;
        uint64 committedAt;
    }

    /// @notice What an aggregate proof established over a committed column: count(*), sum, and count and
    ///         sum of the rows >= threshold, in the column's fixed-point units.
    struct Aggregate {
        uint256 count;
        int256 sum;
        uint256 countAtLeast;
        int256 sumAtLeast;
        int256 threshold;
        uint8 scale;
    }

    event ColumnCommitted(
        uint256 indexed fileId,
        uint256 indexed refinerId,
        string column,
        uint256 commitment,
        uint64 rows,
        uint8 scale,
        address service
    );

    /// @notice A refinement's commitments are recorded: `columns` of them, perhaps none (a column whose values
    ///         a circuit cannot take, such as one holding NULLs, is not committed).
    event RefinementCommitted(uint256 indexed fileId, uint256 indexed refinerId, uint256 columns);

    error DataCommitmentsNotService(uint256 dlpId, address caller);
    error DataCommitmentsNoRefinement(uint256 fileId, uint256 refinerId);
    /// @notice The refinement's commitments were already recorded (in one call, possibly of no columns).
    error DataCommitmentsRefinementCommitted(uint256 fileId, uint256 refinerId);
    error DataCommitmentsEmptyColumnName();
    error DataCommitmentsAlreadyCommitted(uint256 fileId, uint256 refinerId, string column);
    error DataCommitmentsNotAFieldElement(string column, uint256 commitment);
    error DataCommitmentsUnknown(uint256 fileId, uint256 refinerId, string column);
    /// @notice No aggregate circuit holds this many rows (the largest holds `maxRows`).
    error DataCommitmentsTooManyRows(uint256 rows, uint256 maxRows);
    /// @notice The proof's public signal `index` is not what the chain holds.
    error DataCommitmentsSignalMismatch(uint256 index, uint256 expected, uint256 actual);
    error DataCommitmentsInvalidProof(uint256 fileId, uint256 refinerId, string column);

    /// @notice Records the commitments of refiner `refinerId`'s output for file `fileId`, one per column, in
    ///         one call (perhaps of no columns, which still tells a restarted service the work is done).
    ///         Only a refinement service of the refiner's DataDAO may, once the file's refinement is
    ///         registered, and only once.
    function commit(uint256 fileId, uint256 refinerId, Column[] calldata columns) external;

    /// @notice Whether the commitments of refiner `refinerId`'s output for file `fileId` were recorded.
    function isCommitted(uint256 fileId, uint256 refinerId) external view returns (bool);

    /// @notice The commitment to `column` of refiner `refinerId`'s output for file `fileId`; reverts naming
    ///         it when there is none.
    function commitmentOf(uint256 fileId, uint256 refinerId, string calldata column)
        external
        view
        returns (Commitment memory);

    /// @notice The committed columns of a refinement, in the order they were committed.
    function columnsOf(uint256 fileId, uint256 refinerId) external view returns (string[] memory);

    /// @notice The rows the aggregate circuit that opens a commitment of `rows` values holds (8 or 32).
    function circuitFor(uint256 rows) external pure returns (uint256);

    /// @notice Checks a Groth16 proof made by the aggregate circuit that holds the column's rows
    ///         (`circuitFor`) against the column's recorded commitment, and returns what it proves.
    ///         `proof` is (a, b, c) flattened as snarkjs's Solidity calldata orders it; `publicSignals`
    ///         are count, sum, countAtLeast, sumAtLeast, commitment, threshold. Reverts naming what is wrong.
    function verifyAggregate(
        uint256 fileId,
        uint256 refinerId,
        string calldata column,
        uint256[8] calldata proof,
        uint256[6] calldata publicSignals
    ) external view returns (Aggregate memory);
}
