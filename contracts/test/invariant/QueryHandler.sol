// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {TestToken} from "../utils/TestToken.sol";
import {DataRegistry} from "../../src/DataRegistry.sol";
import {DataRefinerRegistry} from "../../src/DataRefinerRegistry.sol";
import {QueryEngine} from "../../src/QueryEngine.sol";
import {IQueryEngine} from "../../src/interfaces/IQueryEngine.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";
import {ReadsTree} from "../utils/ReadsTree.sol";

/// @notice Drives the query market in random orders for the invariant suite: deposits, withdrawals,
///         queries settled over random subsets of refined files with random row counts, replays,
///         queries naming a file nobody refined, roots whose total rows lie, claims of leaves (some
///         forged, some twice), new permissions, new shares and claims. It keeps ghost totals of what
///         went in and out and of who was read. Inputs are bounded, not assumed away.
contract QueryHandler {
    uint256 public constant MAX_PERMISSIONS_PER_TOKEN = 8;

    QueryEngine public immutable engine;
    DataRegistry public immutable registry;
    DataRefinerRegistry public immutable refinerRegistry;
    TestToken public immutable payToken;
    address public immutable service;
    address public immutable admin;
    /// A file validated for the first refiner's DataDAO that no refiner refined.
    uint256 public immutable unrefinedFile;

    uint256[] public builderKeys;
    /// Everyone who may hold a deposit or earnings: builders, contributors, outsiders, payees, the service.
    address[] public accounts;
    /// Ascending.
    uint256[] public refinerIds;
    address[] public tokens;
    mapping(address token => uint256[] ids) internal _permissionsByToken;
    mapping(uint256 permissionId => uint256 price) internal _priceOf;
    mapping(uint256 permissionId => uint256 refinerId) internal _refinerOf;
    mapping(uint256 refinerId => uint256[] fileIds) internal _refinedFiles;

    mapping(address token => uint256 amount) public deposited;
    mapping(address token => uint256 amount) public withdrawn;
    mapping(address token => uint256 amount) public charged;
    mapping(address token => uint256 amount) public claimed;
    mapping(address token => mapping(address account => uint256 amount)) public claimedBy;
    mapping(address account => bool) public wasRead;
    mapping(bytes32 queryId => uint256 count) public settleCount;
    bytes32[] public queryIds;
    uint256 public replaysAccepted;
    uint256 public unrefinedReadsAccepted;
    uint256 public forgedLeavesAccepted;
    uint256 public doubleClaimsAccepted;
    /// Every (query, refiner) a root was committed for: what the invariants sum the unclaimed cut over.
    bytes32[] public committedQueries;
    uint256[] public committedRefiners;
    mapping(bytes32 queryId => IQueryEngine.Reads[]) internal _readsOf;
    uint256 public nonce;

    IQueryEngine.QueryRequest[] internal _requests;
    bytes[] internal _signatures;
    uint256[][] internal _permissionSets;

    constructor(
        QueryEngine engine_,
        TestToken payToken_,
        address service_,
        address admin_,
        uint256 unrefinedFile_,
        uint256[] memory builderKeys_,
        address[] memory others,
        uint256[] memory refinerIds_,
        uint256[] memory permissionIds
    ) {
        engine = engine_;
        registry = DataRegistry(address(engine_.dataRegistry()));
        refinerRegistry = DataRefinerRegistry(address(engine_.refinerRegistry()));
        payToken = payToken_;
        service = service_;
        admin = admin_;
        unrefinedFile = unrefinedFile_;
        builderKeys = builderKeys_;
        refinerIds = refinerIds_;
        tokens.push(address(0));
        tokens.push(address(payToken_));
        for (uint256 i = 0; i < builderKeys_.length; i++) {
            address builder = vm.addr(builderKeys_[i]);
            accounts.push(builder);
            vm.prank(builder);
            payToken_.approve(address(engine_), type(uint256).max);
        }
        for (uint256 i = 0; i < others.length; i++) {
            accounts.push(others[i]);
        }
        for (uint256 i = 0; i < permissionIds.length; i++) {
            IQueryEngine.Permission memory permission = engine_.permissions(permissionIds[i]);
            _remember(permissionIds[i], permission.token, permission.refinerId, permission.price);
        }
        for (uint256 r = 0; r < refinerIds_.length; r++) {
            _refinedFiles[refinerIds_[r]] = registry.refinedFiles(refinerIds_[r], 0, type(uint256).max);
        }
    }

    // ---- actions

    function deposit(uint256 builderSeed, uint256 amount) external {
        (, address builder) = _builder(builderSeed);
        _deposit(builder, address(0), _bound(amount, 1, 100 ether));
    }

    function depositToken(uint256 builderSeed, uint256 amount) external {
        (, address builder) = _builder(builderSeed);
        _deposit(builder, address(payToken), _bound(amount, 1, 100e18));
    }

    function withdraw(uint256 builderSeed, uint256 tokenSeed, uint256 amount) external {
        (, address builder) = _builder(builderSeed);
        address token = _token(tokenSeed);
        uint256 available = engine.deposits(token, builder);
        if (available == 0) return;
        amount = _bound(amount, 1, available);
        vm.prank(builder);
        engine.withdrawDeposit(token, amount);
        withdrawn[token] += amount;
    }

    /// A query over the permissions `permissionMask` picks in one token, reading the refined files
    /// `fileMask` picks with random row counts; tops the deposit up first so that it settles.
    function settle(uint256 builderSeed, uint256 tokenSeed, uint256 permissionMask, uint256 fileMask, uint256 rowSeed)
        external
    {
        (uint256 key, address builder) = _builder(builderSeed);
        address token = _token(tokenSeed);
        (uint256[] memory ids, uint256 price) = _pickPermissions(token, permissionMask);
        if (ids.length == 0) return;
        IQueryEngine.Reads[] memory reads = _pickReads(ids, fileMask, rowSeed, false);
        uint256 available = engine.deposits(token, builder);
        if (available < price) _deposit(builder, token, price - available);
        (IQueryEngine.QueryRequest memory request, bytes memory signature) = _signedRequest(key, builder, token, price);

        vm.prank(service);
        (bytes32 queryId, uint256 paid) = engine.settleQuery(request, signature, ids, ReadsTree.roots(reads), "");
        _record(queryId, token, paid, reads);
        _requests.push(request);
        _signatures.push(signature);
        _permissionSets.push(ids);
    }

    /// Settles a query already settled again, with its own signature; must never succeed.
    function replay(uint256 querySeed, uint256 fileMask, uint256 rowSeed) external {
        if (_requests.length == 0) return;
        uint256 i = querySeed % _requests.length;
        IQueryEngine.QueryRequest memory request = _requests[i];
        uint256[] memory ids = _permissionSets[i];
        IQueryEngine.Reads[] memory reads = _pickReads(ids, fileMask, rowSeed, false);
        _deposit(request.grantee, request.token, request.maxPrice + 1); // money is not what stops it
        vm.prank(service);
        try engine.settleQuery(request, _signatures[i], ids, ReadsTree.roots(reads), "") returns (
            bytes32 queryId, uint256 paid
        ) {
            replaysAccepted++;
            _record(queryId, request.token, paid, reads);
        } catch {}
    }

    /// A query whose root includes a file validated for the DataDAO but never refined, or understates
    /// its total rows (`lie`): it settles (the root is the service's word), but a claim of the
    /// unrefined leaf must never succeed, nor claims adding up to more rows than the total.
    function settleLyingRoot(uint256 builderSeed, uint256 tokenSeed, uint256 rowSeed, uint256 lie) external {
        (uint256 key, address builder) = _builder(builderSeed);
        address token = _token(tokenSeed);
        (uint256[] memory ids, uint256 price) = _pickPermissions(token, type(uint256).max);
        if (ids.length == 0) return;
        IQueryEngine.Reads[] memory reads = _pickReads(ids, type(uint256).max, rowSeed, true);
        IQueryEngine.ReadsRoot[] memory roots = ReadsTree.roots(reads);
        for (uint256 r = 0; r < roots.length; r++) {
            roots[r].totalRows = _bound(lie, 1, roots[r].totalRows);
        }
        uint256 available = engine.deposits(token, builder);
        if (available < price) _deposit(builder, token, price - available);
        (IQueryEngine.QueryRequest memory request, bytes memory signature) = _signedRequest(key, builder, token, price);
        vm.prank(service);
        (bytes32 queryId, uint256 paid) = engine.settleQuery(request, signature, ids, roots, "");
        _record(queryId, token, paid, reads);
        if (reads.length > 0) {
            IQueryEngine.Reads memory unrefined = _leafOf(reads[0], reads[0].fileIds.length - 1);
            (bytes32[] memory proof, uint256[] memory lengths) = _proofOf(reads[0], reads[0].fileIds.length - 1);
            try engine.claimReads(queryId, unrefined, proof, lengths) {
                unrefinedReadsAccepted++;
            } catch {}
        }
    }

    /// Claims one leaf of a settled query, as anyone; `forge` changes its rows (a forged leaf, which
    /// must never be accepted); a leaf already claimed must never be accepted again.
    function claimLeaf(uint256 querySeed, uint256 refinerSeed, uint256 leafSeed, uint256 callerSeed, bool forge)
        external
    {
        if (queryIds.length == 0) return;
        bytes32 queryId = queryIds[querySeed % queryIds.length];
        IQueryEngine.Reads[] storage all = _readsOf[queryId];
        if (all.length == 0) return;
        IQueryEngine.Reads memory reads = all[refinerSeed % all.length];
        uint256 index = leafSeed % reads.fileIds.length;
        IQueryEngine.Reads memory one = _leafOf(reads, index);
        if (forge) one.rowCounts[0] += 1 + leafSeed % 1000;
        bool wasClaimed = engine.readClaimed(queryId, reads.refinerId, one.fileIds[0]);
        (bytes32[] memory proof, uint256[] memory lengths) = _proofOf(reads, index);
        vm.prank(accounts[callerSeed % accounts.length]);
        try engine.claimReads(queryId, one, proof, lengths) {
            if (forge) forgedLeavesAccepted++;
            if (wasClaimed) doubleClaimsAccepted++;
            wasRead[registry.fileRecords(one.fileIds[0]).ownerAddress] = true;
        } catch {}
    }

    function claim(uint256 accountSeed, uint256 tokenSeed) external {
        address account = accounts[accountSeed % accounts.length];
        address token = _token(tokenSeed);
        uint256 amount = engine.earnings(token, account);
        if (amount == 0) return;
        vm.prank(account);
        engine.claim(token);
        claimed[token] += amount;
        claimedBy[token][account] += amount;
    }

    /// The DataDAO's owner adds a generic permission at a random price.
    function addPermission(uint256 refinerSeed, uint256 tokenSeed, uint256 price) external {
        address token = _token(tokenSeed);
        if (_permissionsByToken[token].length >= MAX_PERMISSIONS_PER_TOKEN) return;
        uint256 refinerId = refinerIds[refinerSeed % refinerIds.length];
        address owner = refinerRegistry.dlpOwner(refinerRegistry.refiners(refinerId).dlpId);
        price = price % 4 == 0 ? 0 : _bound(price, 1, 10 ether);
        vm.prank(owner);
        uint256 permissionId = engine.addGenericPermission(refinerId, "users", "", price, token);
        _remember(permissionId, token, refinerId, price);
    }

    function setShares(uint256 protocolBps, uint256 dataDaoBps, uint256 refinerSeed) external {
        (, address treasury) = engine.protocolShare();
        protocolBps = _bound(protocolBps, 0, engine.MAX_PROTOCOL_SHARE_BPS());
        dataDaoBps = _bound(dataDaoBps, 0, engine.MAX_DATA_DAO_SHARE_BPS());
        uint256 dlpId = refinerRegistry.refiners(refinerIds[refinerSeed % refinerIds.length]).dlpId;
        address owner = refinerRegistry.dlpOwner(dlpId);
        vm.prank(admin);
        engine.setProtocolShare(protocolBps, treasury);
        vm.prank(owner);
        engine.setDataDaoShare(dlpId, dataDaoBps);
    }

    // ---- views for the invariants

    function allAccounts() external view returns (address[] memory) {
        return accounts;
    }

    function allTokens() external view returns (address[] memory) {
        return tokens;
    }

    function queryIdsCount() external view returns (uint256) {
        return queryIds.length;
    }

    function committedCount() external view returns (uint256) {
        return committedQueries.length;
    }

    // ---- internals

    function _remember(uint256 permissionId, address token, uint256 refinerId, uint256 price) private {
        _permissionsByToken[token].push(permissionId);
        _priceOf[permissionId] = price;
        _refinerOf[permissionId] = refinerId;
    }

    function _deposit(address builder, address token, uint256 amount) private {
        if (token == address(0)) {
            vm.deal(builder, builder.balance + amount);
            vm.prank(builder);
            engine.deposit{value: amount}();
        } else {
            payToken.mint(builder, amount);
            vm.prank(builder);
            engine.depositToken(token, amount);
        }
        deposited[token] += amount;
    }

    function _signedRequest(uint256 key, address builder, address token, uint256 maxPrice)
        private
        returns (IQueryEngine.QueryRequest memory request, bytes memory signature)
    {
        nonce++;
        request = IQueryEngine.QueryRequest({
            grantee: builder,
            service: service,
            sqlHash: keccak256(abi.encode("query", nonce)),
            token: token,
            maxPrice: maxPrice,
            nonce: nonce,
            deadline: block.timestamp + 1 hours
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, engine.queryDigest(request));
        signature = abi.encodePacked(r, s, v);
    }

    function _record(bytes32 queryId, address token, uint256 paid, IQueryEngine.Reads[] memory reads) private {
        settleCount[queryId]++;
        queryIds.push(queryId);
        charged[token] += paid;
        for (uint256 r = 0; r < reads.length; r++) {
            _readsOf[queryId].push(reads[r]);
            committedQueries.push(queryId);
            committedRefiners.push(reads[r].refinerId);
        }
    }

    function _leafOf(IQueryEngine.Reads memory reads, uint256 index)
        private
        pure
        returns (IQueryEngine.Reads memory one)
    {
        uint256[] memory fileIds = new uint256[](1);
        uint256[] memory rowCounts = new uint256[](1);
        fileIds[0] = reads.fileIds[index];
        rowCounts[0] = reads.rowCounts[index];
        one = IReadsLedger.Reads(reads.refinerId, fileIds, rowCounts);
    }

    /// @dev Leaf `index`'s proof, as `claimReads` takes it.
    function _proofOf(IQueryEngine.Reads memory reads, uint256 index)
        private
        pure
        returns (bytes32[] memory proof, uint256[] memory lengths)
    {
        proof = ReadsTree.proof(reads, index);
        lengths = new uint256[](1);
        lengths[0] = proof.length;
    }

    /// @dev The permissions of `token` whose bit is set in `mask` (the first if none is), ascending.
    function _pickPermissions(address token, uint256 mask) private view returns (uint256[] memory ids, uint256 price) {
        uint256[] storage all = _permissionsByToken[token];
        uint256 count = 0;
        for (uint256 i = 0; i < all.length; i++) {
            if ((mask >> i) & 1 == 1) count++;
        }
        if (count == 0 && all.length > 0) {
            mask = 1;
            count = 1;
        }
        ids = new uint256[](count);
        uint256 n = 0;
        for (uint256 i = 0; i < all.length; i++) {
            if ((mask >> i) & 1 == 1) {
                ids[n++] = all[i];
                price += _priceOf[all[i]];
            }
        }
    }

    /// @dev For each refiner the permissions cover, ascending, the refined files `fileMask` picks with
    ///      row counts from `rowSeed`; with `withUnrefined`, the unrefined file joins the first refiner's.
    function _pickReads(uint256[] memory ids, uint256 fileMask, uint256 rowSeed, bool withUnrefined)
        private
        view
        returns (IQueryEngine.Reads[] memory reads)
    {
        IQueryEngine.Reads[] memory all = new IQueryEngine.Reads[](refinerIds.length);
        uint256 count = 0;
        uint256 bit = 0;
        for (uint256 r = 0; r < refinerIds.length; r++) {
            if (!_covered(ids, refinerIds[r])) continue;
            uint256[] memory refined = _refinedFiles[refinerIds[r]];
            bool addUnrefined = withUnrefined && count == 0;
            uint256 picked = addUnrefined ? 1 : 0;
            for (uint256 f = 0; f < refined.length; f++) {
                if ((fileMask >> (bit + f)) & 1 == 1) picked++;
            }
            if (picked == 0) {
                bit += refined.length;
                continue;
            }
            uint256[] memory fileIds = new uint256[](picked);
            uint256[] memory rowCounts = new uint256[](picked);
            uint256 n = 0;
            for (uint256 f = 0; f < refined.length; f++) {
                if ((fileMask >> (bit + f)) & 1 == 1) {
                    fileIds[n] = refined[f];
                    rowCounts[n] = _bound(uint256(keccak256(abi.encode(rowSeed, r, f))), 1, 1e9);
                    n++;
                }
            }
            if (addUnrefined) {
                fileIds[n] = unrefinedFile;
                rowCounts[n] = 1;
            }
            bit += refined.length;
            all[count++] = IReadsLedger.Reads(refinerIds[r], fileIds, rowCounts);
        }
        reads = new IQueryEngine.Reads[](count);
        for (uint256 i = 0; i < count; i++) {
            reads[i] = all[i];
        }
    }

    function _covered(uint256[] memory ids, uint256 refinerId) private view returns (bool) {
        for (uint256 i = 0; i < ids.length; i++) {
            if (_refinerOf[ids[i]] == refinerId) return true;
        }
        return false;
    }

    function _builder(uint256 seed) private view returns (uint256 key, address builder) {
        key = builderKeys[seed % builderKeys.length];
        builder = vm.addr(key);
    }

    function _token(uint256 seed) private view returns (address) {
        return tokens[seed % tokens.length];
    }

    function _bound(uint256 x, uint256 min, uint256 max) private pure returns (uint256) {
        return min + (x % (max - min + 1));
    }
}
