// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IReadsLedger} from "./IReadsLedger.sol";

/// @title IQueryEngine
/// @notice Who may query which refined table and column at what price, and the payment of each
///         query: prepaid by its builder, split between the protocol, the DataDAO and the owners of
///         the files whose rows the query read (IReadsLedger), and paid out on claim.
interface IQueryEngine is IReadsLedger {
    /// @notice Access for `grantee` (or anyone, when zero) to a column of a refiner's table.
    /// @dev An empty `tableName` covers every table of the refiner's schema; an empty `columnName`
    ///      every column of the table.
    struct Permission {
        address grantee;
        uint256 refinerId;
        string tableName;
        string columnName;
        uint256 price;
        address token;
        bool approved;
        bool revoked;
    }

    /// @notice What a builder signs (EIP-712) to let `service` run one query and charge up to `maxPrice`.
    struct QueryRequest {
        address grantee;
        address service;
        bytes32 sqlHash;
        address token;
        uint256 maxPrice;
        uint256 nonce;
        uint256 deadline;
    }

    event PermissionAdded(
        uint256 indexed permissionId,
        address indexed grantee,
        uint256 indexed refinerId,
        string tableName,
        string columnName,
        uint256 price,
        address token,
        bool approved
    );
    event PermissionApproved(uint256 indexed permissionId);
    event PermissionRevoked(uint256 indexed permissionId);
    event Deposited(address indexed account, address indexed token, uint256 amount);
    event DepositWithdrawn(address indexed account, address indexed token, uint256 amount);
    event QuerySettled(
        bytes32 indexed queryId, address indexed grantee, address indexed service, address token, uint256 price
    );
    event ProtocolShareUpdated(uint256 bps, address treasury);
    event DataDaoShareUpdated(uint256 indexed dlpId, uint256 bps);
    event MinGroupSizeUpdated(uint256 indexed dlpId, uint256 minGroupSize);

    error QueryEngineUnknownPermission(uint256 permissionId);
    error QueryEngineNotDataDaoOwner(uint256 dlpId, address caller);
    error QueryEngineNotGrantee(address grantee, address caller);
    error QueryEngineAlreadyApproved(uint256 permissionId);
    error QueryEngineAlreadyRevoked(uint256 permissionId);
    error QueryEngineShareTooHigh(uint256 bps, uint256 max);
    error QueryEngineZeroAddress();
    error QueryEngineZeroAmount();
    error QueryEngineInsufficientDeposit(address token, uint256 required, uint256 available);
    error QueryEngineExpired(uint256 deadline);
    error QueryEngineWrongService(address expected, address caller);
    error QueryEngineBadSignature(address signer, address grantee);
    error QueryEngineAlreadySettled(bytes32 queryId);
    error QueryEnginePermissionNotUsable(uint256 permissionId);
    error QueryEnginePermissionNotForGrantee(uint256 permissionId, address grantee);
    error QueryEngineWrongToken(uint256 permissionId, address token);
    error QueryEngineUnsortedPermissions();
    error QueryEngineNoPermissions();
    error QueryEnginePriceAboveMax(uint256 price, uint256 maxPrice);
    error QueryEngineNotService(uint256 dlpId, address caller);
    error QueryEngineMalformedReads(uint256 refinerId);
    error QueryEngineNothingToClaim(address token);
    error QueryEngineNoReadsCommitted(bytes32 queryId, uint256 refinerId);
    error QueryEngineBadProof(bytes32 queryId, uint256 fileId);
    error QueryEngineReadAlreadyClaimed(bytes32 queryId, uint256 fileId);
    error QueryEngineRowsAboveTotal(uint256 claimedRows, uint256 totalRows);
    error QueryEngineTransferFailed();
    error QueryEngineColumnWithoutTable();

    /// @notice Adds a permission. The DataDAO's owner grants it at once; anyone else may only
    ///         request one for themselves, which waits for the owner's approval.
    function addPermission(
        address grantee,
        uint256 refinerId,
        string calldata tableName,
        string calldata columnName,
        uint256 price,
        address token
    ) external returns (uint256 permissionId);

    /// @notice Adds an approved permission for every grantee; the DataDAO's owner only.
    function addGenericPermission(
        uint256 refinerId,
        string calldata tableName,
        string calldata columnName,
        uint256 price,
        address token
    ) external returns (uint256 permissionId);

    /// @notice Approves a requested permission; the DataDAO's owner only.
    function approvePermission(uint256 permissionId) external;

    /// @notice Ends a permission for good; the DataDAO's owner or the grantee.
    function revokePermission(uint256 permissionId) external;

    /// @notice Permission `permissionId`; reverts for an unknown id.
    function permissions(uint256 permissionId) external view returns (Permission memory);

    /// @notice How many permissions exist; ids run from 1 to this.
    function permissionsCount() external view returns (uint256);

    /// @notice The ids of the permissions on `refinerId`'s tables, oldest first.
    function refinerPermissions(uint256 refinerId) external view returns (uint256[] memory);

    /// @notice Prepays queries in the native coin (`token` zero).
    function deposit() external payable;

    /// @notice Prepays queries in an ERC-20, pulled with `transferFrom`.
    function depositToken(address token, uint256 amount) external;

    /// @notice Takes back unspent prepayment.
    function withdrawDeposit(address token, uint256 amount) external;

    /// @notice What `account` has prepaid in `token` and not spent.
    function deposits(address token, address account) external view returns (uint256);

    /// @notice The EIP-712 digest a builder signs for `request`; also the query's id.
    function queryDigest(QueryRequest calldata request) external view returns (bytes32);

    /// @notice Charges a query: the sum of the prices of `permissionIds` (ascending, each usable by
    ///         the grantee, in the request's token) is taken from the grantee's deposit and split. For
    ///         each permission, the protocol and the DataDAO are credited their shares at once; the rest,
    ///         the contributors' cut, is kept for the owners of the files the query read from that
    ///         permission's refiner, claimed leaf by leaf against the root `reads` commits for it
    ///         (`claimReads`), or goes to the DataDAO when the query read none of its rows. `reads` are
    ///         in ascending refiner order, name only refiners a charged permission covers, and each has
    ///         a root and rows; `leavesUrl` is where the service published every leaf. The gas does not
    ///         grow with the files read. Callable once per request, by the service it names, which must
    ///         serve every DataDAO involved.
    function settleQuery(
        QueryRequest calldata request,
        bytes calldata signature,
        uint256[] calldata permissionIds,
        ReadsRoot[] calldata reads,
        string calldata leavesUrl
    ) external returns (bytes32 queryId, uint256 price);

    /// @notice Whether the query with this id was charged.
    function settled(bytes32 queryId) external view returns (bool);

    /// @notice The protocol's share of each payment, in basis points, and who receives it.
    function protocolShare() external view returns (uint256 bps, address treasury);

    /// @notice Sets the protocol's share (at most `MAX_PROTOCOL_SHARE_BPS`) and treasury; admin only.
    function setProtocolShare(uint256 bps, address treasury) external;

    /// @notice DataDAO `dlpId`'s share of each payment, in basis points.
    function dataDaoShare(uint256 dlpId) external view returns (uint256);

    /// @notice Sets DataDAO `dlpId`'s share (at most `MAX_DATA_DAO_SHARE_BPS`); its owner only.
    function setDataDaoShare(uint256 dlpId, uint256 bps) external;

    /// @notice The fewest distinct contributors any released aggregate group of `dlpId` must cover.
    function minGroupSize(uint256 dlpId) external view returns (uint256);

    /// @notice Sets that minimum; the DataDAO's owner only. 0 or 1 allows queries of single rows.
    function setMinGroupSize(uint256 dlpId, uint256 size) external;
}
