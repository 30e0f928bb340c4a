// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IQueryEngine} from "./interfaces/IQueryEngine.sol";
import {IDataRefinerRegistry} from "./interfaces/IDataRefinerRegistry.sol";
import {IDataRegistry} from "./interfaces/IDataRegistry.sol";
import {ReadsLedger} from "./libraries/ReadsLedger.sol";

/// @title QueryEngine
/// @notice Column-level permissions on refined tables and the payment of queries. Unlike Vana's,
///         a service cannot charge a builder more than the builder signed for, nor for a query
///         twice, nor pay anyone but the owners of files the refiner actually refined: every
///         payee's address is read from the DataRegistry, never taken from the service. A query is
///         settled in constant gas however many files it read: the service commits a Merkle root of
///         (file, rows) per refiner, and the owners' shares are paid when a leaf is claimed against
///         it, each to the file's owner as the DataRegistry names it (ReadsLedger, shared with compute tasks).
contract QueryEngine is IQueryEngine, ReadsLedger, Ownable, EIP712 {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_PROTOCOL_SHARE_BPS = 2_000;
    uint256 public constant MAX_DATA_DAO_SHARE_BPS = 8_000;

    bytes32 public constant QUERY_REQUEST_TYPEHASH = keccak256(
        "QueryRequest(address grantee,address service,bytes32 sqlHash,address token,uint256 maxPrice,uint256 nonce,uint256 deadline)"
    );

    uint256 private _protocolShareBps;
    address private _protocolTreasury;
    uint256 private immutable _defaultDataDaoShareBps;
    mapping(uint256 dlpId => uint256 bpsPlusOne) private _dataDaoShares;
    mapping(uint256 dlpId => uint256 size) private _minGroupSizes;

    Permission[] private _permissions;
    mapping(uint256 refinerId => uint256[] permissionIds) private _refinerPermissions;
    mapping(address token => mapping(address account => uint256 amount)) private _deposits;
    mapping(bytes32 queryId => bool) private _settled;

    /// @param admin may change the protocol's share and treasury
    /// @param refiners the refiners, DataDAO owners and services permissions refer to
    /// @param registry the files whose owners are paid
    /// @param protocolShareBps the protocol's share of every payment
    /// @param treasury who receives the protocol's share
    /// @param defaultDataDaoShareBps a DataDAO's share until its owner sets another
    constructor(
        address admin,
        IDataRefinerRegistry refiners,
        IDataRegistry registry,
        uint256 protocolShareBps,
        address treasury,
        uint256 defaultDataDaoShareBps
    ) ReadsLedger(refiners, registry) Ownable(admin) EIP712("DataCoop QueryEngine", "1") {
        if (defaultDataDaoShareBps > MAX_DATA_DAO_SHARE_BPS) {
            revert QueryEngineShareTooHigh(defaultDataDaoShareBps, MAX_DATA_DAO_SHARE_BPS);
        }
        _defaultDataDaoShareBps = defaultDataDaoShareBps;
        _setProtocolShare(protocolShareBps, treasury);
    }

    // ---- permissions

    /// @inheritdoc IQueryEngine
    function addPermission(
        address grantee,
        uint256 refinerId,
        string calldata tableName,
        string calldata columnName,
        uint256 price,
        address token
    ) external returns (uint256) {
        if (grantee == address(0)) revert QueryEngineZeroAddress();
        bool byOwner = refinerRegistry.dlpOwner(_dlpOf(refinerId)) == msg.sender;
        if (!byOwner && grantee != msg.sender) revert QueryEngineNotGrantee(grantee, msg.sender);
        return _addPermission(grantee, refinerId, tableName, columnName, price, token, byOwner);
    }

    /// @inheritdoc IQueryEngine
    function addGenericPermission(
        uint256 refinerId,
        string calldata tableName,
        string calldata columnName,
        uint256 price,
        address token
    ) external returns (uint256) {
        _requireDataDaoOwner(_dlpOf(refinerId));
        return _addPermission(address(0), refinerId, tableName, columnName, price, token, true);
    }

    /// @inheritdoc IQueryEngine
    function approvePermission(uint256 permissionId) external {
        Permission storage permission = _permission(permissionId);
        _requireDataDaoOwner(_dlpOf(permission.refinerId));
        if (permission.revoked) revert QueryEngineAlreadyRevoked(permissionId);
        if (permission.approved) revert QueryEngineAlreadyApproved(permissionId);
        permission.approved = true;
        emit PermissionApproved(permissionId);
    }

    /// @inheritdoc IQueryEngine
    function revokePermission(uint256 permissionId) external {
        Permission storage permission = _permission(permissionId);
        bool byGrantee = permission.grantee != address(0) && permission.grantee == msg.sender;
        if (!byGrantee) _requireDataDaoOwner(_dlpOf(permission.refinerId));
        if (permission.revoked) revert QueryEngineAlreadyRevoked(permissionId);
        permission.revoked = true;
        emit PermissionRevoked(permissionId);
    }

    /// @inheritdoc IQueryEngine
    function permissions(uint256 permissionId) external view returns (Permission memory) {
        return _permission(permissionId);
    }

    /// @inheritdoc IQueryEngine
    function permissionsCount() external view returns (uint256) {
        return _permissions.length;
    }

    /// @inheritdoc IQueryEngine
    function refinerPermissions(uint256 refinerId) external view returns (uint256[] memory) {
        return _refinerPermissions[refinerId];
    }

    // ---- money in and out

    /// @inheritdoc IQueryEngine
    function deposit() external payable {
        if (msg.value == 0) revert QueryEngineZeroAmount();
        _deposits[address(0)][msg.sender] += msg.value;
        emit Deposited(msg.sender, address(0), msg.value);
    }

    /// @inheritdoc IQueryEngine
    function depositToken(address token, uint256 amount) external nonReentrant {
        if (token == address(0)) revert QueryEngineZeroAddress();
        if (amount == 0) revert QueryEngineZeroAmount();
        // Credit what arrived, not what was asked, so a fee-charging token cannot unbalance the books.
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        _deposits[token][msg.sender] += received;
        emit Deposited(msg.sender, token, received);
    }

    /// @inheritdoc IQueryEngine
    function withdrawDeposit(address token, uint256 amount) external nonReentrant {
        if (amount == 0) revert QueryEngineZeroAmount();
        uint256 available = _deposits[token][msg.sender];
        if (available < amount) revert QueryEngineInsufficientDeposit(token, amount, available);
        _deposits[token][msg.sender] = available - amount;
        emit DepositWithdrawn(msg.sender, token, amount);
        _pay(token, msg.sender, amount);
    }

    /// @inheritdoc IQueryEngine
    function deposits(address token, address account) external view returns (uint256) {
        return _deposits[token][account];
    }

    // ---- queries

    /// @inheritdoc IQueryEngine
    function queryDigest(QueryRequest calldata request) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    QUERY_REQUEST_TYPEHASH,
                    request.grantee,
                    request.service,
                    request.sqlHash,
                    request.token,
                    request.maxPrice,
                    request.nonce,
                    request.deadline
                )
            )
        );
    }

    /// @inheritdoc IQueryEngine
    function settleQuery(
        QueryRequest calldata request,
        bytes calldata signature,
        uint256[] calldata permissionIds,
        ReadsRoot[] calldata reads,
        string calldata leavesUrl
    ) external nonReentrant returns (bytes32 queryId, uint256 price) {
        if (msg.sender != request.service) {
            revert QueryEngineWrongService(request.service, msg.sender);
        }
        if (block.timestamp > request.deadline) revert QueryEngineExpired(request.deadline);
        queryId = queryDigest(request);
        if (_settled[queryId]) revert QueryEngineAlreadySettled(queryId);
        address signer = ECDSA.recover(queryId, signature);
        if (signer != request.grantee) revert QueryEngineBadSignature(signer, request.grantee);
        _settled[queryId] = true;

        price = _charge(queryId, request, permissionIds);
        _requireCovered(permissionIds, reads);
        for (uint256 i = 0; i < permissionIds.length; i++) {
            _splitPermission(queryId, request.token, _permissions[permissionIds[i] - 1], reads);
        }
        for (uint256 r = 0; r < reads.length; r++) {
            _commit(queryId, request.token, reads[r], leavesUrl);
        }
    }

    /// @inheritdoc IQueryEngine
    function settled(bytes32 queryId) external view returns (bool) {
        return _settled[queryId];
    }

    // ---- shares and policies

    /// @inheritdoc IQueryEngine
    function protocolShare() external view returns (uint256 bps, address treasury) {
        return (_protocolShareBps, _protocolTreasury);
    }

    /// @inheritdoc IQueryEngine
    function setProtocolShare(uint256 bps, address treasury) external onlyOwner {
        _setProtocolShare(bps, treasury);
    }

    /// @inheritdoc IQueryEngine
    function dataDaoShare(uint256 dlpId) public view returns (uint256) {
        uint256 stored = _dataDaoShares[dlpId];
        return stored == 0 ? _defaultDataDaoShareBps : stored - 1;
    }

    /// @inheritdoc IQueryEngine
    function setDataDaoShare(uint256 dlpId, uint256 bps) external {
        _requireDataDaoOwner(dlpId);
        if (bps > MAX_DATA_DAO_SHARE_BPS) revert QueryEngineShareTooHigh(bps, MAX_DATA_DAO_SHARE_BPS);
        _dataDaoShares[dlpId] = bps + 1;
        emit DataDaoShareUpdated(dlpId, bps);
    }

    /// @inheritdoc IQueryEngine
    function minGroupSize(uint256 dlpId) external view returns (uint256) {
        return _minGroupSizes[dlpId];
    }

    /// @inheritdoc IQueryEngine
    function setMinGroupSize(uint256 dlpId, uint256 size) external {
        _requireDataDaoOwner(dlpId);
        _minGroupSizes[dlpId] = size;
        emit MinGroupSizeUpdated(dlpId, size);
    }

    // ---- internals

    function _addPermission(
        address grantee,
        uint256 refinerId,
        string calldata tableName,
        string calldata columnName,
        uint256 price,
        address token,
        bool approved
    ) private returns (uint256 permissionId) {
        if (bytes(tableName).length == 0 && bytes(columnName).length != 0) {
            revert QueryEngineColumnWithoutTable();
        }
        _permissions.push(Permission(grantee, refinerId, tableName, columnName, price, token, approved, false));
        permissionId = _permissions.length;
        _refinerPermissions[refinerId].push(permissionId);
        emit PermissionAdded(permissionId, grantee, refinerId, tableName, columnName, price, token, approved);
    }

    /// @dev Ascending ids make each permission count once without a set in storage.
    function _priceOf(QueryRequest calldata request, uint256[] calldata permissionIds)
        private
        view
        returns (uint256 price)
    {
        if (permissionIds.length == 0) revert QueryEngineNoPermissions();
        uint256 previous = 0;
        for (uint256 i = 0; i < permissionIds.length; i++) {
            uint256 id = permissionIds[i];
            if (id <= previous) revert QueryEngineUnsortedPermissions();
            previous = id;
            Permission storage permission = _permission(id);
            if (!permission.approved || permission.revoked) revert QueryEnginePermissionNotUsable(id);
            if (permission.grantee != address(0) && permission.grantee != request.grantee) {
                revert QueryEnginePermissionNotForGrantee(id, request.grantee);
            }
            if (permission.token != request.token) revert QueryEngineWrongToken(id, request.token);
            uint256 dlpId = _dlpOf(permission.refinerId);
            if (!refinerRegistry.isRefinementService(dlpId, msg.sender)) {
                revert QueryEngineNotService(dlpId, msg.sender);
            }
            price += permission.price;
        }
    }

    /// @dev Every refiner the query read from must be one a charged permission covers (ReadsLedger),
    ///      and the service must serve its DataDAO, which `_priceOf` checked for each permission.
    function _requireCovered(uint256[] calldata permissionIds, ReadsRoot[] calldata reads) private view {
        uint256[] memory paidRefiners = new uint256[](permissionIds.length);
        for (uint256 i = 0; i < permissionIds.length; i++) {
            paidRefiners[i] = _permissions[permissionIds[i] - 1].refinerId;
        }
        _requireCovered(reads, paidRefiners);
    }

    function _charge(bytes32 queryId, QueryRequest calldata request, uint256[] calldata permissionIds)
        private
        returns (uint256 price)
    {
        price = _priceOf(request, permissionIds);
        if (price > request.maxPrice) revert QueryEnginePriceAboveMax(price, request.maxPrice);
        uint256 available = _deposits[request.token][request.grantee];
        if (available < price) revert QueryEngineInsufficientDeposit(request.token, price, available);
        _deposits[request.token][request.grantee] = available - price;
        emit QuerySettled(queryId, request.grantee, msg.sender, request.token, price);
    }

    /// @dev The contributors' cut of a permission waits for claims against its refiner's root when
    ///      the query read that refiner, and goes to the DataDAO when not.
    function _splitPermission(bytes32 queryId, address token, Permission storage permission, ReadsRoot[] calldata reads)
        private
    {
        uint256 refinerId = permission.refinerId;
        _split(
            queryId,
            token,
            permission.price,
            refinerId,
            _protocolShareBps,
            _protocolTreasury,
            dataDaoShare(_dlpOf(refinerId)),
            _wasRead(reads, refinerId)
        );
    }

    function _setProtocolShare(uint256 bps, address treasury) private {
        if (bps > MAX_PROTOCOL_SHARE_BPS) revert QueryEngineShareTooHigh(bps, MAX_PROTOCOL_SHARE_BPS);
        if (treasury == address(0)) revert QueryEngineZeroAddress();
        _protocolShareBps = bps;
        _protocolTreasury = treasury;
        emit ProtocolShareUpdated(bps, treasury);
    }

    function _permission(uint256 permissionId) private view returns (Permission storage) {
        if (permissionId == 0 || permissionId > _permissions.length) revert QueryEngineUnknownPermission(permissionId);
        return _permissions[permissionId - 1];
    }

    function _requireDataDaoOwner(uint256 dlpId) private view {
        if (refinerRegistry.dlpOwner(dlpId) != msg.sender) revert QueryEngineNotDataDaoOwner(dlpId, msg.sender);
    }

    function _fail(Fault fault, bytes32 queryId, uint256 a, uint256 b) internal pure override {
        if (fault == Fault.NoReadsCommitted) revert QueryEngineNoReadsCommitted(queryId, a);
        if (fault == Fault.MalformedReads) revert QueryEngineMalformedReads(a);
        if (fault == Fault.BadProof) revert QueryEngineBadProof(queryId, a);
        if (fault == Fault.ReadAlreadyClaimed) revert QueryEngineReadAlreadyClaimed(queryId, a);
        if (fault == Fault.RowsAboveTotal) revert QueryEngineRowsAboveTotal(a, b);
        if (fault == Fault.NothingToClaim) revert QueryEngineNothingToClaim(address(uint160(a)));
        revert QueryEngineTransferFailed();
    }
}
