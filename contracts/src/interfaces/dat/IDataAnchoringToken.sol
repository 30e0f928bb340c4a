// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IDataLiquidityPoolRegistry} from "../IDataLiquidityPoolRegistry.sol";

/// @title IDataAnchoringToken
/// @notice ERC-8028's Data Anchoring Token core on ERC-1155: a class per DataDAO (its dataset, the
///         class id being the DataDAO's id) and one token per file a DataDAO rewarded, minted to the
///         contributor by the DataDAO's pool with the reward. A token's id is derived from its class
///         and file (`tokenIdOf`), so no two mints can collide; its supply is exactly 1, so it has one
///         holder (`holderOf`), and whoever holds it is paid the file's share of every query and
///         compute payment (ReadsLedger). A token carries a `value` quota that registered recorders
///         consume (hard quota), a `shareRatio` (the proof's score) and an optional expiry.
///
///         Besides the per-file reads, ERC-8028's class revenue: anyone may settle a payment, in ETH or
///         an ERC-20, to a class (`settleRevenueETH`, `settleRevenueERC20`); it is shared among the
///         class's live tokens by `shareRatio` (an accumulated revenue per share, MasterChef-style, so
///         settling costs the same however many tokens there are) and each token's holder claims its
///         `pending` by pull (`claim`). Pending revenue belongs to the token and moves with it. An
///         expired token leaves the total share once anyone retires it (`retire`), keeping what it
///         earned until then.
interface IDataAnchoringToken is IERC1155 {
    /// @notice What one token is.
    struct TokenInfo {
        uint256 classId;
        uint256 fileId;
        address holder;
        uint256 value;
        uint256 shareRatio;
        uint64 expireAt;
    }

    event ClassCreated(uint256 indexed classId, string metadataURI, bytes32 integrityHash);
    event ClassPolicyUpdated(uint256 indexed classId, string policyURI);
    event MetadataUpdated(uint256 indexed classId, string metadataURI, bytes32 integrityHash);
    /// @notice The quota and lifetime tokens of `classId` minted from now on get.
    event ClassTermsUpdated(uint256 indexed classId, uint256 value, uint64 lifetime);
    event Minted(
        uint256 indexed tokenId, uint256 indexed classId, address to, uint256 value, uint256 shareRatio, uint64 expireAt
    );
    /// @notice The token changed holder (also emitted for ERC-1155 transfers; not for the mint).
    event TransferToken(uint256 indexed tokenId, address indexed from, address indexed to);
    event ValueTransferred(uint256 indexed fromTokenId, uint256 indexed toTokenId, uint256 value);
    event UsageRecorded(uint256 indexed tokenId, bytes32 metricType, uint256 amount, address actor);
    event ApprovalForClass(address indexed owner, uint256 indexed classId, address indexed operator, bool approved);
    event PoolRegistrySet(address poolRegistry);
    event RecorderSet(address indexed recorder, bool allowed);
    /// @notice `amount` of `asset` (the zero address: ETH) was settled to `classId`, shared by `totalShare`.
    event RevenueSettled(
        uint256 indexed classId, address indexed asset, address indexed payer, uint256 amount, uint256 totalShare
    );
    event RevenueClaimed(uint256 indexed tokenId, address indexed asset, address indexed holder, uint256 amount);
    /// @notice Expired `tokenId` left its class's total share.
    event TokenRetired(uint256 indexed tokenId, uint256 shareRatio);
    /// @notice The class's owner allowed or stopped ERC-20 `asset` as revenue of `classId`.
    event RevenueAssetSet(uint256 indexed classId, address indexed asset, bool allowed);

    error DataAnchoringTokenZeroAddress();
    error DataAnchoringTokenPoolRegistryAlreadySet(address poolRegistry);
    /// @notice Only a DataDAO's pool mints, and only into its DataDAO's class.
    error DataAnchoringTokenNotMinter(address caller);
    error DataAnchoringTokenNotRecorder(address caller);
    error DataAnchoringTokenFileIdTooLarge(uint256 fileId);
    error DataAnchoringTokenAlreadyMinted(uint256 tokenId);
    error DataAnchoringTokenUnknownToken(uint256 tokenId);
    error DataAnchoringTokenUnknownClass(uint256 classId);
    error DataAnchoringTokenNotClassOwner(uint256 classId, address caller);
    /// @notice `caller` neither holds `tokenId` nor is approved by its holder.
    error DataAnchoringTokenNotHolder(uint256 tokenId, address caller);
    error DataAnchoringTokenClassMismatch(uint256 fromClassId, uint256 toClassId);
    error DataAnchoringTokenExpired(uint256 tokenId, uint64 expireAt);
    error DataAnchoringTokenZeroValue();
    error DataAnchoringTokenQuotaExceeded(uint256 tokenId, uint256 value, uint256 amount);
    /// @notice `classId` has no live share to pay: no token minted, or every one retired.
    error DataAnchoringTokenNoShares(uint256 classId);
    /// @notice A class takes revenue in ETH and at most `MAX_REVENUE_ASSETS` ERC-20s (retiring a token visits each).
    error DataAnchoringTokenTooManyAssets(uint256 classId, address asset);
    /// @notice `asset` is not one the class's owner allowed as revenue (`setRevenueAsset`).
    error DataAnchoringTokenAssetNotAllowed(uint256 classId, address asset);
    /// @notice Settling this much would let the revenue per share overflow a token's share of it.
    error DataAnchoringTokenRevenueTooLarge(uint256 classId, address asset);
    /// @notice `tokenId` has not expired (or never expires), so it keeps its share.
    error DataAnchoringTokenNotExpired(uint256 tokenId, uint64 expireAt);
    error DataAnchoringTokenAlreadyRetired(uint256 tokenId);
    error DataAnchoringTokenNothingToClaim(uint256 tokenId, address asset);
    error DataAnchoringTokenPaymentFailed(address to, uint256 amount);

    // ---- administration (the deployment's admin)

    /// @notice Lets the pools of `registry`'s DataDAOs mint, each into its DataDAO's class; once, admin only.
    function setPoolRegistry(IDataLiquidityPoolRegistry registry) external;

    /// @notice Allows or stops `recorder` (a settlement contract) recording usage; admin only.
    function setRecorder(address recorder, bool allowed) external;

    /// @notice The DataDAO registry whose pools mint.
    function poolRegistry() external view returns (IDataLiquidityPoolRegistry);

    /// @notice Whether `account` may record usage.
    function isRecorder(address account) external view returns (bool);

    // ---- classes (one per DataDAO, managed by the DataDAO's owner)

    /// @notice Sets the class's metadata and its integrity hash; the DataDAO's owner only.
    function updateClassMetadata(uint256 classId, string calldata metadataURI, bytes32 integrityHash) external;

    /// @notice Sets the class's usage policy; the DataDAO's owner only.
    function updateClassPolicy(uint256 classId, string calldata policyURI) external;

    /// @notice Sets the `value` quota and the lifetime in seconds (0: never expires) of the class's
    ///         tokens minted from now on; the DataDAO's owner only. Minted tokens keep theirs.
    function updateClassTerms(uint256 classId, uint256 value, uint64 lifetime) external;

    /// @notice ERC-8028's class metadata; a unit of value is one row read, so `unitDecimals` is 0.
    function getClassMeta(uint256 classId)
        external
        view
        returns (string memory metadataURI, bytes32 integrityHash, uint8 unitDecimals, string memory policyURI);

    /// @notice The quota and lifetime the class's next tokens get.
    function classTerms(uint256 classId) external view returns (uint256 value, uint64 lifetime);

    // ---- tokens

    /// @notice Mints file `fileId`'s token in the caller's DataDAO class to `to`, with the class's
    ///         quota and lifetime; only a DataDAO's pool, once per file and DataDAO.
    /// @param shareRatio the token's revenue weight (saturates at 2^32 - 1)
    function mint(uint256 fileId, address to, uint256 shareRatio) external returns (uint256 tokenId);

    /// @notice Moves `tokenId` to `to`; its holder or an operator the holder approved for all.
    function transferToken(uint256 tokenId, address to) external;

    /// @notice Lets `operator` move value out of the caller's tokens of `classId`.
    function approveForClass(uint256 classId, address operator, bool approved) external;

    function isApprovedForClass(address owner, uint256 classId, address operator) external view returns (bool);

    /// @notice Moves `value` of quota between two unexpired tokens of one class; the holder of
    ///         `fromTokenId` or its class operator.
    function transferValue(uint256 fromTokenId, uint256 toTokenId, uint256 value) external;

    /// @notice Consumes `amount` of the token's quota (hard quota: reverts beyond it); a registered
    ///         recorder only, on an unexpired token.
    function recordUsage(uint256 tokenId, bytes32 metricType, uint256 amount) external;

    /// @notice The id of file `fileId`'s token in class `classId`, minted or not.
    function tokenIdOf(uint256 classId, uint256 fileId) external pure returns (uint256);

    /// @notice Who holds `tokenId`; the zero address when it was never minted.
    function holderOf(uint256 tokenId) external view returns (address);

    /// @notice Everything about a minted token; reverts for an unknown one.
    function tokenInfo(uint256 tokenId) external view returns (TokenInfo memory);

    function classOf(uint256 tokenId) external view returns (uint256);

    function valueOf(uint256 tokenId) external view returns (uint256);

    function shareRatioOf(uint256 tokenId) external view returns (uint256);

    function expireAtOf(uint256 tokenId) external view returns (uint64);

    // ---- class revenue (ERC-8028)

    /// @notice Shares `msg.value` among `classId`'s live tokens by `shareRatio`; anyone may pay.
    function settleRevenueETH(uint256 classId) external payable;

    /// @notice Takes `amount` of `token` from the caller (it approves first) and shares what arrived
    ///         among `classId`'s live tokens by `shareRatio`; only a token the class's owner allowed, so
    ///         nobody can fill the class's assets with worthless ones.
    function settleRevenueERC20(uint256 classId, address token, uint256 amount) external;

    /// @notice Allows or stops ERC-20 `asset` as revenue of `classId`; the DataDAO's owner only. A stopped
    ///         asset's revenue already settled stays claimable.
    function setRevenueAsset(uint256 classId, address asset, bool allowed) external;

    /// @notice Whether `classId` takes revenue in `asset` (ETH, the zero address, always).
    function isRevenueAsset(uint256 classId, address asset) external view returns (bool);


    /// @notice Pays `tokenId`'s holder its pending revenue in `asset` (the zero address: ETH); the holder
    ///         or an operator the holder approved for all (paid to the holder either way).
    /// @return amount what was paid
    function claim(uint256 tokenId, address asset) external returns (uint256 amount);

    /// @notice Takes expired `tokenId` out of its class's total share; anyone. It keeps what it earned.
    function retire(uint256 tokenId) external;

    /// @notice `tokenId`'s revenue in `asset` not yet claimed.
    function pending(uint256 tokenId, address asset) external view returns (uint256);

    /// @notice The sum of the shareRatios of `classId`'s live (not retired) tokens.
    function totalShare(uint256 classId) external view returns (uint256);

    /// @notice Everything ever settled to `classId` in `asset`, and the revenue per share accumulated (scaled by 1e18).
    function revenueOf(uint256 classId, address asset) external view returns (uint256 settled, uint256 accPerShare);

    /// @notice The assets `classId` was ever paid revenue in, in order of first payment.
    function revenueAssets(uint256 classId) external view returns (address[] memory);

    /// @notice Whether `tokenId` was retired.
    function isRetired(uint256 tokenId) external view returns (bool);
}
