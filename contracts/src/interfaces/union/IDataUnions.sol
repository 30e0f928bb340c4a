// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IDataUnions
/// @notice Terms on data and the data unions built over it, after Ownership Labs' DataToken. A leaf asset
///         is a data hash of the OwnershipRegistry (its owner, or a delegate, acts for it) or a DataDAO's
///         table (its DataDAO's owner acts). A leaf's terms permit operator templates, each with one
///         constraint per template parameter (free, fixed, a range, or a set of values such as columns)
///         and a price. A union binds children (leaves and other unions) under one template with
///         constraints of its own that must fulfil each child's, checked here at creation and again at
///         each consent; an algorithm asset is a terminal union over one child that fixes every value.
///         A union is active once activated after every child's owner consented to the child's current
///         terms, and while every consent stands for the child's current terms and every child is active:
///         a revoked consent or a child's changed terms deactivates it and everything built on it, read
///         lazily by walking the bounded tree, never by a loop over dependents.
/// @dev Constraints of a union are kept flat: one per template parameter for each slot (a leaf under it),
///      children in order, a union child contributing its own slots in order. Values are uint256 (text
///      such as a column's name is its UTF-8 bytes left-aligned in 32 bytes, as a Solidity short string).
interface IDataUnions {
    enum AssetKind {
        NONE,
        FILE,
        TABLE,
        UNION,
        ALGORITHM
    }

    /// @notice FREE: any value (no values); FIXED: exactly values[0]; RANGE: values[0] to values[1], both
    ///         included; SET: one of values, strictly ascending, at most MAX_SET_SIZE of them.
    enum ConstraintKind {
        FREE,
        FIXED,
        RANGE,
        SET
    }

    struct Constraint {
        ConstraintKind kind;
        uint256[] values;
    }

    /// @notice An asset as recorded.
    /// @param creator who registered the leaf, or created the union (and owns it)
    /// @param dataHash a FILE leaf's data hash in the OwnershipRegistry
    /// @param refinerId a TABLE leaf's refiner, whose DataDAO owns the table
    /// @param table a TABLE leaf's table name in its refiner's schema
    /// @param templateId a union's template
    /// @param children a union's children, in order
    /// @param slots how many leaf slots it covers: 1 for a leaf
    /// @param depth 0 for a leaf, one more than its deepest child for a union
    /// @param termsHash a union's hash of its template, children, constraints and price
    /// @param price a union's own price, in wei, over its children's
    /// @param activatedAt when a union was activated, in seconds since the epoch; 0: never
    struct Asset {
        uint256 assetId;
        AssetKind kind;
        address creator;
        bytes32 dataHash;
        uint256 refinerId;
        string table;
        uint256 templateId;
        uint256[] children;
        uint256 slots;
        uint256 depth;
        bytes32 termsHash;
        uint256 price;
        uint64 activatedAt;
    }

    /// @notice A leaf's terms for one template.
    /// @param termsHash keccak256 of the leaf, template, constraints and price: what consents are keyed by
    /// @param setAt when they were set, in seconds since the epoch; 0: the template is not permitted
    struct Terms {
        uint256 templateId;
        Constraint[] constraints;
        uint256 price;
        bytes32 termsHash;
        uint64 setAt;
        address setBy;
    }

    /// @notice A child owner's consent to a union, for the child's terms as they were.
    /// @param termsHash the child's terms hash consented to; zero: no consent
    struct Consent {
        bytes32 termsHash;
        address by;
        uint64 at;
    }

    event LeafRegistered(
        uint256 indexed assetId,
        AssetKind kind,
        bytes32 indexed dataHash,
        uint256 refinerId,
        string table,
        address indexed owner
    );
    event TermsSet(
        uint256 indexed assetId, uint256 indexed templateId, bytes32 termsHash, uint256 price, address indexed by
    );
    event TermsCleared(uint256 indexed assetId, uint256 indexed templateId, address indexed by);
    event UnionCreated(
        uint256 indexed assetId,
        AssetKind kind,
        uint256 indexed templateId,
        uint256[] children,
        bytes32 termsHash,
        uint256 price,
        address indexed creator
    );
    event ConsentGranted(
        uint256 indexed assetId, uint256 indexed childId, uint256 childIndex, bytes32 termsHash, address indexed by
    );
    event ConsentRevoked(uint256 indexed assetId, uint256 indexed childId, uint256 childIndex, address indexed by);
    event UnionActivated(uint256 indexed assetId, address indexed by);

    error DataUnionsZeroAddress();
    error DataUnionsUnknownAsset(uint256 assetId);
    error DataUnionsNotLeaf(uint256 assetId);
    error DataUnionsNotUnion(uint256 assetId);
    /// @notice `dataHash` is bound to nobody in the OwnershipRegistry.
    error DataUnionsUnboundHash(bytes32 dataHash);
    error DataUnionsUnknownRefiner(uint256 refinerId);
    error DataUnionsEmptyTable();
    error DataUnionsLeafExists(uint256 assetId);
    /// @notice `caller` is not the asset's owner (nor, for a file, a delegate of it).
    error DataUnionsNotAssetOwner(uint256 assetId, address caller);
    /// @notice `count` constraints or values were given where the template and slots need `expected`.
    error DataUnionsConstraintCount(uint256 count, uint256 expected);
    /// @notice Constraint `index` is malformed (wrong number of values, an empty or inverted range, a set not
    ///         strictly ascending or larger than MAX_SET_SIZE).
    error DataUnionsBadConstraint(uint256 index);
    /// @notice Leaf `assetId` does not permit template `templateId`.
    error DataUnionsNoTerms(uint256 assetId, uint256 templateId);
    /// @notice The union's constraint on parameter `param` of child `childId`'s slot `slot` allows a value the
    ///         child's terms do not.
    error DataUnionsTermsNotFulfilled(uint256 childId, uint256 slot, uint256 param);
    /// @notice Child `childId` is bound under template `actual`, not `expected`.
    error DataUnionsTemplateMismatch(uint256 childId, uint256 expected, uint256 actual);
    error DataUnionsNoChildren();
    error DataUnionsDuplicateChild(uint256 childId);
    /// @notice An algorithm asset is terminal: nothing is built on it.
    error DataUnionsTerminalChild(uint256 childId);
    error DataUnionsTooDeep(uint256 depth, uint256 max);
    error DataUnionsTooManySlots(uint256 slots, uint256 max);
    /// @notice At an algorithm asset every value is fixed; constraint `index` leaves a choice.
    error DataUnionsNotFixed(uint256 index);
    error DataUnionsUnknownChild(uint256 assetId, uint256 childIndex);
    error DataUnionsAlreadyConsented(uint256 assetId, uint256 childIndex);
    error DataUnionsNoConsent(uint256 assetId, uint256 childIndex);
    /// @notice Child `childIndex` of `assetId` has no consent standing for its current terms.
    error DataUnionsMissingConsent(uint256 assetId, uint256 childIndex);
    error DataUnionsChildInactive(uint256 assetId, uint256 childId);
    error DataUnionsAlreadyActivated(uint256 assetId);
    error DataUnionsNotCreator(uint256 assetId, address caller);
    error DataUnionsNotActive(uint256 assetId);
    /// @notice Value `index` (slot by slot, parameter by parameter) is not allowed by the asset's terms.
    error DataUnionsValueRefused(uint256 index, uint256 value);

    /// @notice Registers `dataHash` of the OwnershipRegistry as a leaf; its owner or a delegate. Once per hash.
    function registerFileLeaf(bytes32 dataHash) external returns (uint256 assetId);

    /// @notice Registers table `table` of refiner `refinerId` as a leaf; its DataDAO's owner. Once per table.
    function registerTableLeaf(uint256 refinerId, string calldata table) external returns (uint256 assetId);

    /// @notice Sets (or replaces) leaf `leafId`'s terms for template `templateId`: one constraint per template
    ///         parameter and a price in wei; its owner (or a delegate). Consents given to other terms stop
    ///         standing: every union over the leaf under this template is inactive until consented again.
    function setTerms(uint256 leafId, uint256 templateId, Constraint[] calldata constraints, uint256 price) external;

    /// @notice Stops permitting template `templateId` on leaf `leafId`; its owner (or a delegate).
    function clearTerms(uint256 leafId, uint256 templateId) external;

    /// @notice Creates a union over `children` under `templateId`, with `constraints` (one per parameter per
    ///         slot, flat) that must fulfil each child's; anyone, who then owns it. Inactive until activated.
    function createUnion(uint256 templateId, uint256[] calldata children, Constraint[] calldata constraints, uint256 price)
        external
        returns (uint256 assetId);

    /// @notice Creates an algorithm asset over `childId`: a terminal union whose constraints fix every value.
    function createAlgorithm(uint256 templateId, uint256 childId, Constraint[] calldata constraints, uint256 price)
        external
        returns (uint256 assetId);

    /// @notice Consents, as child `childIndex`'s owner (or a file's delegate), to union `assetId` over the
    ///         child's current terms, which the union's constraints must still fulfil.
    function consent(uint256 assetId, uint256 childIndex) external;

    /// @notice Revokes a consent; the child's owner (or a file's delegate). The union, and everything built
    ///         on it, is inactive from then on.
    function revokeConsent(uint256 assetId, uint256 childIndex) external;

    /// @notice Activates union `assetId` once every child consented to its current terms and every child union
    ///         is active; its creator.
    function activate(uint256 assetId) external;

    /// @notice Whether `assetId` may be used now: a leaf always; a union once activated while every consent
    ///         stands for its child's current terms and every child is active.
    function isActive(uint256 assetId) external view returns (bool);

    /// @notice What a job start checks: `assetId` is active, is offered under `templateId`, and allows
    ///         `values` (one per parameter per slot, flat). Reverts by name otherwise.
    /// @return termsHash the asset's terms hash (a leaf's for the template), to record with the job
    /// @return price the asset's price with every child's, in wei
    function authorize(uint256 assetId, uint256 templateId, uint256[] calldata values)
        external
        view
        returns (bytes32 termsHash, uint256 price);

    /// @notice Who acts for `assetId` now: a file's owner in the OwnershipRegistry, a table's DataDAO owner,
    ///         a union's creator.
    function ownerOf(uint256 assetId) external view returns (address);

    /// @notice Asset `assetId`; reverts for an unknown id.
    function asset(uint256 assetId) external view returns (Asset memory);

    /// @notice A union's constraints, flat; a leaf has none (see termsOf).
    function constraintsOf(uint256 assetId) external view returns (Constraint[] memory);

    /// @notice Leaf `leafId`'s terms for `templateId`; `setAt` is 0 when it does not permit it.
    function termsOf(uint256 leafId, uint256 templateId) external view returns (Terms memory);

    /// @notice The templates leaf `leafId` ever had terms for, permitted now or not.
    function templatesOf(uint256 leafId) external view returns (uint256[] memory);

    /// @notice The consent standing for child `childIndex` of union `assetId`; all zero when none.
    function consentOf(uint256 assetId, uint256 childIndex) external view returns (Consent memory);

    /// @notice The leaf of `dataHash`; 0 when none.
    function leafOfFile(bytes32 dataHash) external view returns (uint256);

    /// @notice The leaf of table `table` of refiner `refinerId`; 0 when none.
    function leafOfTable(uint256 refinerId, string calldata table) external view returns (uint256);

    /// @notice How many assets exist: ids run from 1 to this.
    function assetsCount() external view returns (uint256);
}
