// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IDataAnchoringToken} from "../interfaces/dat/IDataAnchoringToken.sol";
import {IDataLiquidityPoolRegistry} from "../interfaces/IDataLiquidityPoolRegistry.sol";
import {AnchoringTokenIds} from "../libraries/AnchoringTokenIds.sol";

/// @title DataAnchoringToken
/// @notice ERC-8028's core on OpenZeppelin's ERC-1155 (see IDataAnchoringToken). Unlike LazAI's,
///         whose batch mint takes caller-chosen ids a later mint can collide with, a token's id is
///         `classId << 128 | fileId`: fixed by what it anchors, so the same file anchored by two
///         DataDAOs gets two tokens and no mint can take another's id.
/// @dev A class is a DataDAO's: it exists as soon as its DataDAO does and is created at its first
///      mint (or first update by its owner), so a contributor's reward never waits on a setup step
///      the DataDAO's owner might skip. `ClassCreated` marks that moment.
contract DataAnchoringToken is IDataAnchoringToken, ERC1155, Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_REVENUE_ASSETS = 8;
    uint256 private constant ACC_SCALE = 1e18;

    struct Token {
        address holder;
        uint64 expireAt;
        uint32 shareRatio;
        uint256 value;
    }

    struct Class {
        bool created;
        uint64 lifetime;
        uint256 value;
        bytes32 integrityHash;
        string metadataURI;
        string policyURI;
    }

    IDataLiquidityPoolRegistry private _poolRegistry;
    mapping(address recorder => bool) private _recorders;
    mapping(uint256 classId => Class) private _classes;
    mapping(uint256 tokenId => Token) private _tokens;
    mapping(address owner => mapping(uint256 classId => mapping(address operator => bool))) private _classOperators;

    /// @dev `carry` keeps the remainder of each settlement's division, so no wei is lost to rounding over time.
    struct Revenue {
        uint256 accPerShare;
        uint256 carry;
        uint256 settled;
    }

    mapping(uint256 classId => uint256) private _totalShare;
    mapping(uint256 classId => address[]) private _assets;
    mapping(uint256 classId => mapping(address asset => Revenue)) private _revenue;
    /// @dev What a token is not owed, per asset, in the accumulator's scale (1e18 per wei): `shareRatio *
    ///      accPerShare` at its mint, plus everything claimed.
    mapping(uint256 tokenId => mapping(address asset => uint256)) private _rewardDebt;
    /// @dev A retired token's earnings are fixed at the accumulator it was retired at.
    mapping(uint256 tokenId => mapping(address asset => uint256)) private _accAtRetirement;
    mapping(uint256 tokenId => bool) private _retired;
    mapping(uint256 classId => mapping(address asset => bool)) private _allowedAssets;

    /// @param admin who links the DataDAO registry and registers recorders
    constructor(address admin) ERC1155("") Ownable(admin) {}

    // ---- administration

    /// @inheritdoc IDataAnchoringToken
    function setPoolRegistry(IDataLiquidityPoolRegistry registry) external onlyOwner {
        if (address(registry) == address(0)) revert DataAnchoringTokenZeroAddress();
        if (address(_poolRegistry) != address(0)) {
            revert DataAnchoringTokenPoolRegistryAlreadySet(address(_poolRegistry));
        }
        _poolRegistry = registry;
        emit PoolRegistrySet(address(registry));
    }

    /// @inheritdoc IDataAnchoringToken
    function setRecorder(address recorder, bool allowed) external onlyOwner {
        if (recorder == address(0)) revert DataAnchoringTokenZeroAddress();
        _recorders[recorder] = allowed;
        emit RecorderSet(recorder, allowed);
    }

    /// @inheritdoc IDataAnchoringToken
    function poolRegistry() external view returns (IDataLiquidityPoolRegistry) {
        return _poolRegistry;
    }

    /// @inheritdoc IDataAnchoringToken
    function isRecorder(address account) external view returns (bool) {
        return _recorders[account];
    }

    // ---- classes

    /// @inheritdoc IDataAnchoringToken
    function updateClassMetadata(uint256 classId, string calldata metadataURI, bytes32 integrityHash) external {
        Class storage class = _classOwnedByCaller(classId);
        class.metadataURI = metadataURI;
        class.integrityHash = integrityHash;
        emit MetadataUpdated(classId, metadataURI, integrityHash);
    }

    /// @inheritdoc IDataAnchoringToken
    function updateClassPolicy(uint256 classId, string calldata policyURI) external {
        _classOwnedByCaller(classId).policyURI = policyURI;
        emit ClassPolicyUpdated(classId, policyURI);
    }

    /// @inheritdoc IDataAnchoringToken
    function updateClassTerms(uint256 classId, uint256 value, uint64 lifetime) external {
        Class storage class = _classOwnedByCaller(classId);
        class.value = value;
        class.lifetime = lifetime;
        emit ClassTermsUpdated(classId, value, lifetime);
    }

    /// @inheritdoc IDataAnchoringToken
    function getClassMeta(uint256 classId)
        external
        view
        returns (string memory metadataURI, bytes32 integrityHash, uint8 unitDecimals, string memory policyURI)
    {
        Class storage class = _classes[classId];
        return (class.metadataURI, class.integrityHash, 0, class.policyURI);
    }

    /// @inheritdoc IDataAnchoringToken
    function classTerms(uint256 classId) external view returns (uint256 value, uint64 lifetime) {
        return (_classes[classId].value, _classes[classId].lifetime);
    }

    // ---- tokens

    /// @inheritdoc IDataAnchoringToken
    function mint(uint256 fileId, address to, uint256 shareRatio) external returns (uint256 tokenId) {
        IDataLiquidityPoolRegistry registry = _poolRegistry;
        uint256 classId = address(registry) == address(0) ? 0 : registry.dlpIdOf(msg.sender);
        if (classId == 0) revert DataAnchoringTokenNotMinter(msg.sender);
        if (fileId >> AnchoringTokenIds.FILE_BITS != 0) revert DataAnchoringTokenFileIdTooLarge(fileId);
        tokenId = tokenIdOf(classId, fileId);
        Token storage token = _tokens[tokenId];
        if (token.holder != address(0)) revert DataAnchoringTokenAlreadyMinted(tokenId);
        Class storage class = _createdClass(classId);
        // A timestamp, in seconds: expiry is measured in time, not blocks.
        // forge-lint: disable-next-line(block-timestamp)
        uint64 expireAt = class.lifetime == 0 ? 0 : uint64(block.timestamp) + class.lifetime;
        uint32 ratio = shareRatio > type(uint32).max ? type(uint32).max : uint32(shareRatio); // ERC-8028: saturates
        token.expireAt = expireAt;
        token.shareRatio = ratio;
        token.value = class.value;
        _totalShare[classId] += ratio;
        address[] storage assets = _assets[classId];
        for (uint256 i = 0; i < assets.length; i++) {
            // earns only what is settled from now on (nothing to write while nothing was)
            uint256 acc = _revenue[classId][assets[i]].accPerShare;
            if (acc != 0) _rewardDebt[tokenId][assets[i]] = uint256(ratio) * acc;
        }
        emit Minted(tokenId, classId, to, class.value, ratio, expireAt);
        _mint(to, tokenId, 1, ""); // sets the holder (_update); reverts for the zero address
    }

    /// @inheritdoc IDataAnchoringToken
    function transferToken(uint256 tokenId, address to) external {
        address holder = _existing(tokenId).holder;
        if (holder != msg.sender && !isApprovedForAll(holder, msg.sender)) {
            revert DataAnchoringTokenNotHolder(tokenId, msg.sender);
        }
        _safeTransferFrom(holder, to, tokenId, 1, "");
    }

    /// @inheritdoc IDataAnchoringToken
    function approveForClass(uint256 classId, address operator, bool approved) external {
        if (operator == address(0)) revert DataAnchoringTokenZeroAddress();
        _classOperators[msg.sender][classId][operator] = approved;
        emit ApprovalForClass(msg.sender, classId, operator, approved);
    }

    /// @inheritdoc IDataAnchoringToken
    function isApprovedForClass(address owner, uint256 classId, address operator) public view returns (bool) {
        return _classOperators[owner][classId][operator];
    }

    /// @inheritdoc IDataAnchoringToken
    function transferValue(uint256 fromTokenId, uint256 toTokenId, uint256 value) external {
        Token storage from = _existing(fromTokenId);
        Token storage to = _existing(toTokenId);
        uint256 classId = classOf(fromTokenId);
        if (classOf(toTokenId) != classId) revert DataAnchoringTokenClassMismatch(classId, classOf(toTokenId));
        if (from.holder != msg.sender && !isApprovedForClass(from.holder, classId, msg.sender)) {
            revert DataAnchoringTokenNotHolder(fromTokenId, msg.sender);
        }
        if (value == 0) revert DataAnchoringTokenZeroValue();
        _requireUnexpired(fromTokenId, from);
        _requireUnexpired(toTokenId, to);
        if (value > from.value) revert DataAnchoringTokenQuotaExceeded(fromTokenId, from.value, value);
        from.value -= value;
        to.value += value;
        emit ValueTransferred(fromTokenId, toTokenId, value);
    }

    /// @inheritdoc IDataAnchoringToken
    function recordUsage(uint256 tokenId, bytes32 metricType, uint256 amount) external {
        if (!_recorders[msg.sender]) revert DataAnchoringTokenNotRecorder(msg.sender);
        Token storage token = _existing(tokenId);
        _requireUnexpired(tokenId, token);
        if (amount > token.value) revert DataAnchoringTokenQuotaExceeded(tokenId, token.value, amount);
        token.value -= amount;
        emit UsageRecorded(tokenId, metricType, amount, msg.sender);
    }

    /// @inheritdoc IDataAnchoringToken
    function tokenIdOf(uint256 classId, uint256 fileId) public pure returns (uint256) {
        return AnchoringTokenIds.tokenIdOf(classId, fileId);
    }

    /// @inheritdoc IDataAnchoringToken
    function holderOf(uint256 tokenId) external view returns (address) {
        return _tokens[tokenId].holder;
    }

    /// @inheritdoc IDataAnchoringToken
    function tokenInfo(uint256 tokenId) external view returns (TokenInfo memory) {
        Token storage token = _existing(tokenId);
        return TokenInfo({
            classId: classOf(tokenId),
            fileId: AnchoringTokenIds.fileOf(tokenId),
            holder: token.holder,
            value: token.value,
            shareRatio: token.shareRatio,
            expireAt: token.expireAt
        });
    }

    /// @inheritdoc IDataAnchoringToken
    function classOf(uint256 tokenId) public view returns (uint256) {
        _existing(tokenId);
        return AnchoringTokenIds.classOf(tokenId);
    }

    /// @inheritdoc IDataAnchoringToken
    function valueOf(uint256 tokenId) external view returns (uint256) {
        return _existing(tokenId).value;
    }

    /// @inheritdoc IDataAnchoringToken
    function shareRatioOf(uint256 tokenId) external view returns (uint256) {
        return _existing(tokenId).shareRatio;
    }

    /// @inheritdoc IDataAnchoringToken
    function expireAtOf(uint256 tokenId) external view returns (uint64) {
        return _existing(tokenId).expireAt;
    }

    // ---- class revenue

    /// @inheritdoc IDataAnchoringToken
    function settleRevenueETH(uint256 classId) external payable {
        _settle(classId, address(0), msg.value);
    }

    /// @inheritdoc IDataAnchoringToken
    function settleRevenueERC20(uint256 classId, address token, uint256 amount) external nonReentrant {
        if (token == address(0)) revert DataAnchoringTokenZeroAddress();
        if (!_allowedAssets[classId][token]) revert DataAnchoringTokenAssetNotAllowed(classId, token);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        // what arrived, for a token that takes a fee on transfer
        _settle(classId, token, IERC20(token).balanceOf(address(this)) - before);
    }

    /// @inheritdoc IDataAnchoringToken
    function setRevenueAsset(uint256 classId, address asset, bool allowed) external {
        if (asset == address(0)) revert DataAnchoringTokenZeroAddress();
        _classOwnedByCaller(classId);
        _allowedAssets[classId][asset] = allowed;
        emit RevenueAssetSet(classId, asset, allowed);
    }

    /// @inheritdoc IDataAnchoringToken
    function isRevenueAsset(uint256 classId, address asset) external view returns (bool) {
        return asset == address(0) || _allowedAssets[classId][asset];
    }

    /// @inheritdoc IDataAnchoringToken
    function claim(uint256 tokenId, address asset) external nonReentrant returns (uint256 amount) {
        address holder = _existing(tokenId).holder;
        if (holder != msg.sender && !isApprovedForAll(holder, msg.sender)) {
            revert DataAnchoringTokenNotHolder(tokenId, msg.sender);
        }
        amount = pending(tokenId, asset);
        if (amount == 0) revert DataAnchoringTokenNothingToClaim(tokenId, asset);
        // in the accumulator's scale: the fraction of a wei not paid stays the token's
        _rewardDebt[tokenId][asset] += amount * ACC_SCALE;
        emit RevenueClaimed(tokenId, asset, holder, amount);
        if (asset == address(0)) {
            (bool sent,) = holder.call{value: amount}("");
            if (!sent) revert DataAnchoringTokenPaymentFailed(holder, amount);
        } else {
            IERC20(asset).safeTransfer(holder, amount);
        }
    }

    /// @inheritdoc IDataAnchoringToken
    function retire(uint256 tokenId) external {
        Token storage token = _existing(tokenId);
        // forge-lint: disable-next-line(block-timestamp)
        if (token.expireAt == 0 || block.timestamp <= token.expireAt) {
            revert DataAnchoringTokenNotExpired(tokenId, token.expireAt);
        }
        if (_retired[tokenId]) revert DataAnchoringTokenAlreadyRetired(tokenId);
        uint256 classId = classOf(tokenId);
        address[] storage assets = _assets[classId];
        for (uint256 i = 0; i < assets.length; i++) {
            _accAtRetirement[tokenId][assets[i]] = _revenue[classId][assets[i]].accPerShare;
        }
        _retired[tokenId] = true;
        _totalShare[classId] -= token.shareRatio;
        emit TokenRetired(tokenId, token.shareRatio);
    }

    /// @inheritdoc IDataAnchoringToken
    function pending(uint256 tokenId, address asset) public view returns (uint256) {
        Token storage token = _existing(tokenId);
        uint256 acc = _retired[tokenId] ? _accAtRetirement[tokenId][asset] : _revenue[classOf(tokenId)][asset].accPerShare;
        return (uint256(token.shareRatio) * acc - _rewardDebt[tokenId][asset]) / ACC_SCALE;
    }

    /// @inheritdoc IDataAnchoringToken
    function totalShare(uint256 classId) external view returns (uint256) {
        return _totalShare[classId];
    }

    /// @inheritdoc IDataAnchoringToken
    function revenueOf(uint256 classId, address asset) external view returns (uint256 settled, uint256 accPerShare) {
        Revenue storage revenue = _revenue[classId][asset];
        return (revenue.settled, revenue.accPerShare);
    }

    /// @inheritdoc IDataAnchoringToken
    function revenueAssets(uint256 classId) external view returns (address[] memory) {
        return _assets[classId];
    }

    /// @inheritdoc IDataAnchoringToken
    function isRetired(uint256 tokenId) external view returns (bool) {
        _existing(tokenId);
        return _retired[tokenId];
    }

    function _settle(uint256 classId, address asset, uint256 amount) private {
        if (amount == 0) revert DataAnchoringTokenZeroValue();
        uint256 shares = _totalShare[classId];
        if (shares == 0) revert DataAnchoringTokenNoShares(classId);
        Revenue storage revenue = _revenue[classId][asset];
        if (revenue.settled == 0) {
            address[] storage assets = _assets[classId];
            // ETH and the ERC-20s: the owner allows more only at the cost of its own class's retirements
            if (assets.length == MAX_REVENUE_ASSETS + 1) revert DataAnchoringTokenTooManyAssets(classId, asset);
            assets.push(asset);
        }
        if (amount > type(uint256).max / ACC_SCALE / 2) revert DataAnchoringTokenRevenueTooLarge(classId, asset);
        uint256 scaled = amount * ACC_SCALE + revenue.carry; // carry < shares <= 2^32 per token: no overflow
        uint256 accPerShare = revenue.accPerShare + scaled / shares;
        // any token's shareRatio (a uint32) times the accumulator must fit, or minting and claiming would overflow
        if (accPerShare > type(uint256).max / type(uint32).max) revert DataAnchoringTokenRevenueTooLarge(classId, asset);
        revenue.accPerShare = accPerShare;
        revenue.carry = scaled % shares;
        revenue.settled += amount;
        emit RevenueSettled(classId, asset, msg.sender, amount, shares);
    }

    /// @dev Keeps each token's one holder: a token's supply is 1, so any non-zero move is the whole token.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        super._update(from, to, ids, values);
        for (uint256 i = 0; i < ids.length; i++) {
            if (values[i] == 0) continue;
            _tokens[ids[i]].holder = to;
            if (from != address(0)) emit TransferToken(ids[i], from, to);
        }
    }

    function _existing(uint256 tokenId) private view returns (Token storage token) {
        token = _tokens[tokenId];
        if (token.holder == address(0)) revert DataAnchoringTokenUnknownToken(tokenId);
    }

    function _requireUnexpired(uint256 tokenId, Token storage token) private view {
        // forge-lint: disable-next-line(block-timestamp)
        if (token.expireAt != 0 && block.timestamp > token.expireAt) {
            revert DataAnchoringTokenExpired(tokenId, token.expireAt);
        }
    }

    /// @dev The class of a DataDAO whose owner is the caller, created if it was not yet.
    function _classOwnedByCaller(uint256 classId) private returns (Class storage) {
        IDataLiquidityPoolRegistry registry = _poolRegistry;
        address pool = address(registry) == address(0) ? address(0) : registry.dlps(classId);
        if (pool == address(0)) revert DataAnchoringTokenUnknownClass(classId);
        if (Ownable(pool).owner() != msg.sender) revert DataAnchoringTokenNotClassOwner(classId, msg.sender);
        return _createdClass(classId);
    }

    function _createdClass(uint256 classId) private returns (Class storage class) {
        class = _classes[classId];
        if (!class.created) {
            class.created = true;
            emit ClassCreated(classId, "", bytes32(0));
        }
    }
}
