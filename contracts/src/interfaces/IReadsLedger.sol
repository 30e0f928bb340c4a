// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IReadsLedger
/// @notice How a paid use of refined data (a query, a compute task) pays the contributors whose rows it
///         read: a Merkle root of (file, rows) leaves per refiner is committed with the payment, and each
///         leaf's share is claimed later, by anyone, for the file's owner. Earnings are pulled by `claim`.
interface IReadsLedger {
    /// @notice Rows read from refined files of one refiner: leaves of its committed root.
    struct Reads {
        uint256 refinerId;
        uint256[] fileIds;
        uint256[] rowCounts;
    }

    /// @notice What is committed for one refiner that was read: the Merkle root of its leaves
    ///         (fileId, rows), hashed as OpenZeppelin's StandardMerkleTree hashes `["uint256", "uint256"]`
    ///         (sorted pairs), and the rows of all leaves together.
    struct ReadsRoot {
        uint256 refinerId;
        bytes32 root;
        uint256 totalRows;
    }

    /// @notice A committed root and what of its contributors' cut has been claimed.
    struct Committed {
        bytes32 root;
        uint256 totalRows;
        uint256 contributorsCut;
        uint256 claimedRows;
        uint256 paid;
        address token;
    }

    /// @notice The reads of one refiner by payment `queryId`, committed as a root; `leavesUrl` holds every leaf (JSON).
    event ReadsCommitted(
        bytes32 indexed queryId,
        uint256 indexed refinerId,
        bytes32 root,
        uint256 totalRows,
        uint256 contributorsCut,
        string leavesUrl
    );
    /// @notice A leaf claimed: `rows` of `fileId` were read by payment `queryId`, and their share paid
    ///         to `owner`: the holder of the file's Data Anchoring Token, or the file's registry owner.
    event RowsRead(
        bytes32 indexed queryId, uint256 indexed fileId, address indexed owner, uint256 refinerId, uint256 rows
    );
    event Earned(bytes32 indexed queryId, address indexed account, address indexed token, uint256 amount);
    event Claimed(address indexed account, address indexed token, uint256 amount);

    /// @notice What `account` has earned in `token` and not claimed.
    function earnings(address token, address account) external view returns (uint256);

    /// @notice Pays out everything the caller has earned in `token`.
    function claim(address token) external returns (uint256 amount);

    /// @notice Credits each leaf's share, `contributorsCut * rows / totalRows` rounded down, to the
    ///         owner of its file as the DataRegistry names it (whoever calls: the share can go nowhere
    ///         else), once per file. `proofs` holds each leaf's proof in turn, `proofLengths[i]` hashes
    ///         for leaf i. Reverts on a leaf not under the committed root, a file claimed already or not
    ///         refined by the refiner, or when the leaves claimed would add up to more rows than the
    ///         root's total. The claim that reaches the total credits what rounding left to the
    ///         DataDAO's owner. Earnings are then paid out by `claim`.
    function claimReads(
        bytes32 queryId,
        Reads calldata reads,
        bytes32[] calldata proofs,
        uint256[] calldata proofLengths
    ) external returns (uint256 amount);

    /// @notice The root committed for `refinerId`'s reads by payment `queryId` and how much of it is claimed.
    function committedReads(bytes32 queryId, uint256 refinerId) external view returns (Committed memory);

    /// @notice Whether the leaf of `fileId` under that root was claimed.
    function readClaimed(bytes32 queryId, uint256 refinerId, uint256 fileId) external view returns (bool);
}
