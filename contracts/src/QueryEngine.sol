// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IQueryEngine} from "./interfaces/IQueryEngine.sol";
import {IDataRefinerRegistry} from "./interfaces/IDataRefinerRegistry.sol";
import {IDataRegistry} from "./interfaces/IDataRegistry.sol";

/// @title QueryEngine
/// @notice Column-level permissions on refined tables and the payment of queries. Unlike Vana's,
///         a service cannot charge a builder more than the builder signed for, nor for a query
///         twice, nor pay anyone but the owners of files the refiner actually refined: every
///         payee's address is read from the DataRegistry, never taken from the service. A query is
///         settled in constant gas however many files it read: the service commits a Merkle root of
///         (file, rows) per refiner, and the owners' shares are paid when a leaf is claimed against
///         it, each to the file's owner as the DataRegistry names it.
contract QueryEngine is IQueryEngine, Ownable, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;

    uint256 private constant _BPS = 10_000;
    uint256 public constant MAX_PROTOCOL_SHARE_BPS = 2_000;
    uint256 public constant MAX_DATA_DAO_SHARE_BPS = 8_000;

    bytes32 public constant QUERY_REQUEST_TYPEHASH = keccak256(
        "QueryRequest(address grantee,address service,bytes32 sqlHash,address token,uint256 maxPrice,uint256 nonce,uint256 deadline)"
    );

    IDataRefinerRegistry public immutable refinerRegistry;
    IDataRegistry public immutable dataRegistry;

    uint256 private _protocolShareBps;
    address private _protocolTreasury;
    uint256 private immutable _defaultDataDaoShareBps;
    mapping(uint256 dlpId => uint256 bpsPlusOne) private _dataDaoShares;
    mapping(uint256 dlpId => uint256 size) private _minGroupSizes;

    Permission[] private _permissions;
    mapping(uint256 refinerId => uint256[] permissionIds) private _refinerPermissions;
    mapping(address token => mapping(address account => uint256 amount)) private _deposits;
    mapping(address token => mapping(address account => uint256 amount)) private _earnings;
    mapping(bytes32 queryId => bool) private _settled;
    mapping(bytes32 queryId => mapping(uint256 refinerId => Committed)) private _committed;
    /// One bit per file id: a leaf is claimed at most once even if a lying root repeats a file.
    mapping(bytes32 queryId => mapping(uint256 refinerId => mapping(uint256 word => uint256 bits))) private
        _claimedFiles;

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
    ) Ownable(admin) EIP712("DataCoop QueryEngine", "1") {
        if (defaultDataDaoShareBps > MAX_DATA_DAO_SHARE_BPS) {
            revert QueryEngineShareTooHigh(defaultDataDaoShareBps, MAX_DATA_DAO_SHARE_BPS);
        }
        refinerRegistry = refiners;
        dataRegistry = registry;
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

    /// @inheritdoc IQueryEngine
    function earnings(address token, address account) external view returns (uint256) {
        return _earnings[token][account];
    }

    /// @inheritdoc IQueryEngine
    function claim(address token) external nonReentrant returns (uint256 amount) {
        amount = _earnings[token][msg.sender];
        if (amount == 0) revert QueryEngineNothingToClaim(token);
        _earnings[token][msg.sender] = 0;
        emit Claimed(msg.sender, token, amount);
        _pay(token, msg.sender, amount);
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
            _split(queryId, request.token, _permissions[permissionIds[i] - 1], reads);
        }
        _commit(queryId, request.token, reads, leavesUrl);
    }

    /// @inheritdoc IQueryEngine
    function claimReads(
        bytes32 queryId,
        Reads calldata reads,
        bytes32[] calldata proofs,
        uint256[] calldata proofLengths
    ) external nonReentrant returns (uint256 amount) {
        Committed storage committed = _committed[queryId][reads.refinerId];
        if (committed.root == bytes32(0)) revert QueryEngineNoReadsCommitted(queryId, reads.refinerId);
        if (
            reads.fileIds.length == 0 || reads.fileIds.length != reads.rowCounts.length
                || reads.fileIds.length != proofLengths.length
        ) {
            revert QueryEngineMalformedReads(reads.refinerId);
        }
        uint256 rows = 0;
        uint256 offset = 0;
        for (uint256 f = 0; f < reads.fileIds.length; f++) {
            uint256 end = offset + proofLengths[f];
            if (end > proofs.length) revert QueryEngineMalformedReads(reads.refinerId);
            rows += reads.rowCounts[f];
            amount += _claimLeaf(
                queryId, reads.refinerId, committed, reads.fileIds[f], reads.rowCounts[f], proofs[offset:end]
            );
            offset = end;
        }
        if (offset != proofs.length) revert QueryEngineMalformedReads(reads.refinerId);
        // A root whose total understates its leaves cannot pay out more than the contributors' cut.
        uint256 claimedRows = committed.claimedRows + rows;
        if (claimedRows > committed.totalRows) revert QueryEngineRowsAboveTotal(claimedRows, committed.totalRows);
        committed.claimedRows = claimedRows;
        committed.paid += amount;
        if (claimedRows == committed.totalRows) {
            // Every row is paid: what flooring each leaf's share left goes to the DataDAO, as before.
            _earn(
                queryId,
                refinerRegistry.dlpOwner(_dlpOf(reads.refinerId)),
                committed.token,
                committed.contributorsCut - committed.paid
            );
            committed.paid = committed.contributorsCut;
        }
    }

    /// @inheritdoc IQueryEngine
    function committedReads(bytes32 queryId, uint256 refinerId) external view returns (Committed memory) {
        return _committed[queryId][refinerId];
    }

    /// @inheritdoc IQueryEngine
    function readClaimed(bytes32 queryId, uint256 refinerId, uint256 fileId) public view returns (bool) {
        return _claimedFiles[queryId][refinerId][fileId >> 8] & (1 << (fileId & 0xff)) != 0;
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

    /// @dev Every refiner the query read from must be one a charged permission covers: rows of a table
    ///      the builder holds no permission on, or of a DataDAO the service does not serve, are refused
    ///      rather than recorded as read and paid to nobody.
    function _requireCovered(uint256[] calldata permissionIds, ReadsRoot[] calldata reads) private view {
        uint256 previous = 0;
        for (uint256 r = 0; r < reads.length; r++) {
            if (reads[r].refinerId <= previous || reads[r].root == bytes32(0) || reads[r].totalRows == 0) {
                revert QueryEngineMalformedReads(reads[r].refinerId);
            }
            previous = reads[r].refinerId;
            bool covered = false;
            for (uint256 i = 0; i < permissionIds.length && !covered; i++) {
                covered = _permissions[permissionIds[i] - 1].refinerId == reads[r].refinerId;
            }
            if (!covered) revert QueryEngineMalformedReads(reads[r].refinerId);
        }
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

    function _commit(bytes32 queryId, address token, ReadsRoot[] calldata reads, string calldata leavesUrl) private {
        for (uint256 r = 0; r < reads.length; r++) {
            Committed storage committed = _committed[queryId][reads[r].refinerId];
            committed.root = reads[r].root;
            committed.totalRows = reads[r].totalRows;
            committed.token = token;
            emit ReadsCommitted(
                queryId, reads[r].refinerId, reads[r].root, reads[r].totalRows, committed.contributorsCut, leavesUrl
            );
        }
    }

    /// @dev Credits the protocol and the DataDAO at once; the contributors' cut waits for claims
    ///      against the refiner's root, or goes to the DataDAO when the query read no rows of it.
    function _split(bytes32 queryId, address token, Permission storage permission, ReadsRoot[] calldata reads) private {
        uint256 price = permission.price;
        uint256 dlpId = _dlpOf(permission.refinerId);
        uint256 protocolCut = price * _protocolShareBps / _BPS;
        uint256 contributorsCut = price - protocolCut - price * dataDaoShare(dlpId) / _BPS;
        bool read = false;
        for (uint256 r = 0; r < reads.length && !read; r++) {
            read = reads[r].refinerId == permission.refinerId;
        }
        if (read) _committed[queryId][permission.refinerId].contributorsCut += contributorsCut;
        _earn(queryId, _protocolTreasury, token, protocolCut);
        _earn(queryId, refinerRegistry.dlpOwner(dlpId), token, price - protocolCut - (read ? contributorsCut : 0));
    }

    /// @dev Pays one leaf's share to the file's owner per the DataRegistry, which reverts for a file
    ///      the refiner never refined; whoever sends the claim, only that owner is paid.
    function _claimLeaf(
        bytes32 queryId,
        uint256 refinerId,
        Committed storage committed,
        uint256 fileId,
        uint256 rows,
        bytes32[] calldata proof
    ) private returns (uint256 share) {
        if (rows == 0) revert QueryEngineMalformedReads(refinerId);
        // Leaves are hashed twice, as OpenZeppelin's StandardMerkleTree does, so no inner node is a leaf.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(fileId, rows))));
        if (!MerkleProof.verifyCalldata(proof, committed.root, leaf)) revert QueryEngineBadProof(queryId, fileId);
        if (readClaimed(queryId, refinerId, fileId)) revert QueryEngineReadAlreadyClaimed(queryId, fileId);
        _claimedFiles[queryId][refinerId][fileId >> 8] |= 1 << (fileId & 0xff);
        address owner = dataRegistry.refinedFileOwner(fileId, refinerId);
        share = Math.mulDiv(committed.contributorsCut, rows, committed.totalRows);
        emit RowsRead(queryId, fileId, owner, refinerId, rows);
        _earn(queryId, owner, committed.token, share);
    }

    function _earn(bytes32 queryId, address account, address token, uint256 amount) private {
        if (amount == 0) return;
        _earnings[token][account] += amount;
        emit Earned(queryId, account, token, amount);
    }

    function _pay(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            (bool sent,) = payable(to).call{value: amount}("");
            if (!sent) revert QueryEngineTransferFailed();
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
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

    function _dlpOf(uint256 refinerId) private view returns (uint256) {
        return refinerRegistry.refiners(refinerId).dlpId;
    }

    function _requireDataDaoOwner(uint256 dlpId) private view {
        if (refinerRegistry.dlpOwner(dlpId) != msg.sender) revert QueryEngineNotDataDaoOwner(dlpId, msg.sender);
    }
}
